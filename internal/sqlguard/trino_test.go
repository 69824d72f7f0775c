package sqlguard

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/antlr/antlr4/runtime/Go/antlr"
	"github.com/google/go-cmp/cmp"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
	tp "github.com/askdb/askdb/internal/sqlguard/trinoparser"
)

// trinoLines reads a testdata file of one statement per line ("#" starts a
// comment line).
func trinoLines(t testing.TB, path string) []string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", path))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if s := strings.TrimSpace(sc.Text()); s != "" && !strings.HasPrefix(s, "#") {
			out = append(out, s)
		}
	}
	return out
}

// TestTrinoQueriesAccepted: realistic analytic Trino queries (lambdas,
// UNNEST WITH ORDINALITY, TRY_CAST, approx_distinct, FETCH FIRST, window
// functions, grouping sets, time travel) must all pass, and what the guard
// returns must pass again unchanged.
func TestTrinoQueriesAccepted(t *testing.T) {
	qs := trinoLines(t, "trino/queries.sql")
	if len(qs) < 40 {
		t.Fatalf("only %d queries read", len(qs))
	}
	for _, q := range qs {
		v := Check(q, Options{Dialect: catalog.Trino, MaxRows: 100})
		if !v.Accepted {
			t.Errorf("refused (%s, %s at %d:%d): %s\n  %s", v.Rule, v.Construct, v.Line, v.Column, v.Message, q)
			continue
		}
		assertIdempotent(t, catalog.Trino, v)
	}
}

func TestTrinoRefusals(t *testing.T) {
	tests := []struct {
		name, sql string
		rule      Rule
		construct string
	}{
		{"insert", "INSERT INTO t SELECT 1", RuleNotQuery, "INSERT INTO"},
		{"create table as", "CREATE TABLE t AS SELECT 1", RuleNotQuery, "CREATE TABLE AS SELECT"},
		{"call", "CALL system.flush_metadata_cache()", RuleNotQuery, "CALL"},
		{"execute immediate", "EXECUTE IMMEDIATE 'DROP TABLE t'", RuleNotQuery, "EXECUTE IMMEDIATE"},
		{"set session", "SET SESSION a = 1", RuleNotQuery, "SET SESSION"},
		{"use", "USE hive.sales", RuleNotQuery, "USE"},
		{"bare expression", "1 + 1", RuleNotQuery, ""},
		{"two statements", "SELECT 1; SELECT 2", RuleMultipleStatements, ";"},
		{"syntax error", "SELECT FROM WHERE", RuleParse, ""},
		{"inline function", "WITH FUNCTION f() RETURNS int RETURN 1 SELECT f()", RuleFunction, "WITH FUNCTION"},
		{"query pass-through", "SELECT * FROM TABLE(pg.system.query(query => 'DELETE FROM t'))", RuleFunction, "pg.system.query"},
		{"exclude_columns", "SELECT * FROM TABLE(exclude_columns(input => TABLE(t), columns => DESCRIPTOR(a)))", RuleFunction, "exclude_columns"},
		{"any table function", "SELECT * FROM TABLE(my_fn(1))", RuleFunction, "my_fn"},
		{"function off the list", "SELECT evil(a) FROM t", RuleFunction, "evil"},
		{"quoted function name off the list", `SELECT "EVIL"(a) FROM t`, RuleFunction, "evil"},
		{"qualified function", "SELECT hive.fns.f(a) FROM t", RuleFunction, "hive.fns.f"},
		{"qualified built-in", "SELECT system.builtin.abs(a) FROM t", RuleFunction, "system.builtin.abs"},
		{"function inside a lambda", "SELECT transform(a, x -> evil(x)) FROM t", RuleFunction, "evil"},
		{"function in ORDER BY of an aggregate", "SELECT array_agg(a ORDER BY evil(a)) FROM t", RuleFunction, "evil"},
		{"current_user is a call", "SELECT current_user", RuleFunction, "current_user"},
		{"current_catalog is a call", "SELECT current_catalog", RuleFunction, "current_catalog"},
		{"system catalog", "SELECT * FROM system.runtime.queries", RuleSystemCatalog, "system.runtime.queries"},
		{"information schema", "SELECT * FROM hive.information_schema.tables", RuleSystemCatalog, "information_schema.tables"},
		{"metadata table", `SELECT * FROM hive.s."t$partitions"`, RuleSystemCatalog, "s.t$partitions"},
		{"hidden connector column", `SELECT "$path" FROM t`, RuleSystemCatalog, "$path"},
		{"qualified hidden connector column", `SELECT x."$path" FROM t x`, RuleSystemCatalog, "$path"},
		{"parameter", "SELECT a FROM t WHERE a = ?", RuleVariable, "?"},
		{"match_recognize", "SELECT * FROM t MATCH_RECOGNIZE (ORDER BY a PATTERN (A) DEFINE A AS true)", RuleNotQuery, "MATCH_RECOGNIZE"},
		{"backquoted identifier", "SELECT `a` FROM t", RuleParse, "`a`"},
		{"digit identifier", "SELECT 1a FROM t", RuleParse, "1a"},
		{"too many name parts", "SELECT * FROM a.b.c.d", RuleParse, "a.b.c.d"},
		// Only ASCII letters fold: "ı" (dotless i) upper-cases to "I" in Unicode.
		{"non-ASCII letter is no keyword", "SELECT 1 lımıt 1", RuleParse, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := Check(tc.sql, Options{Dialect: catalog.Trino, MaxRows: 10})
			got := [2]string{string(v.Rule), v.Construct}
			if diff := cmp.Diff([2]string{string(tc.rule), tc.construct}, got); diff != "" {
				t.Errorf("%s: verdict (-want +got):\n%s\nmessage: %s", tc.sql, diff, v.Message)
			}
			if !v.Accepted && (v.Message == "" || v.Line == 0) {
				t.Errorf("refusal without message or position: %+v", v)
			}
		})
	}
}

