package sqlguard

import (
	"slices"
	"strings"
	"testing"

	"github.com/askdb/askdb/internal/catalog"
)

// FuzzCheck feeds arbitrary text to every dialect. It calls check (no
// recover), so a parser panic fails the fuzz run. For every accepted input
// the returned SQL must re-parse and be accepted again, unchanged, reading
// the same tables.
func FuzzCheck(f *testing.F) {
	for _, c := range loadCases(f) {
		f.Add(uint8(dialectIndex(c.dialect)), c.sql)
	}
	for _, s := range []string{"", ";", "SELECT", "SELECT 1 /*", "SELECT 'x", "WITH", "SELECT * FROM Match", "SELECT `a"} {
		for i := range catalog.Dialects() {
			f.Add(uint8(i), s)
		}
	}
	// Attribute notation and backslash-quote forms (issue 12): the mutator
	// starts from each shape of call-by-field and literal end.
	for _, s := range []string{
		"SELECT (0.5).pg_sleep", "SELECT e.row_to_json FROM t e", "SELECT e.a.b FROM t e",
		"SELECT s.t.c FROM s.t", "SELECT (x).* FROM t x", "SELECT ((1)).f[1]",
		`SELECT 'x\' AS a, ' , 1 -- '`, `SELECT E'\'' , 'a\\'`, `SELECT "a\"", 'b' -- "`,
	} {
		for i := range catalog.Dialects() {
			f.Add(uint8(i), s)
		}
	}
	for i := range catalog.Dialects() {
		// 60 KB of chained operators: libpg_query segfaulted on this.
		f.Add(uint8(i), "SELECT "+strings.Repeat("1+", 29999)+"1")
	}
	f.Fuzz(func(t *testing.T, di uint8, sql string) {
		ds := catalog.Dialects()
		d := ds[int(di)%len(ds)]
		fuzzChecked(t, sql, Options{Dialect: d, MaxRows: 50})
	})
}

// fuzzChecked checks sql (no recover) and requires a refusal to carry a
// rule and a message, and an accepted query to come back accepted again,
// unchanged, reading the same tables. It returns the verdict.
func fuzzChecked(t *testing.T, sql string, opts Options) Verdict {
	t.Helper()
	d := opts.Dialect
	v := check(sql, opts)
	if !v.Accepted {
		if v.Rule == "" || v.Message == "" {
			t.Fatalf("rejection without rule or message: %+v", v)
		}
		return v
	}
	again := check(v.SQL, opts)
	if !again.Accepted {
		t.Fatalf("%s: accepted SQL refused on re-check (%s: %s)\n  input: %q\n  SQL:   %q", d, again.Rule, again.Message, sql, v.SQL)
	}
	if again.Limited || again.SQL != trimSQL(v.SQL) {
		t.Fatalf("%s: re-check not idempotent\n  first:  %q\n  second: %q", d, v.SQL, again.SQL)
	}
	if strings.Join(again.Tables, ",") != strings.Join(v.Tables, ",") {
		t.Fatalf("%s: statement shape changed: tables %v -> %v", d, v.Tables, again.Tables)
	}
	return v
}

// FuzzRowCap holds the row-cap edits that skip a re-parse to one: every
// query that gets a LIMIT added or tightened must re-parse as the checked
// query with the cap as its outer LIMIT (capWitness). The first argument
// picks the dialect from rowCapDialects.
func FuzzRowCap(f *testing.F) {
	index := func(d catalog.Dialect) uint8 { return uint8(slices.Index(rowCapDialects, d)) }
	for _, c := range rowCapCases {
		f.Add(index(c.d), c.sql)
	}
	for _, c := range loadCases(f) {
		if slices.Contains(rowCapDialects, c.dialect) {
			f.Add(index(c.dialect), c.sql)
		}
	}
	f.Fuzz(func(t *testing.T, di uint8, sql string) {
		d := rowCapDialects[int(di)%len(rowCapDialects)]
		// Check, not check: parser panics are FuzzCheck's to find.
		if v := Check(sql, Options{Dialect: d, MaxRows: 10}); v.Accepted && v.Limited {
			capWitness(t, d, sql, v.SQL, 10)
		}
	})
}

// rowCapDialects are the dialects whose row-cap edits skip a re-parse.
var rowCapDialects = []catalog.Dialect{catalog.SQLite, catalog.MySQL, catalog.Postgres}

func dialectIndex(d catalog.Dialect) int {
	for i, x := range catalog.Dialects() {
		if x == d {
			return i
		}
	}
	return 0
}
