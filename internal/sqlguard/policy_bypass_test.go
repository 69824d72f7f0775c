package sqlguard

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
)

// TestPolicyBypasses pins the audit's policy bypasses: column alias lists
// that rename hidden columns, and unqualified names that dodge a
// schema-qualified rule.
func TestPolicyBypasses(t *testing.T) {
	var (
		pg, my, lite = catalog.Postgres, catalog.MySQL, catalog.SQLite
		all          = []catalog.Dialect{pg, my, lite}
		email        = config.Policy{Deny: []string{"customers.email"}}
		denyPublic   = config.Policy{Deny: []string{"public.customers"}}
		denyHR       = config.Policy{Deny: []string{"hr.*"}}
		allowPublic  = config.Policy{Allow: []string{"public.*"}}
	)
	cols := []catalog.Column{{Name: "id"}, {Name: "name"}, {Name: "email"}}
	catOf := func(schema, table string) *catalog.Catalog {
		return &catalog.Catalog{Tables: []catalog.Table{{Schema: schema, Name: table, Columns: cols}}}
	}
	tests := []struct {
		name     string
		dialects []catalog.Dialect
		pol      config.Policy
		cat      *catalog.Catalog
		sql      string
		want     Rule // "" means accepted
		msg      string
	}{
		{"table alias column list", []catalog.Dialect{pg}, email, nil, "SELECT e FROM customers AS c(a, b, e)", RuleStarOverHidden, "column alias list"},
		{"qualified use of alias column list", []catalog.Dialect{pg}, email, nil, "SELECT c.e FROM customers c(a, b, e)", RuleStarOverHidden, ""},
		{"join alias column list", []catalog.Dialect{pg}, email, nil, "SELECT j.z FROM (customers c JOIN orders o ON true) AS j(a, b, z)", RuleStarOverHidden, ""},
		{"alias column list over a visible table", []catalog.Dialect{pg}, email, nil, "SELECT a FROM orders AS o(a, b)", "", ""},
		{"values column list", []catalog.Dialect{pg}, email, nil, "SELECT x FROM (VALUES (1)) AS v(x)", "", ""},
		{"derived table column list over star", []catalog.Dialect{pg}, email, nil, "SELECT e FROM (SELECT * FROM customers) AS s(a, b, e)", RuleStarOverHidden, ""},
		{"CTE column list over star", all, email, nil, "WITH x(a, b, e) AS (SELECT * FROM customers) SELECT e FROM x", RuleStarOverHidden, ""},
		{"CTE column list renaming hidden column", all, email, nil, "WITH x(a, b) AS (SELECT id, email FROM customers) SELECT b FROM x", RulePolicyColumn, ""},
		{"row_to_json over the row", []catalog.Dialect{pg}, email, nil, "SELECT row_to_json(c) FROM customers c", RuleStarOverHidden, ""},
		{"c.* inside a function", []catalog.Dialect{pg}, email, nil, "SELECT to_json(c.*) FROM customers c", RuleStarOverHidden, ""},
		{"field of the whole row", []catalog.Dialect{pg}, email, nil, "SELECT (c).email FROM customers c", RuleFunction, ""},
		{"natural join", all, email, nil, "SELECT id FROM customers NATURAL JOIN orders", RuleStarOverHidden, ""},
		{"using a hidden column", all, email, nil, "SELECT o.id FROM customers JOIN orders o USING (email)", RulePolicyColumn, ""},
		{"json object of a hidden column", []catalog.Dialect{my}, email, nil, "SELECT JSON_OBJECT('e', c.email) FROM customers c", RulePolicyColumn, ""},

		{"unqualified name under schema deny", all, denyPublic, nil, "SELECT id FROM customers", RulePolicyTable, ""},
		{"qualified name under schema deny", all, denyPublic, nil, "SELECT id FROM public.customers", RulePolicyTable, ""},
		{"other schema under schema deny", all, denyPublic, nil, "SELECT id FROM sales.customers", "", ""},
		{"catalog resolves to another schema", all, denyPublic, catOf("sales", "customers"), "SELECT id FROM customers", "", ""},
		{"catalog resolves to the denied schema", all, denyPublic, catOf("public", "customers"), "SELECT id FROM customers", RulePolicyTable, ""},
		{"schema wildcard deny resolved by catalog", all, denyHR, catOf("hr", "reviews"), "SELECT id FROM reviews", RulePolicyTable, ""},
		{"schema wildcard deny, other schema", all, denyHR, catOf("public", "reviews"), "SELECT id FROM reviews", "", ""},
		{"schema allow without catalog", all, allowPublic, nil, "SELECT id FROM orders", RulePolicyTable, "write it as schema.orders"},
		{"schema allow, qualified", all, allowPublic, nil, "SELECT id FROM public.orders", "", ""},
		{"schema allow resolved by catalog", all, allowPublic, catOf("public", "orders"), "SELECT id FROM orders", "", ""},
		{"schema allow, catalog says other schema", all, allowPublic, catOf("sales", "orders"), "SELECT id FROM orders", RulePolicyTable, ""},
	}
	for _, tc := range tests {
		for _, d := range tc.dialects {
			t.Run(string(d)+"/"+tc.name, func(t *testing.T) {
				v := Check(tc.sql, Options{Dialect: d, Policy: tc.pol, Catalog: tc.cat})
				if diff := cmp.Diff(tc.want, v.Rule); diff != "" {
					t.Errorf("%s: rule mismatch (-want +got):\n%s\nmessage: %s", tc.sql, diff, v.Message)
				}
				if tc.msg != "" && !strings.Contains(v.Message, tc.msg) {
					t.Errorf("message %q does not mention %q", v.Message, tc.msg)
				}
			})
		}
	}
}

