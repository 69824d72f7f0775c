package sqlguard

import (
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/pingcap/tidb/pkg/parser"
	"github.com/pingcap/tidb/pkg/parser/ast"
	sqlite "github.com/rqlite/sql"

	"github.com/askdb/askdb/internal/catalog"
)

const my, lite, pq = catalog.MySQL, catalog.SQLite, catalog.Postgres

// rowCapCases are inputs built to fool a row-cap edit made without a
// re-parse: a LIMIT in a comment, a string or a subquery, the comma and
// OFFSET forms, set operations, parentheses, terminators, unicode before the
// count. want is the SQL with MaxRows 10. FuzzRowCap starts from them.
var rowCapCases = []struct {
	name    string
	d       catalog.Dialect
	sql     string
	want    string
	limited bool
}{
	{"mysql tighten", my, "SELECT a FROM t LIMIT 500", "SELECT a FROM t LIMIT 10", true},
	{"mysql lower case", my, "select a from t limit 500", "select a from t limit 10", true},
	{"mysql comma form", my, "SELECT a FROM t LIMIT 3, 500", "SELECT a FROM t LIMIT 3, 10", true},
	{"mysql comma without space", my, "SELECT a FROM t LIMIT 3,500", "SELECT a FROM t LIMIT 3,10", true},
	{"mysql comma offset is not the count", my, "SELECT a FROM t LIMIT 500, 3", "SELECT a FROM t LIMIT 500, 3", false},
	{"mysql offset form", my, "SELECT a FROM t LIMIT 500 OFFSET 3", "SELECT a FROM t LIMIT 10 OFFSET 3", true},
	{"mysql offset is not the count", my, "SELECT a FROM t LIMIT 3 OFFSET 500", "SELECT a FROM t LIMIT 3 OFFSET 500", false},
	{"mysql count on the next line", my, "SELECT a FROM t ORDER BY a LIMIT\n500", "SELECT a FROM t ORDER BY a LIMIT\n10", true},
	{"mysql leading zeros", my, "SELECT a FROM t LIMIT 0500", "SELECT a FROM t LIMIT 10", true},
	{"mysql largest count", my, "SELECT a FROM t LIMIT 18446744073709551615", "SELECT a FROM t LIMIT 10", true},
	{"mysql terminator and comment", my, "SELECT a FROM t LIMIT 500; -- LIMIT 5", "SELECT a FROM t LIMIT 10", true},
	{"mysql limit in trailing dash comment", my, "SELECT a FROM t LIMIT 5 -- LIMIT 500", "SELECT a FROM t LIMIT 5 -- LIMIT 500", false},
	{"mysql limit in trailing dash comment over the count", my, "SELECT a FROM t LIMIT 500 -- LIMIT 5", "SELECT `a` FROM `t` LIMIT 10", true},
	{"mysql limit in trailing hash comment", my, "SELECT a FROM t LIMIT 500 # LIMIT 5", "SELECT `a` FROM `t` LIMIT 10", true},
	{"mysql limit in trailing block comment", my, "SELECT a FROM t LIMIT 500 /* LIMIT 5 */", "SELECT `a` FROM `t` LIMIT 10", true},
	{"mysql hash in a string on the limit line", my, "SELECT a FROM t WHERE b = '#' LIMIT 500", "SELECT a FROM t WHERE b = '#' LIMIT 10", true},
	{"mysql limit in a string", my, "SELECT a FROM t WHERE b = 'LIMIT 5' LIMIT 500", "SELECT a FROM t WHERE b = 'LIMIT 5' LIMIT 10", true},
	{"mysql limit in a block comment", my, "SELECT a FROM t /* LIMIT 5 */ LIMIT 500", "SELECT a FROM t /* LIMIT 5 */ LIMIT 10", true},
	{"mysql limit in a subquery is kept", my, "SELECT a FROM (SELECT a FROM t LIMIT 500) x", "SELECT a FROM (SELECT a FROM t LIMIT 500) x\nLIMIT 10", true},
	{"mysql only the outer limit", my, "SELECT a FROM (SELECT a FROM t LIMIT 500) x LIMIT 500", "SELECT a FROM (SELECT a FROM t LIMIT 500) x LIMIT 10", true},
	{"mysql union limit", my, "SELECT a FROM t UNION SELECT b FROM u LIMIT 500", "SELECT a FROM t UNION SELECT b FROM u LIMIT 10", true},
	{"mysql union append", my, "SELECT a FROM t UNION SELECT b FROM u", "SELECT a FROM t UNION SELECT b FROM u\nLIMIT 10", true},
	{"mysql limit of the last union member", my, "SELECT a FROM t UNION (SELECT b FROM u LIMIT 500)", "SELECT a FROM t UNION (SELECT b FROM u LIMIT 500)\nLIMIT 10", true},
	{"mysql parenthesised select with limit", my, "(SELECT a FROM t LIMIT 500)", "(SELECT `a` FROM `t` LIMIT 10)", true},
	{"mysql limit after parentheses", my, "(SELECT a FROM t) LIMIT 500", "(SELECT a FROM t) LIMIT 10", true},
	{"mysql parenthesised select", my, "(SELECT a FROM t)", "(SELECT `a` FROM `t` LIMIT 10)", true},
	{"mysql unicode before the count", my, "SELECT a FROM t WHERE b = 'ünïcödé' LIMIT 500", "SELECT a FROM t WHERE b = 'ünïcödé' LIMIT 10", true},
	{"mysql unicode before an append", my, "SELECT 'é' AS x FROM t", "SELECT 'é' AS x FROM t\nLIMIT 10", true},
	{"mysql append after dash comment", my, "SELECT a FROM t -- note", "SELECT a FROM t -- note\nLIMIT 10", true},
	{"mysql append after hash comment", my, "SELECT a FROM t # note", "SELECT a FROM t # note\nLIMIT 10", true},
	{"mysql append after block comment", my, "SELECT a FROM t /* note */", "SELECT a FROM t /* note */\nLIMIT 10", true},
	{"mysql fetch first", my, "SELECT a FROM t FETCH FIRST 500 ROWS ONLY", "SELECT `a` FROM `t` LIMIT 10", true},
	{"mysql double dash is minus on the limit line", my, "SELECT a FROM t WHERE b = 1 --1 LIMIT 500", "SELECT a FROM t WHERE b = 1 --1 LIMIT 10", true},
	{"mysql decimal point before the limit", my, "SELECT a FROM t WHERE b = 1.\nLIMIT 500", "SELECT a FROM t WHERE b = 1.\nLIMIT 10", true},
	{"mysql with clause", my, "WITH c AS (SELECT a FROM t LIMIT 500) SELECT a FROM c", "WITH c AS (SELECT a FROM t LIMIT 500) SELECT a FROM c\nLIMIT 10", true},

	{"postgres tighten", pq, "SELECT a FROM t LIMIT 500", "SELECT a FROM t LIMIT 10", true},
	{"postgres lower case", pq, "select a from t limit 500", "select a from t limit 10", true},
	{"postgres offset form", pq, "SELECT a FROM t LIMIT 500 OFFSET 3", "SELECT a FROM t LIMIT 10 OFFSET 3", true},
	{"postgres offset first", pq, "SELECT a FROM t OFFSET 3 LIMIT 500", "SELECT a FROM t OFFSET 3 LIMIT 10", true},
	{"postgres offset only", pq, "SELECT a FROM t OFFSET 3", "SELECT a FROM t OFFSET 3\nLIMIT 10", true},
	{"postgres offset rows", pq, "SELECT a FROM t ORDER BY a OFFSET 3 ROWS", "SELECT a FROM t ORDER BY a OFFSET 3 ROWS\nLIMIT 10", true},
	{"postgres offset is not the count", pq, "SELECT a FROM t LIMIT 3 OFFSET 500", "SELECT a FROM t LIMIT 3 OFFSET 500", false},
	{"postgres count on the next line", pq, "SELECT a FROM t LIMIT\n500", "SELECT a FROM t LIMIT\n10", true},
	{"postgres terminator and comment", pq, "SELECT a FROM t LIMIT 500; -- LIMIT 5", "SELECT a FROM t LIMIT 10", true},
	{"postgres limit in trailing comment", pq, "SELECT a FROM t LIMIT 5 -- LIMIT 500", "SELECT a FROM t LIMIT 5 -- LIMIT 500", false},
	{"postgres append after dash comment", pq, "SELECT a FROM t -- note", "SELECT a FROM t -- note\nLIMIT 10", true},
	{"postgres append after block comment", pq, "SELECT a FROM t /* LIMIT 5 */", "SELECT a FROM t /* LIMIT 5 */\nLIMIT 10", true},
	{"postgres limit in a string", pq, "SELECT a FROM t WHERE b = 'LIMIT 5' LIMIT 500", "SELECT a FROM t WHERE b = 'LIMIT 5' LIMIT 10", true},
	{"postgres dollar string", pq, "SELECT $$ LIMIT 5 $$ AS a FROM t", "SELECT $$ LIMIT 5 $$ AS a FROM t\nLIMIT 10", true},
	{"postgres limit in a subquery is kept", pq, "SELECT a FROM (SELECT a FROM t LIMIT 500) x", "SELECT a FROM (SELECT a FROM t LIMIT 500) x\nLIMIT 10", true},
	{"postgres union append", pq, "SELECT a FROM t UNION SELECT b FROM u", "SELECT a FROM t UNION SELECT b FROM u\nLIMIT 10", true},
	{"postgres limit of the last union member", pq, "SELECT a FROM t UNION (SELECT b FROM u LIMIT 500)", "SELECT a FROM t UNION (SELECT b FROM u LIMIT 500)\nLIMIT 10", true},
	{"postgres parenthesised select", pq, "(SELECT a FROM t)", "(SELECT a FROM t)\nLIMIT 10", true},
	{"postgres parenthesised select with limit", pq, "(SELECT a FROM t LIMIT 500)", "(SELECT a FROM t LIMIT 10)", true},
	{"postgres with clause", pq, "WITH c AS (SELECT a FROM t LIMIT 500) SELECT a FROM c", "WITH c AS (SELECT a FROM t LIMIT 500) SELECT a FROM c\nLIMIT 10", true},
	{"postgres values", pq, "VALUES (1), (2)", "VALUES (1), (2)\nLIMIT 10", true},
	{"postgres table", pq, "TABLE t", "TABLE t\nLIMIT 10", true},
	{"postgres unicode before the count", pq, "SELECT 'ünïcödé' AS a FROM t LIMIT 500", "SELECT 'ünïcödé' AS a FROM t LIMIT 10", true},
	{"postgres fetch first", pq, "SELECT a FROM t FETCH FIRST 500 ROWS ONLY", "SELECT a FROM t FETCH FIRST 10 ROWS ONLY", true},
	{"postgres limit all", pq, "SELECT a FROM t LIMIT ALL", "SELECT a FROM t LIMIT 10", true},
	{"postgres expression count", pq, "SELECT a FROM t LIMIT 250 + 250", "SELECT * FROM (SELECT a FROM t LIMIT 250 + 250) AS askdb_capped LIMIT 10", true},
	{"postgres with ties", pq, "SELECT a FROM t ORDER BY a FETCH FIRST 500 ROWS WITH TIES", "SELECT * FROM (SELECT a FROM t ORDER BY a FETCH FIRST 500 ROWS WITH TIES) AS askdb_capped LIMIT 10", true},

	{"sqlite tighten", lite, "SELECT a FROM t LIMIT 500", "SELECT a FROM t LIMIT 10", true},
	{"sqlite comma form", lite, "SELECT a FROM t LIMIT 3, 500", "SELECT a FROM t LIMIT 3, 10", true},
	{"sqlite comma offset is not the count", lite, "SELECT a FROM t LIMIT 500, 3", "SELECT a FROM t LIMIT 500, 3", false},
	{"sqlite offset form", lite, "SELECT a FROM t LIMIT 500 OFFSET 3", "SELECT a FROM t LIMIT 10 OFFSET 3", true},
	{"sqlite terminator and comment", lite, "SELECT a FROM t LIMIT 500; -- LIMIT 5", "SELECT a FROM t LIMIT 10", true},
	{"sqlite limit in trailing comment", lite, "SELECT a FROM t LIMIT 5 -- LIMIT 500", "SELECT a FROM t LIMIT 5 -- LIMIT 500", false},
	{"sqlite comment after the count", lite, "SELECT a FROM t LIMIT 500 -- x", "SELECT a FROM t LIMIT 10 -- x", true},
	{"sqlite limit in a string", lite, "SELECT a FROM t WHERE b = 'LIMIT 5' LIMIT 500", "SELECT a FROM t WHERE b = 'LIMIT 5' LIMIT 10", true},
	{"sqlite limit in a subquery is kept", lite, "SELECT a FROM (SELECT a FROM t LIMIT 500)", "SELECT a FROM (SELECT a FROM t LIMIT 500)\nLIMIT 10", true},
	{"sqlite union append", lite, "SELECT a FROM t UNION SELECT b FROM u", "SELECT a FROM t UNION SELECT b FROM u\nLIMIT 10", true},
	{"sqlite union limit", lite, "SELECT a FROM t UNION SELECT b FROM u LIMIT 500", "SELECT a FROM t UNION SELECT b FROM u LIMIT 10", true},
	{"sqlite values", lite, "VALUES (1), (2)", "VALUES (1), (2)\nLIMIT 10", true},
	{"sqlite with clause", lite, "WITH c AS (SELECT a FROM t LIMIT 500) SELECT a FROM c", "WITH c AS (SELECT a FROM t LIMIT 500) SELECT a FROM c\nLIMIT 10", true},
	{"sqlite unicode before the count", lite, "SELECT 'ünïcödé' AS a FROM t LIMIT 500", "SELECT 'ünïcödé' AS a FROM t LIMIT 10", true},
	{"sqlite unicode collation before the count", lite, `SELECT a FROM t ORDER BY a COLLATE "ünï" LIMIT 500`, `SELECT a FROM t ORDER BY a COLLATE "ünï" LIMIT 10`, true},
	{"sqlite hex count", lite, "SELECT a FROM t LIMIT 0x1F4", "SELECT a FROM t LIMIT 10", true},
	{"sqlite float count", lite, "SELECT a FROM t LIMIT 5e2", "SELECT a FROM t LIMIT 10", true},
	{"sqlite expression count", lite, "SELECT a FROM t LIMIT (500)", "SELECT * FROM (\nSELECT a FROM t LIMIT (500)\n) LIMIT 10", true},
	{"sqlite comment opener in a string", lite, "SELECT a FROM t WHERE b = '/*'", "SELECT a FROM t WHERE b = '/*'\nLIMIT 10", true},
	{"sqlite closed comments", lite, "SELECT a FROM t /* x */ -- y", "SELECT a FROM t /* x */ -- y\nLIMIT 10", true},
	{"sqlite comment that closes itself early", lite, "SELECT a FROM t /*/ x */", "SELECT a FROM t /*/ x */\nLIMIT 10", true},
	{"sqlite open comment after the count", lite, "SELECT a FROM t LIMIT 500 /* open", "SELECT a FROM t LIMIT 10 /* open", true},
	{"sqlite bracket names", lite, "SELECT `a` FROM [t] LIMIT 500", `SELECT "a" FROM "t" LIMIT 10`, true},
}

