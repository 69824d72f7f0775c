package sqlguard

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
)

func TestPolicy(t *testing.T) {
	deny := config.Policy{Deny: []string{"employees.salary", "customers.email", "audit_log", "hr.*"}}
	allow := config.Policy{Allow: []string{"orders", "customers.id", "customers.name"}}
	cat := &catalog.Catalog{Tables: []catalog.Table{{Name: "employees", Columns: []catalog.Column{{Name: "id"}, {Name: "name"}, {Name: "salary"}}}}}
	tests := []struct {
		name      string
		pol       config.Policy
		sql       string
		rule      Rule
		construct string
	}{
		{"visible columns", deny, "SELECT e.name FROM employees e", "", ""},
		{"qualified hidden column", deny, "SELECT e.salary FROM employees e", RulePolicyColumn, "employees.salary"},
		{"unqualified hidden column", deny, "SELECT name FROM employees WHERE salary > 10", RulePolicyColumn, "employees.salary"},
		{"hidden column case and quotes", deny, `SELECT "SALARY" FROM employees`, RulePolicyColumn, "employees.salary"},
		{"hidden column in subquery", deny, "SELECT name FROM customers WHERE id IN (SELECT id FROM employees WHERE salary > 1)", RulePolicyColumn, "employees.salary"},
		{"hidden column through CTE", deny, "WITH x AS (SELECT salary AS s FROM employees) SELECT s FROM x", RulePolicyColumn, "employees.salary"},
		{"star over hidden", deny, "SELECT * FROM employees", RuleStarOverHidden, "employees"},
		{"qualified star over hidden", deny, "SELECT c.id, e.* FROM customers c JOIN employees e ON e.id = c.id", RuleStarOverHidden, "employees"},
		{"whole-row reference", deny, "SELECT e FROM employees e", RuleStarOverHidden, "employees"},
		{"natural join over hidden", deny, "SELECT id FROM employees NATURAL JOIN customers", RuleStarOverHidden, "employees"},
		{"using hidden column", deny, "SELECT c.id FROM employees JOIN customers c USING (salary)", RulePolicyColumn, "employees.salary"},
		{"CTE shadowing a denied table reads the real one", deny, "WITH audit_log AS (SELECT id FROM audit_log) SELECT id FROM audit_log", RulePolicyTable, "audit_log"},
		{"CTE used before its definition", deny, "WITH a AS (SELECT id FROM audit_log), audit_log AS (SELECT 1 AS id) SELECT id FROM a", RulePolicyTable, "audit_log"},
		{"CTE named like denied table, defined first", deny, "WITH audit_log AS (SELECT 1 AS id) SELECT id FROM audit_log", "", ""},
		{"allow list with CTE chain", allow, "WITH a AS (SELECT total FROM orders), b AS (SELECT total FROM a) SELECT total FROM b", "", ""},
		{"allow list CTE self-shadow", allow, "WITH invoices AS (SELECT total FROM invoices) SELECT total FROM invoices", RulePolicyTable, "invoices"},
		{"allow list recursive CTE", allow, "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT n FROM r", "", ""},
		{"count star is fine", deny, "SELECT count(*) FROM employees", "", ""},
		{"denied table", deny, "SELECT id FROM audit_log", RulePolicyTable, "audit_log"},
		{"denied schema", deny, "SELECT id FROM hr.reviews", RulePolicyTable, "hr.reviews"},
		{"same column name elsewhere", deny, "SELECT email FROM orders", "", ""},
		{"unqualified column checks all tables", deny, "SELECT email FROM orders JOIN customers ON true", RulePolicyColumn, "customers.email"},
		{"allow list table", allow, "SELECT total FROM orders", "", ""},
		{"allow list other table", allow, "SELECT total FROM invoices", RulePolicyTable, "invoices"},
		{"allow list column", allow, "SELECT name FROM customers", "", ""},
		{"allow list unlisted column", allow, "SELECT phone FROM customers", RulePolicyColumn, "customers.phone"},
		{"allow list star", allow, "SELECT * FROM customers", RuleStarOverHidden, "customers"},
		{"system catalog allowed by policy", config.Policy{AllowSystemCatalogs: true}, "SELECT name FROM sqlite_master", "", ""},
		{"extra function by policy", config.Policy{Functions: []string{"my_udf"}}, "SELECT my_udf(a) FROM t", "", ""},
	}
	for _, d := range []catalog.Dialect{catalog.SQLite, catalog.Postgres, catalog.MySQL, catalog.Trino} {
		for _, tc := range tests {
			t.Run(string(d)+"/"+tc.name, func(t *testing.T) {
				sql := tc.sql
				if d == catalog.MySQL {
					sql = mysqlQuotes(sql)
				}
				if d != catalog.SQLite && tc.name == "system catalog allowed by policy" {
					t.Skip("sqlite catalog")
				}
				v := Check(sql, Options{Dialect: d, Policy: tc.pol, Catalog: cat})
				got := struct {
					Rule      Rule
					Construct string
				}{v.Rule, v.Construct}
				want := got
				want.Rule, want.Construct = tc.rule, tc.construct
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s: verdict mismatch (-want +got):\n%s\nmessage: %s", sql, diff, v.Message)
				}
				if tc.rule == RuleStarOverHidden && tc.construct == "employees" && v.Message == "" {
					t.Errorf("no message")
				}
			})
		}
	}
}

// mysqlQuotes turns "x" identifiers into `x` for MySQL's default mode.
func mysqlQuotes(s string) string {
	out := []byte(s)
	for i := range out {
		if out[i] == '"' {
			out[i] = '`'
		}
	}
	return string(out)
}

func TestStarMessageListsVisibleColumns(t *testing.T) {
	cat := &catalog.Catalog{Tables: []catalog.Table{{Name: "employees", Columns: []catalog.Column{{Name: "id"}, {Name: "name"}, {Name: "salary"}}}}}
	v := Check("SELECT * FROM employees", Options{Dialect: catalog.Postgres, Catalog: cat, Policy: config.Policy{Deny: []string{"employees.salary"}}})
	want := "SELECT * over table employees is not allowed because some of its columns are hidden by policy; list the columns you need (visible columns: id, name)"
	if v.Message != want {
		t.Errorf("message = %q, want %q", v.Message, want)
	}
	var rej *Rejection
	if err := v.Err(); err == nil || !errorsAs(err, &rej) || rej.Verdict.Rule != RuleStarOverHidden {
		t.Errorf("Err() = %v, want a *Rejection with rule %s", err, RuleStarOverHidden)
	}
}
