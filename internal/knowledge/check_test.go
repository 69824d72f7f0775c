package knowledge

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/sample"
	"github.com/askdb/askdb/internal/source/sqlite"
	"github.com/askdb/askdb/internal/sqlguard"
)

var (
	sampleOnce sync.Once
	samplePath string
	sampleErr  error
)

// sampleSource opens the generated sample database, built once per run.
func sampleSource(t *testing.T) (*sqlite.Source, *catalog.Catalog) {
	t.Helper()
	ctx := context.Background()
	sampleOnce.Do(func() {
		dir, err := osMkdirTemp()
		if err != nil {
			sampleErr = err
			return
		}
		samplePath = filepath.Join(dir, "sample.db")
		sampleErr = sample.EnsureSQLite(ctx, samplePath, sample.Options{Seed: 1, Today: time.Date(2025, 6, 15, 0, 0, 0, 0, time.UTC)})
	})
	if sampleErr != nil {
		t.Fatalf("build sample: %v", sampleErr)
	}
	src, err := sqlite.Open(ctx, "sample", samplePath, discard())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Close() })
	cat, err := src.Introspect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return src, cat
}

// guardAndExplain is what the CLI passes to Check.
func guardAndExplain(src *sqlite.Source) Verifier {
	return func(ctx context.Context, sql string) error {
		v := sqlguard.Check(sql, sqlguard.Options{Dialect: src.Dialect()})
		if err := v.Err(); err != nil {
			return err
		}
		_, err := src.Explain(ctx, v.SQL)
		return err
	}
}

func TestCheckSampleHasNoProblems(t *testing.T) {
	src, cat := sampleSource(t)
	k := loadSample(t)
	if probs := Check(context.Background(), k, cat, guardAndExplain(src)); len(probs) > 0 {
		for _, p := range probs {
			t.Error(p)
		}
	}
}

func TestCheckSampleExamplesRun(t *testing.T) {
	src, _ := sampleSource(t)
	ctx := context.Background()
	for _, e := range loadSample(t).Examples() {
		res, err := src.Query(ctx, e.SQL, sourceLimits())
		if err != nil {
			t.Errorf("%s: %q: %v", e.Pos, e.Question, err)
			continue
		}
		if len(res.Rows) == 0 {
			t.Errorf("%s: %q returned no rows", e.Pos, e.Question)
		}
	}
}

const brokenYAML = `tables:
  orders:
    columns:
      totl:
        synonyms: [amount]
  invoices:
    synonyms: [bills]
domains:
  - name: sales
    tables: [orders, carts]
metrics:
  - name: revenue
    domain: sales
    sql: SUM(orders.amount)
    tables: [orders]
  - name: margin
    sql: SUM(orders.total)
    tables: [orders]
    filters: ["DELETE FROM orders"]
    time_column: orders.when
examples:
  - question: fine
    sql: SELECT COUNT(*) FROM orders
  - question: writes
    sql: DELETE FROM orders
  - question: unknown column
    sql: SELECT nope FROM customers
`

func TestCheckReportsProblemsWithLines(t *testing.T) {
	src, cat := sampleSource(t)
	k, err := Parse("broken.yaml", []byte(brokenYAML))
	if err != nil {
		t.Fatal(err)
	}
	probs := Check(context.Background(), k, cat, guardAndExplain(src))
	var got []string
	for _, p := range probs {
		got = append(got, p.Pos.String()+" "+p.Subject)
	}
	want := []string{
		`broken.yaml:4 column "orders.totl"`,
		`broken.yaml:6 table "invoices"`,
		`broken.yaml:9 domain "sales"`,
		`broken.yaml:12 metric "revenue" (sales)`,
		`broken.yaml:16 metric "margin"`,
		`broken.yaml:16 metric "margin"`,
		`broken.yaml:24 example 2 ("writes")`,
		`broken.yaml:26 example 3 ("unknown column")`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s\nall:\n%s", diff, joinProblems(probs))
	}
	if testing.Verbose() {
		t.Log("\n" + joinProblems(probs))
	}
	for _, p := range probs {
		if p.Subject == `metric "revenue" (sales)` && !strings.Contains(p.Message, "amount") {
			t.Errorf("revenue problem %q does not name the unknown column", p.Message)
		}
	}
}

func TestCheckWithoutVerifier(t *testing.T) {
	_, cat := sampleSource(t)
	k, err := Parse("broken.yaml", []byte(brokenYAML))
	if err != nil {
		t.Fatal(err)
	}
	// Without a verifier only names are checked: 4 problems, none about SQL.
	if probs := Check(context.Background(), k, cat, nil); len(probs) != 4 {
		t.Errorf("Check without verifier = %d problems, want 4:\n%s", len(probs), joinProblems(probs))
	}
}

func joinProblems(ps []Problem) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.String() + "\n")
	}
	return b.String()
}
