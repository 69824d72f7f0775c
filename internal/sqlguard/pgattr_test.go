package sqlguard

import (
	"testing"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
)

// TestAttributeNotation pins the class of PostgreSQL and DuckDB syntax that
// calls a function without a FuncCall node: (expr).f, alias.f on a whole
// row, col.f on a column. Each refused case ran a side effect or leaked a
// hidden column on a real server before the fix (issue 12); each accepted
// case is a plain column reference that must keep working.
func TestAttributeNotation(t *testing.T) {
	emp := catalog.Table{Schema: "public", Name: "employees", Columns: []catalog.Column{
		{Name: "id"}, {Name: "name"}, {Name: "salary"}, {Name: "hired"}, {Name: "text"},
	}}
	cat := &catalog.Catalog{Tables: []catalog.Table{emp}}
	salary := config.Policy{Deny: []string{"employees.salary"}}
	tests := []struct {
		name string
		pol  config.Policy
		cat  *catalog.Catalog
		sql  string
		want Rule // "" means accepted
	}{
		// (expr).f is a call of f unless expr is a composite with field f.
		{"sleep by field selection", config.Policy{}, nil, "SELECT (0.5).pg_sleep", RuleFunction},
		{"kill a backend", config.Policy{}, nil, "SELECT (1234).pg_terminate_backend", RuleFunction},
		{"advisory lock", config.Policy{}, nil, "SELECT (42::bigint).pg_advisory_lock", RuleFunction},
		{"read a setting", config.Policy{}, nil, "SELECT ('search_path').current_setting", RuleFunction},
		{"dblink write", config.Policy{}, nil, "SELECT ('DELETE FROM t').dblink_exec", RuleFunction},
		{"dblink connect", config.Policy{}, nil, "SELECT ('host=localhost user=writer').dblink_connect", RuleFunction},
		{"nested in WHERE", config.Policy{}, nil, "SELECT id FROM employees WHERE (0.5).pg_sleep IS NULL", RuleFunction},
		{"in a CTE", config.Policy{}, nil, "WITH x AS (SELECT (1).pg_cancel_backend AS k) SELECT k FROM x", RuleFunction},
		{"chained fields", config.Policy{}, nil, "SELECT ((1).int8).pg_advisory_lock", RuleFunction},
		{"field of a column", config.Policy{}, nil, "SELECT (e.salary).pg_sleep FROM employees e", RuleFunction},
		// q.f on a whole row: the row-callable functions are refused without a catalog.
		{"row_to_json on a row", config.Policy{}, nil, "SELECT e.row_to_json FROM employees e", RuleFunction},
		{"to_jsonb on a row", salary, nil, "SELECT e.to_jsonb ->> 'salary' FROM employees e", RuleFunction},
		{"to_json in ORDER BY", salary, nil, "SELECT id FROM employees c ORDER BY c.to_json::text", RuleFunction},
		{"to_json as an oracle", salary, nil, "SELECT id FROM employees c WHERE c.to_json::text LIKE '%9%'", RuleFunction},
		{"hstore on a row", config.Policy{}, nil, "SELECT e.hstore FROM employees e", RuleFunction},
		{"json_agg on a row", config.Policy{}, nil, "SELECT e.json_agg FROM employees e", RuleFunction},
		{"quoted name", config.Policy{}, nil, `SELECT e."row_to_json" FROM employees e`, RuleFunction},
		{"upper case", config.Policy{}, nil, "SELECT E.ROW_TO_JSON FROM employees E", RuleFunction},
		{"subquery row", config.Policy{}, nil, "SELECT s.to_jsonb FROM (SELECT id FROM employees) s", RuleFunction},
		{"table name as qualifier", config.Policy{}, nil, "SELECT employees.record_out FROM employees", RuleFunction},
		{"schema-qualified table", config.Policy{}, nil, "SELECT public.employees.to_json FROM public.employees", RuleFunction},
		// col.f on a column is a call on the column's value.
		{"sleep on a column", config.Policy{}, nil, "SELECT salary.pg_sleep FROM employees", RuleFunction},
		{"three-part field", config.Policy{}, nil, "SELECT e.salary.pg_advisory_lock FROM employees e", RuleFunction},
		// A cast by name (e.text is e::text) hides nothing only without a policy.
		{"text of a row under policy", salary, nil, "SELECT e.text FROM employees e", RuleStarOverHidden},
		{"name of a row under policy", salary, nil, "SELECT e.name FROM employees e", RuleStarOverHidden},
		{"text of a row, no policy", config.Policy{}, nil, "SELECT e.text FROM employees e", ""},
		// With the catalog, q.f is exact: a column, or refused.
		{"catalog: a column", salary, cat, "SELECT e.name, e.text FROM employees e", ""},
		{"catalog: not a column", config.Policy{}, cat, "SELECT e.anything FROM employees e", RuleFunction},
		{"catalog: text is a column", salary, cat, "SELECT e.text FROM employees e", ""},
		{"catalog: hidden column", salary, cat, "SELECT e.salary FROM employees e", RulePolicyColumn},
		{"catalog: a user function", config.Policy{}, cat, "SELECT e.my_leak FROM employees e", RuleFunction},
		{"catalog: three parts", config.Policy{}, cat, "SELECT public.employees.name FROM public.employees", ""},
		// Everyday column references stay accepted.
		{"qualified columns", config.Policy{}, nil, "SELECT T1.name, T1.age, T2.date, T2.position FROM people AS T1 JOIN events AS T2 ON T1.id = T2.pid", ""},
		{"rank column", config.Policy{}, nil, "SELECT T1.rank FROM players T1 ORDER BY T1.rank", ""},
		{"correlated subquery", config.Policy{}, nil, "SELECT a.id FROM employees a WHERE a.salary > (SELECT avg(b.salary) FROM employees b WHERE b.dept = a.dept)", ""},
		{"function alias", config.Policy{}, nil, "SELECT g.g FROM generate_series(1, 3) AS g(g)", ""},
		{"unaliased function", config.Policy{}, nil, "SELECT generate_series.generate_series FROM generate_series(1, 3)", ""},
		{"join alias", config.Policy{}, nil, "SELECT j.id FROM (employees a JOIN employees b USING (id)) AS j", ""},
		{"array subscript", config.Policy{}, nil, "SELECT (string_to_array(name, ' '))[1] FROM employees", ""},
		{"whole-row star", config.Policy{}, nil, "SELECT (e).* FROM employees e", ""},
	}
	for _, d := range []catalog.Dialect{catalog.Postgres, catalog.DuckDB} {
		for _, tc := range tests {
			t.Run(string(d)+"/"+tc.name, func(t *testing.T) {
				v := Check(tc.sql, Options{Dialect: d, Policy: tc.pol, Catalog: tc.cat})
				if got := v.Rule; v.Accepted && tc.want != "" || !v.Accepted && got != tc.want {
					t.Errorf("%s\n  got accepted=%v rule=%q (%s), want rule %q", tc.sql, v.Accepted, got, v.Message, tc.want)
				}
			})
		}
	}
}