// TestRowCapAfterTerminator: the LIMIT must land in the statement, not
// after a trailing ";" or comment, and Verdict.SQL must be what runs.
func TestRowCapAfterTerminator(t *testing.T) {
	tests := []struct {
		name string
		d    catalog.Dialect
		sql  string
		want string
	}{
		{"pg terminator and comment", catalog.Postgres, "SELECT id FROM customers; -- all ids", "SELECT id FROM customers\nLIMIT 10"},
		{"pg terminator, comment, tighten", catalog.Postgres, "SELECT id FROM customers LIMIT 500; -- x", "SELECT id FROM customers LIMIT 10"},
		{"pg block comment after terminator", catalog.Postgres, "SELECT id FROM t; /* done */", "SELECT id FROM t\nLIMIT 10"},
		{"pg with ties is wrapped", catalog.Postgres, "SELECT id FROM t ORDER BY id FETCH FIRST 5 ROWS WITH TIES", "SELECT * FROM (SELECT id FROM t ORDER BY id FETCH FIRST 5 ROWS WITH TIES) AS askdb_capped LIMIT 10"},
		{"sqlite terminator and comment", catalog.SQLite, "SELECT id FROM customers; -- all ids", "SELECT id FROM customers\nLIMIT 10"},
		{"sqlite comment only", catalog.SQLite, "SELECT id FROM customers -- all ids", "SELECT id FROM customers -- all ids\nLIMIT 10"},
		{"mysql terminator and comment", catalog.MySQL, "SELECT id FROM customers; -- all ids", "SELECT id FROM customers\nLIMIT 10"},
		{"mysql keeps the author's text", catalog.MySQL, "SELECT count(*), avg(amount) FROM customers", "SELECT count(*), avg(amount) FROM customers\nLIMIT 10"},
		{"mysql tightens in place", catalog.MySQL, "select a from t where b = 'x\\\\y' limit 100", "select a from t where b = 'x\\\\y' limit 10"},
		{"mysql comma limit", catalog.MySQL, "SELECT a FROM t LIMIT 5, 500;", "SELECT a FROM t LIMIT 5, 10"},
		{"mysql restore fallback keeps names", catalog.MySQL, "SELECT count(*), avg(amount), id FROM t LIMIT 500 # tail", "SELECT COUNT(1) AS `count(*)`,AVG(`amount`) AS `avg(amount)`,`id` FROM `t` LIMIT 10"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assertCapped(t, tc.d, tc.sql, tc.want)
		})
	}
}
