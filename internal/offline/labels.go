package offline

import (
	"fmt"
	"github.com/askdb/askdb/internal/text"
	"strings"

	"github.com/askdb/askdb/internal/catalog"
)

// labelsOf are the columns that name a row of table t: its name or title,
// or its first and last names.
func (a *analyzer) labelsOf(t int) ([]colRef, bool) {
	if l, ok := a.labelOf(t); ok {
		return []colRef{l}, true
	}
	return a.firstLast(t)
}

// firstLast are table t's first and last name columns.
func (a *analyzer) firstLast(t int) ([]colRef, bool) {
	var first, last []colRef
	for ci, c := range a.lx.cat.Tables[t].Columns {
		if c.Type != catalog.TypeText {
			continue
		}
		k := phraseKey(text.IdentWords(c.Name))
		switch {
		case hasAnySuffix(k, "firstname", "givenname", "forename"):
			first = append(first, colRef{table: t, col: ci})
		case hasAnySuffix(k, "lastname", "familyname", "surname"):
			last = append(last, colRef{table: t, col: ci})
		}
	}
	if len(first) == 1 && len(last) == 1 {
		return []colRef{first[0], last[0]}, true
	}
	return nil, false
}

// labelOf is the column that names a row of table t.
func (a *analyzer) labelOf(t int) (colRef, bool) {
	tab := &a.lx.cat.Tables[t]
	tw := phraseKey(text.IdentWords(tab.Name))
	for pass := 0; pass < 4; pass++ {
		for ci, c := range tab.Columns {
			k := phraseKey(text.IdentWords(c.Name))
			if c.Type != catalog.TypeText {
				continue
			}
			if (pass == 0 && k == "name") || (pass == 1 && k == tw+"name") || (pass == 2 && k == "title") || (pass == 3 && k == tw) {
				return colRef{table: t, col: ci}, true
			}
		}
	}
	return colRef{}, false
}

func (a *analyzer) labelColumn() (colRef, bool) {
	if a.q.subject >= 0 {
		return a.labelOf(a.q.subject)
	}
	return colRef{}, false
}

// spending reads "which customers spent the most": rows of the subject
// ranked by the sum of the one money (decimal) column of the tables that
// reference it directly.
func (a *analyzer) spending() error {
	s := a.q.subject
	if a.super == 0 || s < 0 || len(a.q.sel) > 0 || len(a.aggs) > 0 {
		return a.fail("I could not tell what %q means here", a.spendWord)
	}
	var found []colRef
	seen := map[int]bool{}
	for _, e := range a.lx.fk[s] {
		if !e.fanOut || seen[e.to] {
			continue
		}
		seen[e.to] = true
		for ci, c := range a.lx.cat.Tables[e.to].Columns {
			if c.Type == catalog.TypeDecimal {
				found = append(found, colRef{table: e.to, col: ci})
			}
		}
	}
	if len(found) != 1 {
		return a.fail("I could not tell which amount %q sums", a.spendWord)
	}
	c := found[0]
	a.addTable(c.table)
	a.q.sel = append(a.q.sel, selExpr{agg: "sum", col: c})
	a.q.order = append(a.q.order, orderBy{expr: selExpr{agg: "sum", col: c}, desc: a.super > 0})
	a.q.limit = max(a.superN, 1)
	a.super, a.superN = 0, 0
	a.doubt(capDerived, "%q is the sum of %s.%s", a.spendWord, a.lx.cat.Tables[c.table].Name, a.lx.cat.Tables[c.table].Columns[c.col].Name)
	return nil
}

// hasAnySuffix reports whether s ends with one of the suffixes
// ("guestfirstname" with "firstname").
func hasAnySuffix(s string, suffixes ...string) bool {
	for _, x := range suffixes {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}

// tableWord is how the question named table t, quoted, for an abstention:
// it must not name a word the user did not type. A table the question
// reached only through a column is "the rows".
func (a *analyzer) tableWord(t int) string {
	for _, r := range a.rs {
		if r.table == t && r.col < 0 && r.kw == kwNone && !r.isVal {
			return fmt.Sprintf("%q", r.text)
		}
	}
	return "the rows"
}

// colWord is how the question named column c, quoted, or "a column".
func (a *analyzer) colWord(c colRef) string {
	for _, r := range a.rs {
		if r.table == c.table && r.col == c.col && r.kw == kwNone && !r.isVal {
			return fmt.Sprintf("%q", r.text)
		}
	}
	return "a column"
}