// TestRowCapEdits pins the row-cap edit for rowCapCases. Each result is
// also re-parsed by capWitness, which fails if the cap is not the outer
// LIMIT of exactly the checked query.
func TestRowCapEdits(t *testing.T) {
	for _, tc := range rowCapCases {
		t.Run(tc.name, func(t *testing.T) {
			if v := assertCapped(t, tc.d, tc.sql, tc.want); v.Limited != tc.limited {
				t.Errorf("Limited = %v, want %v", v.Limited, tc.limited)
			}
		})
	}
}

// assertCapped checks sql with MaxRows 10: it must be accepted as want,
// idempotently, and a LIMIT it got must pass capWitness.
func assertCapped(t *testing.T, d catalog.Dialect, sql, want string) Verdict {
	t.Helper()
	v := Check(sql, Options{Dialect: d, MaxRows: 10})
	if !v.Accepted {
		t.Fatalf("refused: %s: %s", v.Rule, v.Message)
	}
	if diff := cmp.Diff(want, v.SQL); diff != "" {
		t.Errorf("SQL mismatch (-want +got):\n%s", diff)
	}
	assertIdempotent(t, d, v)
	if v.Limited {
		capWitness(t, d, sql, v.SQL, 10)
	}
	return v
}

// TestRowCapRefusals: edits that cannot be proved are refused, not guessed.
// rqlite/sql parses these texts (SQLite does not): an open comment or
// parenthesis, or an unparenthesised nested SELECT, would take an appended
// LIMIT.
func TestRowCapRefusals(t *testing.T) {
	for _, sql := range []string{
		"SELECT a FROM t /* open",
		"SELECT a FROM t /* a */ /* open",
		"SELECT 0/(a",
		"SELECT (abs(a)",
		"SELECT a FROM t WHERE a = SELECT b FROM u",
		"SELECT SELECT 1",
		"SELECT a FROM t WHERE (a = SELECT b FROM u",
	} {
		t.Run(sql, func(t *testing.T) {
			if v := Check(sql, Options{Dialect: catalog.SQLite, MaxRows: 10}); v.Accepted || v.Rule != RuleRowLimit {
				t.Errorf("got %+v, want a %s refusal", v, RuleRowLimit)
			}
		})
	}
}

