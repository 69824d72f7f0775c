package knowledge

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func loadSample(t *testing.T) *Knowledge {
	t.Helper()
	k, err := Load(filepath.Join("testdata", "sample.yaml"))
	if err != nil {
		t.Fatalf("Load(sample.yaml): %v", err)
	}
	return k
}

func TestLoadSample(t *testing.T) {
	k := loadSample(t)
	if n := len(k.Examples()); n < 6 {
		t.Errorf("sample has %d examples, want at least 6", n)
	}
	if got := k.Examples()[0]; got.Question != "How many employees were hired before 1990?" || got.Pos.Line == 0 {
		t.Errorf("first example = %+v, want the 1990 hiring question with a line", got)
	}
	syn := k.Synonyms()
	if !contains(syn["orders.total"], "revenue") || !contains(syn["employees"], "staff") {
		t.Errorf("Synonyms() misses orders.total→revenue or employees→staff: %v", syn)
	}
	desc := k.Descriptions()
	if !strings.Contains(desc["orders"], "Cancelled") {
		t.Errorf("Descriptions()[orders] = %q", desc["orders"])
	}
	var domains []string
	for _, d := range k.Domains() {
		domains = append(domains, d.Name)
	}
	if diff := cmp.Diff([]string{"sales", "returns-processing", "hr", "research"}, domains); diff != "" {
		t.Errorf("domains (-want +got):\n%s", diff)
	}
}

func TestExampleFileMatchesTestdata(t *testing.T) {
	want, err := os.ReadFile(filepath.Join("testdata", "sample.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join("..", "..", "examples", "sample-knowledge.yaml"))
	if err != nil {
		t.Skipf("examples/sample-knowledge.yaml not found: %v", err)
	}
	if string(got) != string(want) {
		t.Error("examples/sample-knowledge.yaml differs from internal/knowledge/testdata/sample.yaml; copy it over")
	}
}

func TestMetricsByName(t *testing.T) {
	k := loadSample(t)
	tests := []struct {
		name        string
		query       string
		wantDomains []string
	}{
		{"two domains", "retention", []string{"sales", "hr"}},
		{"case and spacing", "Average-Order  Value", []string{"sales"}},
		{"synonym", "AOV", []string{"sales"}},
		{"unknown", "churn", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.wantDomains, metricDomains(k.Metrics(tc.query))); diff != "" {
				t.Errorf("Metrics(%q) domains (-want +got):\n%s", tc.query, diff)
			}
		})
	}
}

func metricDomains(ms []Metric) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Domain)
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestMergeFiles(t *testing.T) {
	dir := t.TempDir()
	a := write(t, dir, "a.yaml", "tables:\n  orders:\n    description: Orders.\n    synonyms: [purchases]\n")
	b := write(t, dir, "b.yaml", "tables:\n  Orders:\n    synonyms: [baskets]\n    columns:\n      total:\n        synonyms: [amount]\n")
	k, err := Load(a, b)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{"orders": {"purchases", "baskets"}, "orders.total": {"amount"}}
	if diff := cmp.Diff(want, k.Synonyms()); diff != "" {
		t.Errorf("merged synonyms (-want +got):\n%s", diff)
	}
	c := write(t, dir, "c.yaml", "tables:\n  orders:\n    description: Something else.\n")
	_, err = Load(a, c)
	if err == nil || !strings.Contains(err.Error(), "c.yaml:2") || !strings.Contains(err.Error(), "a.yaml:2") {
		t.Errorf("conflicting descriptions: error = %v, want both places named", err)
	}
}

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string // substrings of the error
	}{
		{"unknown top-level key", "tables: {}\nmetrix: []\n", []string{"k.yaml:2:", `unknown key "metrix"`}},
		{"unknown metric key", "metrics:\n  - name: revenue\n    sql: SUM(x)\n    tables: [t]\n    filter: [a]\n", []string{"k.yaml:5:", `unknown key "filter"`}},
		{"syntax error", "tables:\n  orders: [\n", []string{"k.yaml:"}},
		{"wrong type", "domains: sales\n", []string{"k.yaml:1:"}},
		{"metric with undeclared domain", "metrics:\n  - name: revenue\n    domain: shop\n    sql: SUM(x)\n    tables: [t]\n", []string{"k.yaml:2:", `domain "shop" is not declared`}},
		{"metric without sql", "metrics:\n  - name: revenue\n    tables: [t]\n", []string{"k.yaml:2:", "sql is required"}},
		{"join without from", "metrics:\n  - name: r\n    sql: SUM(a.x)\n    tables: [a, b]\n", []string{"from", "required"}},
		{"alias names two domains", "domains:\n  - name: sales\n    aliases: [rp]\n  - name: returns\n    aliases: [RP]\n", []string{"k.yaml:4:", `alias "RP" already names domain "sales"`}},
		{"same metric twice in a domain", "domains:\n  - name: hr\nmetrics:\n  - {name: retention, domain: hr, sql: 'COUNT(*)', tables: [e]}\n  - {name: Retention, domain: hr, sql: 'COUNT(*)', tables: [e]}\n", []string{"k.yaml:5:", "defined twice", "k.yaml:4"}},
		{"example without sql", "examples:\n  - question: hi\n", []string{"k.yaml:2:", "question and sql are required"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("k.yaml", []byte(tc.yaml))
			if err == nil {
				t.Fatal("Parse succeeded, want an error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestLoadEmptyAndMissing(t *testing.T) {
	k, err := Parse("empty.yaml", nil)
	if err != nil || !k.Empty() {
		t.Errorf("Parse(empty) = %v, %v; want empty knowledge", k, err)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.yaml")); err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Errorf("Load(missing) error = %v, want one naming the file", err)
	}
}

func TestMetricQuery(t *testing.T) {
	k := loadSample(t)
	got := k.Metrics("revenue")[0].Query()
	want := "SELECT SUM(orders.total) AS revenue FROM orders WHERE (orders.status <> 'cancelled')"
	if got != want {
		t.Errorf("revenue Query() = %q, want %q", got, want)
	}
	got = k.Metrics("average order value")[0].Query()
	if !strings.HasPrefix(got, "SELECT AVG(orders.total) AS average_order_value FROM orders") {
		t.Errorf("aov Query() = %q", got)
	}
}

func TestDuplicateExampleQuestion(t *testing.T) {
	doc := `examples:
  - question: How many employees are there?
    sql: SELECT count(*) FROM employees
  - question: how many employees are there
    sql: SELECT count(*) FROM employees WHERE active
`
	_, err := Parse("k.yaml", []byte(doc))
	if err == nil || !strings.Contains(err.Error(), "k.yaml:4") || !strings.Contains(err.Error(), "k.yaml:2") {
		t.Fatalf("Parse = %v, want an error naming both examples", err)
	}
	same := strings.Replace(doc, "FROM employees WHERE active", "FROM employees", 1)
	if _, err := Parse("k.yaml", []byte(same)); err != nil {
		t.Errorf("the same question with the same SQL twice is harmless: %v", err)
	}
}