func TestTrinoLimit(t *testing.T) {
	tests := []struct {
		name, sql string
		max       int
		want      string
		limited   bool
	}{
		{"append", "SELECT a FROM t", 10, "SELECT a FROM t LIMIT 10", true},
		{"append before a trailing comment", "SELECT a FROM t -- all of it", 10, "SELECT a FROM t LIMIT 10 -- all of it", true},
		{"append after ORDER BY and OFFSET", "SELECT a FROM t ORDER BY a OFFSET 5", 10, "SELECT a FROM t ORDER BY a OFFSET 5 LIMIT 10", true},
		{"append after a set operation", "SELECT a FROM t UNION SELECT a FROM u", 10, "SELECT a FROM t UNION SELECT a FROM u LIMIT 10", true},
		{"inner limit is not the outer", "SELECT a FROM (SELECT a FROM t LIMIT 500) x", 10, "SELECT a FROM (SELECT a FROM t LIMIT 500) x LIMIT 10", true},
		{"tighten", "SELECT a FROM t LIMIT 500", 10, "SELECT a FROM t LIMIT 10", true},
		{"keep a smaller one", "SELECT a FROM t LIMIT 5", 10, "SELECT a FROM t LIMIT 5", false},
		{"limit all", "SELECT a FROM t LIMIT ALL", 10, "SELECT a FROM t LIMIT 10", true},
		{"huge limit", "SELECT a FROM t LIMIT 99999999999999999999999", 10, "SELECT a FROM t LIMIT 10", true},
		{"fetch first", "SELECT a FROM t FETCH FIRST 500 ROWS ONLY", 10, "SELECT a FROM t FETCH FIRST 10 ROWS ONLY", true},
		{"fetch next smaller", "SELECT a FROM t OFFSET 1 ROW FETCH NEXT 3 ROWS ONLY", 10, "SELECT a FROM t OFFSET 1 ROW FETCH NEXT 3 ROWS ONLY", false},
		{"fetch first row", "SELECT a FROM t FETCH FIRST ROW ONLY", 10, "SELECT a FROM t FETCH FIRST ROW ONLY", false},
		{"with ties is wrapped", "SELECT a FROM t ORDER BY a FETCH FIRST 3 ROWS WITH TIES", 10,
			"SELECT * FROM (\nSELECT a FROM t ORDER BY a FETCH FIRST 3 ROWS WITH TIES\n) LIMIT 10", true},
		{"with clause", "WITH x AS (SELECT a FROM t) SELECT a FROM x", 10, "WITH x AS (SELECT a FROM t) SELECT a FROM x LIMIT 10", true},
		{"non-ASCII before the limit", "SELECT 'äöü' AS s FROM t LIMIT 50", 10, "SELECT 'äöü' AS s FROM t LIMIT 10", true},
		{"trailing semicolons dropped", "SELECT a FROM t;;", 10, "SELECT a FROM t LIMIT 10", true},
		{"semicolon before a trailing comment dropped", "SELECT a FROM t; -- all rows", 10, "SELECT a FROM t LIMIT 10 -- all rows", true},
		{"semicolon inside a comment kept", "SELECT a FROM t /* ; */", 10, "SELECT a FROM t LIMIT 10 /* ; */", true},
		{"no cap asked", "SELECT a FROM t", 0, "SELECT a FROM t", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := Check(tc.sql, Options{Dialect: catalog.Trino, MaxRows: tc.max})
			if !v.Accepted {
				t.Fatalf("refused: %s: %s", v.Rule, v.Message)
			}
			if v.SQL != tc.want || v.Limited != tc.limited {
				t.Errorf("got %q (limited %v), want %q (limited %v)", v.SQL, v.Limited, tc.want, tc.limited)
			}
		})
	}
}