// capWitness re-parses the capped SQL with the dialect's parser and fails
// unless it is the checked query with the outer LIMIT count set to max.
// It is the verification the row-cap edits skip when they can prove it.
func capWitness(t testing.TB, d catalog.Dialect, in, out string, max int) {
	t.Helper()
	switch d {
	case catalog.MySQL:
		mysqlCapWitness(t, in, out, max)
	case catalog.SQLite:
		sqliteCapWitness(t, in, out, max)
	case catalog.Postgres, catalog.DuckDB:
		pgCapWitness(t, in, out, max)
	}
}

// pgCapWitness deparses the input with its outer LIMIT set to max and the
// output as it is; the two must be the same statement. A wrapped output
// (SELECT * FROM (...) AS askdb_capped LIMIT n) must have the cap outside.
func pgCapWitness(t testing.TB, in, out string, max int) {
	t.Helper()
	outTree, err := pg.Parse(out)
	if err != nil || len(outTree.Stmts) != 1 || outTree.Stmts[0].Stmt.GetSelectStmt() == nil {
		t.Fatalf("output %q does not parse as one SELECT: %v", out, err)
	}
	outSel := outTree.Stmts[0].Stmt.GetSelectStmt()
	count := outSel.LimitCount.GetAConst()
	if count == nil || count.GetIval() == nil || int(count.GetIval().Ival) != max || outSel.LimitOption != pg.LimitOption_LIMIT_OPTION_COUNT {
		t.Fatalf("output %q: outer LIMIT is %v (%v), want %d", out, outSel.LimitCount, outSel.LimitOption, max)
	}
	if strings.Contains(out, "AS askdb_capped LIMIT") {
		return // wrapped: the cap outside is the proof
	}
	inTree, err := pg.Parse(trimSQL(in))
	if err != nil {
		t.Fatalf("parse the input %q: %v", in, err)
	}
	inSel := inTree.Stmts[0].Stmt.GetSelectStmt()
	inSel.LimitCount = outSel.LimitCount
	inSel.LimitOption = pg.LimitOption_LIMIT_OPTION_COUNT
	want, err1 := pg.Deparse(&pg.ParseResult{Version: inTree.Version, Stmts: []*pg.RawStmt{{Stmt: inTree.Stmts[0].Stmt}}})
	got, err2 := pg.Deparse(&pg.ParseResult{Version: outTree.Version, Stmts: []*pg.RawStmt{{Stmt: outTree.Stmts[0].Stmt}}})
	if err1 != nil || err2 != nil || want != got {
		t.Errorf("the output is not the input with LIMIT %d:\n  input:  %q\n  output: %q\n  want:   %q\n  got:    %q (%v, %v)", max, in, out, want, got, err1, err2)
	}
}

