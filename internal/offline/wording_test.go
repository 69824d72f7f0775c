package offline_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/offline"
	"github.com/askdb/askdb/internal/schema"
)

// sampleEngine is the engine and the SQLite sample's catalog with the
// values package schema reads (as TranslateSchema sees them).
func sampleEngine(t *testing.T) (*offline.Engine, *catalog.Catalog) {
	t.Helper()
	set, _ := sampleSource(t)
	s, err := schema.NewCache(schema.Options{Sources: set}).Get(context.Background(), "sample")
	if err != nil {
		t.Fatal(err)
	}
	return offline.New(), s.ValueCatalog()
}

var quoted = regexp.MustCompile(`"([^"]+)"`)

// TestAbstentionQuotesOnlyTypedWords checks that an abstention never names
// a word the user did not type: every quoted word must be in the question.
// "How many orders are paid?" once said it could not tell what "spent"
// meant, because "paid" and "spent" share one grammar word.
func TestAbstentionQuotesOnlyTypedWords(t *testing.T) {
	eng, cat := sampleEngine(t)
	for _, q := range []string{
		"How many orders are paid?",
		"Which customers paid the most for shipping?",
		"What is the most recent salary?",
		"Which customers spent?",
		"How many employees each each?",
		"How many customers per order item?",
		"What is our revenue growth rate?",
	} {
		t.Run(q, func(t *testing.T) {
			res := eng.Translate(context.Background(), cat, q, today)
			if res.SQL != "" || res.Abstain == "" {
				t.Fatalf("answered with %q; the case needs an abstention to check", res.SQL)
			}
			for _, m := range quoted.FindAllStringSubmatch(res.Abstain, -1) {
				if !strings.Contains(strings.ToLower(q), strings.ToLower(m[1])) {
					t.Errorf("abstention %q names %q, which the question does not contain", res.Abstain, m[1])
				}
			}
		})
	}
}

// TestNonEnglishQuestion checks that a question in another language gets
// the English-only notice, and an English question about other data does
// not.
func TestNonEnglishQuestion(t *testing.T) {
	eng, cat := sampleEngine(t)
	const notice = "the offline engine understands English only; configure a model"
	if offline.EnglishOnly != notice {
		t.Fatalf("EnglishOnly is %q", offline.EnglishOnly)
	}
	for _, tt := range []struct {
		question string
		foreign  bool
	}{
		{"¿Cuántos clientes hay?", true},
		{"Wie viele Kunden gibt es?", true},
		{"Combien de commandes par mois ?", true},
		{"顧客は何人いますか", true},
		{"Сколько у нас клиентов?", true},
		{"What is our revenue growth rate?", false},
		{"Which customers churned last quarter?", false},
	} {
		t.Run(tt.question, func(t *testing.T) {
			res := eng.Translate(context.Background(), cat, tt.question, today)
			if res.SQL != "" {
				t.Fatalf("answered with %s", res.SQL)
			}
			if got := res.Abstain == notice; got != tt.foreign {
				t.Errorf("abstention %q; want the English-only notice: %v", res.Abstain, tt.foreign)
			}
			if got := offline.NotEnglish(tt.question); got != tt.foreign {
				t.Errorf("NotEnglish = %v, want %v", got, tt.foreign)
			}
		})
	}
}