// TestAttributeNotationOtherDialects shows that MySQL and SQLite have no
// such syntax: a dotted name is never a call there, and (expr).f does not
// parse.
func TestAttributeNotationOtherDialects(t *testing.T) {
	for _, d := range []catalog.Dialect{catalog.MySQL, catalog.SQLite} {
		for _, sql := range []string{"SELECT (0.5).sleep", "SELECT (1).get_lock"} {
			if v := Check(sql, Options{Dialect: d}); v.Accepted || v.Rule != RuleParse {
				t.Errorf("%s: %s: got accepted=%v rule=%q, want a parse refusal", d, sql, v.Accepted, v.Rule)
			}
		}
	}
}

// TestStringEscapeReadings pins the literals whose end moves with the
// server's backslash mode (standard_conforming_strings, NO_BACKSLASH_ESCAPES).
func TestStringEscapeReadings(t *testing.T) {
	tests := []struct {
		name string
		d    catalog.Dialect
		sql  string
		want Rule
	}{
		{"pg hides code in a string", catalog.Postgres, `SELECT 'x\' AS a, ' , pg_sleep(0.5), salary FROM employees -- '`, RuleStringEscape},
		{"pg N string", catalog.Postgres, `SELECT N'x\' , pg_sleep(1) -- '`, RuleStringEscape},
		{"pg three backslashes", catalog.Postgres, `SELECT 'a\\\' , 1 -- '`, RuleStringEscape},
		{"duckdb same text", catalog.DuckDB, `SELECT 'x\' AS a, ' , salary FROM employees -- '`, RuleStringEscape},
		{"pg even run is the same both ways", catalog.Postgres, `SELECT 'a\\' AS b`, ""},
		{"pg backslash not before a quote", catalog.Postgres, `SELECT name FROM t WHERE name LIKE '%\_%'`, ""},
		{"pg escape string", catalog.Postgres, `SELECT E'it\'s' AS b`, ""},
		{"pg dollar quote", catalog.Postgres, `SELECT $$x\'$$ AS b`, ""},
		{"pg backslash in a comment", catalog.Postgres, "SELECT 1 -- a\\'\n", ""},
		{"mysql hides code in a string", catalog.MySQL, `SELECT 'x\', GET_LOCK(0x7274,0) -- '`, RuleStringEscape},
		{"mysql double quotes", catalog.MySQL, `SELECT "x\", salary FROM employees -- "`, RuleStringEscape},
		{"mysql escaped apostrophe", catalog.MySQL, `SELECT 'O\'Brien'`, RuleStringEscape},
		{"mysql doubled quote", catalog.MySQL, `SELECT 'O''Brien'`, ""},
		{"mysql even run", catalog.MySQL, `SELECT 'a\\' AS b`, ""},
		{"mysql backslash in an identifier", catalog.MySQL, "SELECT 1 AS `a\\`", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := Check(tc.sql, Options{Dialect: tc.d})
			if v.Accepted && tc.want != "" || !v.Accepted && v.Rule != tc.want {
				t.Errorf("%s\n  got accepted=%v rule=%q (%s), want rule %q", tc.sql, v.Accepted, v.Rule, v.Message, tc.want)
			}
		})
	}
}

