package sqlguard

import (
	"strconv"

	"github.com/antlr/antlr4/runtime/Go/antlr"

	tp "github.com/askdb/askdb/internal/sqlguard/trinoparser"
)

// trinoLimit caps the rows of the outer query at max: it lowers a larger
// LIMIT n or FETCH FIRST n ROWS ONLY, replaces LIMIT ALL, and appends
// LIMIT max after the query's last token when it has none. FETCH ... WITH
// TIES returns the rows tied with the last one too, so that query is
// wrapped in SELECT * FROM (...) LIMIT max. The edits are made on the
// text, at token positions, so the rest of the query is sent as written.
func trinoLimit(tt trinoText, root *tp.RootQueryContext, max int) (string, bool, *refusal) {
	text := tt.text
	if max <= 0 {
		return text, false, nil
	}
	q := root.Query().(*tp.QueryContext).QueryNoWith().(*tp.QueryNoWithContext)
	capped := strconv.Itoa(max)
	var count tp.IRowCountContext
	switch {
	case q.GetLimit() != nil:
		lim := q.GetLimit().(*tp.LimitRowCountContext)
		if all := lim.ALL_(); all != nil {
			return replaceToken(tt, all.GetSymbol(), capped), true, nil
		}
		count = lim.RowCount()
	case q.FETCH_() != nil:
		if q.TIES_() != nil {
			return "SELECT * FROM (\n" + text + "\n) LIMIT " + capped, true, nil
		}
		if count = q.GetFetchFirst(); count == nil {
			return text, false, nil // FETCH FIRST ROW ONLY: one row
		}
	default:
		end := tt.end(q)
		return text[:end] + " LIMIT " + capped + text[end:], true, nil
	}
	lit := count.(*tp.RowCountContext).INTEGER_VALUE_()
	if lit == nil {
		return "", false, trinoParameter(tt.start(count))
	}
	if n, err := strconv.ParseUint(lit.GetText(), 10, 63); err == nil && n <= uint64(max) {
		return text, false, nil
	}
	return replaceToken(tt, lit.GetSymbol(), capped), true, nil
}

// replaceToken writes s in place of one token of the text.
func replaceToken(tt trinoText, tok antlr.Token, s string) string {
	start, end := tt.offset(tok.GetStart()), tt.offset(tok.GetStop()+1)
	return tt.text[:start] + s + tt.text[end:]
}
