package sqlguard

import (
	"strconv"
	"testing"

	"github.com/askdb/askdb/internal/catalog"
	tp "github.com/askdb/askdb/internal/sqlguard/trinoparser"
)

// FuzzCheckTrino mutates the Trino query and attack files. It calls check
// (no recover), so a parser panic fails the run. An accepted input must
// come back as a query that is accepted again unchanged, reads the same
// tables, and whose outer query returns at most the cap (capped by LIMIT or
// FETCH FIRST ... ONLY, read back from its parse tree).
func FuzzCheckTrino(f *testing.F) {
	for _, file := range []string{"trino/queries.sql", "attacks/trino.sql"} {
		for _, q := range trinoLines(f, file) {
			f.Add(q)
		}
	}
	for _, s := range []string{"", ";", "SELECT", "SELECT 1 --", "SELECT 'x", `SELECT "a`, "SELECT x -> x", "TABLE(", "SELECT * FROM t FETCH FIRST"} {
		f.Add(s)
	}
	const max = 50
	f.Fuzz(func(t *testing.T, sql string) {
		v := fuzzChecked(t, sql, Options{Dialect: catalog.Trino, MaxRows: max})
		if !v.Accepted {
			return
		}
		if n, ok := trinoOuterCap(t, v.SQL); !ok || n > max {
			t.Fatalf("accepted SQL is not capped at %d rows (cap %d, %v): %q", max, n, ok, v.SQL)
		}
	})
}

// trinoOuterCap reads the row cap of the outer query from its parse tree.
func trinoOuterCap(t testing.TB, sql string) (uint64, bool) {
	tree, r := trinoParse(trimSQL(sql))
	if r != nil {
		t.Fatalf("accepted SQL does not parse: %s: %q", r.msg, sql)
	}
	q, r := trinoStatement(tree, newTrinoText(trimSQL(sql)))
	if r != nil {
		t.Fatalf("accepted SQL is no query: %s: %q", r.msg, sql)
	}
	qn := q.Query().(*tp.QueryContext).QueryNoWith().(*tp.QueryNoWithContext)
	var count tp.IRowCountContext
	switch {
	case qn.GetLimit() != nil:
		count = qn.GetLimit().(*tp.LimitRowCountContext).RowCount()
	case qn.FETCH_() != nil && qn.TIES_() == nil:
		if count = qn.GetFetchFirst(); count == nil {
			return 1, true
		}
	}
	if count == nil || count.(*tp.RowCountContext).INTEGER_VALUE_() == nil {
		return 0, false
	}
	n, err := strconv.ParseUint(count.(*tp.RowCountContext).INTEGER_VALUE_().GetText(), 10, 64)
	return n, err == nil
}
