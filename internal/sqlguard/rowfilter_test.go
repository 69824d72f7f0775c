package sqlguard

import (
	"strings"
	"testing"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
)

func TestRowFilterRefusals(t *testing.T) {
	region := func(claim string) (string, bool) { return "EMEA", claim == "region" }
	cat := rfCatalog("main")
	tests := []struct {
		name    string
		dialect catalog.Dialect
		pol     config.Policy
		cat     *catalog.Catalog
		bind    func(string) (string, bool)
		sql     string
		want    Rule   // "" means accepted
		has     string // accepted SQL must contain it
	}{
		{"missing claim", catalog.SQLite, config.Policy{}, cat, func(string) (string, bool) { return "", false }, "SELECT * FROM orders", RuleRowFilter, ""},
		{"no binder", catalog.SQLite, config.Policy{}, cat, nil, "SELECT * FROM orders", RuleRowFilter, ""},
		{"NUL in a claim", catalog.SQLite, config.Policy{}, cat, func(string) (string, bool) { return "a\x00b", true }, "SELECT * FROM orders", RuleRowFilter, ""},
		{"DuckDB", catalog.DuckDB, config.Policy{}, cat, region, "SELECT * FROM orders", RuleRowFilter, ""},
		{"unfiltered table untouched", catalog.SQLite, config.Policy{}, cat, region, "SELECT 1 AS one", "", "SELECT 1 AS one"},
		{"hidden column: visible list", catalog.SQLite, config.Policy{Deny: []string{"orders.amount"}}, cat, region, "SELECT id FROM orders", "",
			`(SELECT "id", "customer_id", "region" FROM orders WHERE (region = 'EMEA')) AS orders`},
		{"hidden column without a catalog", catalog.SQLite, config.Policy{Deny: []string{"orders.amount"}}, nil, region, "SELECT id FROM orders", RuleRowFilter, ""},
		{"hidden column still refused", catalog.Postgres, config.Policy{Deny: []string{"orders.amount"}}, cat, region, "SELECT amount FROM orders", RulePolicyColumn, ""},
		{"views without a filter", catalog.MySQL, config.Policy{}, cat, region, "SELECT * FROM v_orders", RuleRowFilter, ""},
		{"CTE shadowing in a subquery", catalog.Postgres, config.Policy{}, cat, region, "SELECT * FROM customers WHERE id IN (WITH customers AS (SELECT 1 AS id) SELECT id FROM customers)", RuleRowFilter, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Check(tt.sql, Options{Dialect: tt.dialect, Policy: tt.pol, Catalog: tt.cat, RowFilters: rfFilters, Bind: tt.bind})
			if tt.want == "" {
				if !v.Accepted || !strings.Contains(v.SQL, tt.has) {
					t.Fatalf("got %+v, want accepted SQL containing %q", v, tt.has)
				}
				return
			}
			if v.Accepted || v.Rule != tt.want {
				t.Fatalf("got accepted=%v rule %q (%s), want %q", v.Accepted, v.Rule, v.SQL, tt.want)
			}
		})
	}
}

// TestRowFilterUnion checks that two groups' filters on one table are
// OR'd, each in its own parentheses.
func TestRowFilterUnion(t *testing.T) {
	v := Check("SELECT id FROM orders", Options{Dialect: catalog.Postgres, RowFilters: []RowFilter{{Table: "orders", Where: []string{"region = 'EMEA'", "amount < 5 OR amount > 9"}}}})
	if !v.Accepted {
		t.Fatal(v.Message)
	}
	want := "WHERE region = 'EMEA' OR (amount < 5 OR amount > 9)"
	if !strings.Contains(v.SQL, want) {
		t.Errorf("SQL %s\nwant it to contain %s", v.SQL, want)
	}
}

// BenchmarkRowFilters measures what the rewrite, re-check and verification
// add to Check for a join of two filtered tables.
func BenchmarkRowFilters(b *testing.B) {
	const q = "SELECT c.name, SUM(o.amount) FROM customers c JOIN orders o ON o.customer_id = c.id WHERE o.id IN (SELECT id FROM orders WHERE amount > 10) GROUP BY c.name"
	bind := func(string) (string, bool) { return "EMEA", true }
	for _, d := range []catalog.Dialect{catalog.SQLite, catalog.Postgres, catalog.MySQL} {
		for _, filtered := range []bool{false, true} {
			opts := Options{Dialect: d, MaxRows: 1000}
			name := string(d) + "/plain"
			if filtered {
				opts.RowFilters, opts.Bind, name = rfFilters, bind, string(d)+"/filtered"
			}
			b.Run(name, func(b *testing.B) {
				for b.Loop() {
					if v := Check(q, opts); !v.Accepted {
						b.Fatal(v.Message)
					}
				}
			})
		}
	}
}