func mysqlCapWitness(t testing.TB, in, out string, max int) {
	t.Helper()
	stmt := mysqlParseOne(t, trimSQL(in))
	lim := mysqlOuterLimit(stmt)
	capped := &ast.Limit{Count: ast.NewValueExpr(uint64(max), "", "")}
	if *lim != nil {
		capped.Offset = (*lim).Offset
	}
	*lim = capped
	want, r := mysqlRestore(stmt)
	if r != nil {
		t.Fatalf("restore the capped input: %s", r.msg)
	}
	keepColumnNames(stmt)
	wantNamed, _ := mysqlRestore(stmt)
	got, r := mysqlRestore(mysqlParseOne(t, out))
	if r != nil {
		t.Fatalf("restore the output: %s", r.msg)
	}
	if got != want && got != wantNamed {
		t.Errorf("the output is not the input with LIMIT %d:\n  input:  %q\n  output: %q\n  want:   %q\n  got:    %q", max, in, out, want, got)
	}
}

func mysqlParseOne(t testing.TB, sql string) ast.StmtNode {
	t.Helper()
	p := mysqlParsers.Get().(*parser.Parser)
	defer mysqlParsers.Put(p)
	stmts, _, err := p.ParseSQL(sql)
	if err != nil || len(stmts) != 1 {
		t.Fatalf("parse %q: %d statements, %v", sql, len(stmts), err)
	}
	return stmts[0]
}

