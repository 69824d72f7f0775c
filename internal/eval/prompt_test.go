package eval

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/sqlguard"
)

// singers is a one-database dataset whose prompt shows three countries
// and no age values.
func singers(questions ...Question) *Dataset {
	cat := &catalog.Catalog{Source: "concerts", Dialect: catalog.SQLite, Tables: []catalog.Table{
		{Name: "singer", Kind: catalog.KindTable, RowCount: -1, PrimaryKey: []string{"singer_id"}, Columns: []catalog.Column{
			{Name: "singer_id", DBType: "int", Type: catalog.TypeInteger},
			{Name: "name", DBType: "text", Type: catalog.TypeText},
			{Name: "country", DBType: "text", Type: catalog.TypeText, Samples: []string{"France", "Spain", "Côte d'Ivoire", "Italy"}},
			{Name: "age", DBType: "int", Type: catalog.TypeInteger},
		}},
		{Name: "concert", Kind: catalog.KindTable, RowCount: -1, Columns: []catalog.Column{
			{Name: "concert_id", DBType: "int", Type: catalog.TypeInteger},
			{Name: "singer_id", DBType: "int", Type: catalog.TypeInteger},
			{Name: "year", DBType: "text", Type: catalog.TypeText, Samples: []string{"2014", "2015"}},
			{Name: "name", DBType: "text", Type: catalog.TypeText, Samples: []string{"Summer Fest"}},
		}},
	}}
	return &Dataset{Name: "test", Databases: map[string]*Database{"concerts": {Catalog: cat}}, Questions: questions}
}

func TestEvaluatePrompts(t *testing.T) {
	q := func(id int, question, sql string) Question {
		return Question{ID: id, DB: "concerts", Question: question, SQL: sql}
	}
	ds := singers(
		q(0, "How many singers are from France?", `SELECT count(*) FROM singer WHERE country = "France"`),
		q(1, "How many singers come from Spain?", "SELECT count(*) FROM singer WHERE country = 'Spain'"),
		q(2, "Names of singers from Germany older than 30", "SELECT name FROM singer WHERE country = 'Germany' AND age > 30"),
		q(3, "Which singers performed in 2014?", "SELECT T1.name FROM singer AS T1 JOIN concert AS T2 ON T1.singer_id = T2.singer_id WHERE T2.year = '2014'"),
		q(4, "Broken gold", "SELEC name FROM singer"),
		// The alias decides which name column holds the value.
		q(6, "Who sang at Summer Fest?", "SELECT T1.name FROM singer AS T1 JOIN concert AS T2 ON T1.singer_id = T2.singer_id WHERE T2.name = 'Summer Fest'"),
		// A value shown on another column's line is not shown for this one.
		q(7, "Singers named Spain", "SELECT count(*) FROM singer WHERE name = 'Spain'"),
		// Italy is the fourth sample: the prompt shows three samples, and
		// Italy first, since the question names it.
		q(8, "Singers from Italy", "SELECT name FROM singer WHERE country = 'Italy'"),
		q(5, "A table the catalog lacks", "SELECT * FROM stadium"),
	)
	rep, err := EvaluatePrompts(context.Background(), ds, PromptOptions{Today: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC), Misses: true})
	if err != nil {
		t.Fatal(err)
	}
	// Values: q0 1/1, q1 1/1, q2 0/2, q3 1/1, q6 1/1, q7 0/1, q8 1/1.
	want := &PromptReport{
		Dataset: "test", Questions: 7, TableRecall: 1, ColumnRecall: 1,
		ValueRecall: (1 + 1 + 0 + 1 + 1 + 0 + 1) / 7.0, ValueQuestions: 7,
		StringValueRecall: 5 / 7.0, StringValues: 7, NumberValueRecall: 0, NumberValues: 1,
		// France, Spain, 2014 and Summer Fest are shown samples, Italy a
		// matched one; Germany, 30 and Spain-as-a-name are no sample of
		// their column.
		HeldValueRecall: 5 / 5.0, HeldValues: 5,
		Unparsed: 1, Unresolved: 1,
		Misses: []PromptMiss{{ID: 2, DB: "concerts", Question: "Names of singers from Germany older than 30",
			Missing: []string{`value singer.country "Germany"`, `value singer.age "30"`}},
			{ID: 7, DB: "concerts", Question: "Singers named Spain", Missing: []string{`value singer.name "Spain"`}}},
	}
	opts := cmp.FilterPath(func(p cmp.Path) bool {
		n := p.Last().String()
		return n == ".PromptTokens" || n == ".SchemaTokens" || n == ".ExampleHit" || n == ".ExampleQuestions"
	}, cmp.Ignore())
	if diff := cmp.Diff(want, rep, opts); diff != "" {
		t.Errorf("report (-want +got):\n%s", diff)
	}
	// France and Spain show each other, and Germany shows Italy; the
	// join questions share no word with each other.
	if rep.ExampleQuestions != 7 || rep.ExampleHit < 3/7.0 {
		t.Errorf("example hit %.2f over %d questions, want at least 3 of 7", rep.ExampleHit, rep.ExampleQuestions)
	}
	if rep.PromptTokens.Mean < 100 || rep.PromptTokens.P90 < int(rep.PromptTokens.Mean) || rep.SchemaTokens.Mean <= 0 {
		t.Errorf("tokens %+v, schema %+v: want a few hundred, p90 at least the mean", rep.PromptTokens, rep.SchemaTokens)
	}
	zero, err := EvaluatePrompts(context.Background(), ds, PromptOptions{NoExamples: true})
	if err != nil {
		t.Fatal(err)
	}
	if zero.ExampleQuestions != 0 || zero.PromptTokens.Mean >= rep.PromptTokens.Mean {
		t.Errorf("zero-shot: %d example questions, %.0f tokens; want none and fewer than %.0f", zero.ExampleQuestions, zero.PromptTokens.Mean, rep.PromptTokens.Mean)
	}
}