// TestMySQLCallSpelling: a backquoted name or a space before the
// parenthesis makes MySQL and MariaDB call a stored function of that name.
func TestMySQLCallSpelling(t *testing.T) {
	tests := []ruleCase{
		{"SELECT `count`(x) FROM t", RuleFunction},
		{"SELECT count (x) FROM t", RuleFunction},
		{"SELECT count\n(x) FROM t", RuleFunction},
		{"SELECT count/* c */(x) FROM t", RuleFunction},
		{"SELECT `sum` ( x ) FROM t", RuleFunction},
		{"SELECT count(x), sum(y) FROM t WHERE a IN (1) AND b = (SELECT max(c) FROM u)", ""},
		{"SELECT `count`, t.`sum` FROM t WHERE `count` > (1)", ""},
		{"SELECT 'count (x)' AS a, count(*) FROM t", ""},
		{"SELECT max(a) AS `max` FROM t", ""},
		{"SELECT AVG (salary) FROM t", ""}, // AVG is a built-in with or without the space
	}
	wantRules(t, Options{Dialect: catalog.MySQL}, tests)
}

// TestDuckDBBuiltValues: DuckDB builds one call's whole result outside its
// memory_limit, so size-multiplying calls need small literal arguments.
func TestDuckDBBuiltValues(t *testing.T) {
	tests := []ruleCase{
		{"SELECT repeat('x', 1e9)", RuleTooComplex},
		{"SELECT repeat(name, n) FROM t", RuleTooComplex},
		{"SELECT repeat(name, 100000) FROM t", RuleTooComplex},
		{"SELECT list_transform(range(1e8), x -> repeat('x', 100))", RuleTooComplex},
		{"SELECT list_transform(range(1000), x -> lpad('a', 10, ' '))", RuleTooComplex},
		{"SELECT repeat(upper(repeat('x', 1000)), 1000)", RuleTooComplex},
		{"SELECT range(-1e9, 1e9)", RuleTooComplex},
		{"SELECT printf('%1000000000d', 1)", RuleTooComplex},
		{"SELECT repeat('-', 40), lpad(name, 10, ' '), range(1, 10, 2), format('{:>5}', 1) FROM t", ""},
		{"SELECT list_transform(range(100), x -> x + 1)", ""},
		{"SELECT count(*) FROM range(1e13)", ""},
		{"SELECT g FROM generate_series(1, 100000000) AS s(g) LIMIT 5", ""},
	}
	wantRules(t, Options{Dialect: catalog.DuckDB}, tests)
	// PostgreSQL builds values in the server, under its own limits.
	if v := Check("SELECT repeat('x', 1000000000)", Options{Dialect: catalog.Postgres}); !v.Accepted {
		t.Errorf("PostgreSQL repeat refused: %s", v.Message)
	}
}

// ruleCase is a query and the rule that must refuse it ("": accepted).
type ruleCase struct {
	sql  string
	want Rule
}

// wantRules checks each case with opts.
func wantRules(t *testing.T, opts Options, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		v := Check(tc.sql, opts)
		if v.Accepted && tc.want != "" || !v.Accepted && v.Rule != tc.want {
			t.Errorf("%s\n  got accepted=%v rule=%q (%s), want rule %q", tc.sql, v.Accepted, v.Rule, v.Message, tc.want)
		}
	}
}