func mysqlOuterLimit(stmt ast.StmtNode) **ast.Limit {
	switch s := stmt.(type) {
	case *ast.SelectStmt:
		return &s.Limit
	case *ast.SetOprStmt:
		return &s.Limit
	}
	return new(*ast.Limit)
}

func sqliteCapWitness(t testing.TB, in, out string, max int) {
	t.Helper()
	outSel := sqliteParseSelect(t, out)
	if outSel == nil {
		t.Fatalf("output %q does not parse as one SELECT", out)
	}
	count := outSel.LimitExpr
	if outSel.OffsetComma.IsValid() {
		count = outSel.OffsetExpr
	}
	if lit, ok := count.(*sqlite.NumberLit); !ok || lit.Value != strconv.Itoa(max) {
		t.Fatalf("output %q: outer LIMIT count is %v, want %d", out, count, max)
	}
	inSel := sqliteParseSelect(t, sqliteQuoteIdents(trimSQL(in)))
	if inSel == nil || strings.HasPrefix(out, "SELECT * FROM (\n") {
		return // keyword fallback or wrapped: the count check above is the proof
	}
	inSel.Limit = outSel.Limit
	if inSel.OffsetComma.IsValid() {
		inSel.OffsetExpr = count
	} else {
		inSel.LimitExpr = count
	}
	// rqlite/sql marks a keyword's presence by a valid position; where it
	// stands may differ after the edit.
	samePresence := cmp.Comparer(func(a, b sqlite.Pos) bool { return a.IsValid() == b.IsValid() })
	if diff := cmp.Diff(inSel, outSel, samePresence); diff != "" {
		t.Errorf("the output is not the input with LIMIT %d:\n  input:  %q\n  output: %q\n%s", max, in, out, diff)
	}
}

func sqliteParseSelect(t testing.TB, sql string) *sqlite.SelectStatement {
	t.Helper()
	stmt, r := parseSQLiteOne(blankCollations(sql))
	if r != nil {
		return nil
	}
	sel, _ := stmt.(*sqlite.SelectStatement)
	return sel
}