// TestTrinoPolicy covers what is Trino's own: three-part names, dotted
// column chains and the forms that expose every column.
func TestTrinoPolicy(t *testing.T) {
	pol := config.Policy{Deny: []string{"employees.salary", "hr.payroll"}}
	tests := []struct {
		name, sql string
		rule      Rule
		construct string
		tables    []string
	}{
		{"catalog.schema.table", "SELECT name FROM hive.hr.employees", "", "", []string{"hr.employees"}},
		{"denied table under a catalog", "SELECT id FROM hive.hr.payroll", RulePolicyTable, "hr.payroll", nil},
		{"hidden column by table name", "SELECT employees.salary FROM hive.hr.employees", RulePolicyColumn, "employees.salary", nil},
		{"hidden column by schema.table", "SELECT hr.employees.salary FROM hr.employees", RulePolicyColumn, "employees.salary", nil},
		{"hidden column as a row field base", "SELECT salary.amount FROM employees", RulePolicyColumn, "employees.salary", nil},
		{"hidden column in a lambda", "SELECT transform(ARRAY[1], x -> x + salary) FROM employees", RulePolicyColumn, "employees.salary", nil},
		{"TABLE is a star", "TABLE employees", RuleStarOverHidden, "employees", nil},
		{"GROUPING names a hidden column", "SELECT grouping(salary) FROM employees GROUP BY ROLLUP (name)", RulePolicyColumn, "employees.salary", nil},
		{"label star in a call", "SELECT count(e.*) FROM employees e", RuleStarOverHidden, "employees", nil},
		{"column alias list", "SELECT a FROM employees AS e(a, b, c)", RuleStarOverHidden, "employees", nil},
		{"star over a lateral subquery", "SELECT x.* FROM (SELECT * FROM employees) x", RuleStarOverHidden, "employees", nil},
		{"CTE is no table", "WITH e AS (SELECT name FROM employees) SELECT name FROM e", "", "", []string{"employees"}},
		{"unnest alias is no table", "SELECT u.v FROM employees e CROSS JOIN UNNEST(e.tags) AS u(v)", "", "", []string{"employees"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := Check(tc.sql, Options{Dialect: catalog.Trino, Policy: pol})
			got := [2]string{string(v.Rule), v.Construct}
			if diff := cmp.Diff([2]string{string(tc.rule), tc.construct}, got); diff != "" {
				t.Errorf("%s: verdict (-want +got):\n%s\nmessage: %s", tc.sql, diff, v.Message)
			}
			if tc.tables != nil {
				if diff := cmp.Diff(tc.tables, v.Tables); diff != "" {
					t.Errorf("tables (-want +got):\n%s", diff)
				}
			}
		})
	}
}

// TestTrinoConcurrentChecks runs checks from many goroutines: the generated
// parser shares its DFA cache across parsers, so without trinoMu this fails
// under -race (and can return wrong parses).
func TestTrinoConcurrentChecks(t *testing.T) {
	qs := trinoLines(t, "trino/queries.sql")
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range qs {
				q := qs[(i+g*7)%len(qs)]
				if v := Check(q, Options{Dialect: catalog.Trino, MaxRows: 100}); !v.Accepted {
					t.Errorf("refused under concurrency: %s: %s", v.Message, q)
				}
			}
		}()
	}
	wg.Wait()
}

// TestTrinoSLLMatchesLL: the fast first stage (SLL prediction) must build
// the tree full LL prediction builds, for every query it completes.
func TestTrinoSLLMatchesLL(t *testing.T) {
	completed := 0
	for _, file := range []string{"trino/queries.sql", "attacks/trino.sql"} {
		for _, q := range trinoLines(t, file) {
			sll, ll := trinoTrees(q)
			if sll != "" {
				completed++
			}
			if sll != "" && sll != ll {
				t.Errorf("SLL and LL trees differ for %s\n  SLL: %s\n  LL:  %s", q, sll, ll)
			}
		}
	}
	if completed < 100 {
		t.Errorf("SLL completed only %d parses", completed)
	}
	t.Logf("SLL completed %d parses", completed)
}

// trinoTrees parses q in each prediction mode and prints the trees ("" when
// SLL gives up).
func trinoTrees(q string) (sll, ll string) {
	trinoMu.Lock()
	defer trinoMu.Unlock()
	lx := tp.NewTrinoLexer(trinoInput{antlr.NewInputStream(q + "\n;")})
	lx.RemoveErrorListeners()
	ts := antlr.NewCommonTokenStream(lx, antlr.TokenDefaultChannel)
	ts.Fill()
	if tree, ok := trinoParseSLL(ts); ok {
		sll = tree.ToStringTree(nil, tree.GetParser())
	}
	ts.Seek(0)
	p := tp.NewTrinoParser(ts)
	p.RemoveErrorListeners()
	tree := p.Parse()
	return sll, tree.ToStringTree(nil, p)
}