func TestValueShown(t *testing.T) {
	tests := []struct {
		name    string
		comment string
		lit     sqlguard.Literal
		want    bool
	}{
		{"sample", "e.g. 'France', 'Spain'", sqlguard.Literal{Value: "France"}, true},
		{"case matters for =", "e.g. 'france'", sqlguard.Literal{Value: "France"}, false},
		{"a prefix is not the value", "e.g. 'Frances'", sqlguard.Literal{Value: "France"}, false},
		{"quote doubled as the DDL writes it", "e.g. 'Côte d''Ivoire'", sqlguard.Literal{Value: "Côte d'Ivoire"}, true},
		{"like pattern parts, any case", "e.g. 'Blue Whale', 'Orca'", sqlguard.Literal{Value: "%whale%", Pattern: true}, true},
		{"like pattern absent", "e.g. 'Orca'", sqlguard.Literal{Value: "%whale%", Pattern: true}, false},
		{"number as a sample", "e.g. '2014', '2015'", sqlguard.Literal{Value: "2014", Number: true}, true},
		{"number in a range", "range 18..65", sqlguard.Literal{Value: "30", Number: true}, true},
		{"number outside a range", "18 to 65", sqlguard.Literal{Value: "70", Number: true}, false},
		{"decimal equal to integer", "min 5.0", sqlguard.Literal{Value: "5", Number: true}, true},
		{"no comment", "", sqlguard.Literal{Value: "France"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := valueShown(tt.comment, tt.lit); got != tt.want {
				t.Errorf("valueShown(%q, %+v) = %v, want %v", tt.comment, tt.lit, got, tt.want)
			}
		})
	}
}

func TestTokenStats(t *testing.T) {
	got := tokenStats([]int{10, 1, 9, 2, 8, 3, 7, 4, 6, 5, 100})
	want := TokenStats{Mean: 155 / 11.0, P90: 10, Max: 100}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("stats (-want +got):\n%s", diff)
	}
}

// TestExamplesForPrefersSameSkeleton catches a "most similar" example
// chosen by shared words alone, which favours today's word-overlap picker.
func TestExamplesForPrefersSameSkeleton(t *testing.T) {
	ds := singers(
		Question{ID: 0, DB: "concerts", Question: "How many singers are from France?", SQL: "SELECT count(*) FROM singer WHERE country = 'France'"},
		Question{ID: 1, DB: "concerts", Question: "Count the singers whose country is Spain.", SQL: "SELECT count(*) FROM singer WHERE country = 'Spain'"},
		Question{ID: 2, DB: "concerts", Question: "How many singers are from each country?", SQL: "SELECT country, count(*) FROM singer GROUP BY country"},
	)
	bank, best := examplesFor(questionBanks(ds)["concerts"], ds.Questions[0])
	if len(bank) != 2 {
		t.Errorf("bank has %d entries, want the 2 other questions", len(bank))
	}
	if best == nil || best.ID != 1 {
		t.Errorf("most similar = %+v, want question 1 (same SQL but for the value)", best)
	}
}

// TestPromptRecallOnDatasets runs the whole evaluation on the shared
// datasets and fails when what the prompt holds drops below floors set
// under the measured baseline (see README: eval prompt).
func TestPromptRecallOnDatasets(t *testing.T) {
	tests := []struct {
		name                 string
		load                 func(string) (*Dataset, error)
		dir                  string
		minColumn, minValues float64
		maxTokens            float64
	}{
		{"spider", func(dir string) (*Dataset, error) {
			return LoadSpiderWith(context.Background(), dir, LoadOptions{Samples: 20})
		}, "spider-dev", 0.99, 0.45, 850},
		{"bird", LoadBIRD, "bird-minidev", 0.99, 0.40, 2300},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ds, err := tc.load(sharedDatasets(t, tc.dir))
			if err != nil {
				t.Fatal(err)
			}
			rep, err := EvaluatePrompts(context.Background(), ds, PromptOptions{})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("\n%s", rep.Summary())
			if rep.ColumnRecall < tc.minColumn || rep.ValueRecall < tc.minValues || rep.PromptTokens.Mean > tc.maxTokens {
				t.Errorf("column recall %.3f (floor %.2f), value recall %.3f (floor %.2f), mean tokens %.0f (ceiling %.0f)",
					rep.ColumnRecall, tc.minColumn, rep.ValueRecall, tc.minValues, rep.PromptTokens.Mean, tc.maxTokens)
			}
			if rep.Unparsed > rep.Questions/100 {
				t.Errorf("the guard could not parse %d of %d gold queries", rep.Unparsed, rep.Questions)
			}
		})
	}
}
