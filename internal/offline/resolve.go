package offline

import (
	"fmt"
	"github.com/askdb/askdb/internal/text"
	"sort"
	"strings"
)

// resolved is an item with its schema meaning chosen.
type resolved struct {
	item
	table int // table named, or the table of col; -1 when none
	col   int // column named or holding value; -1 when none
	value string
	isVal bool
}

// resolve chooses one meaning for every schema and value item, preferring
// tables the question names. It fails, with the words it could not place,
// when a phrase stays ambiguous.
func (lx *lexicon) resolve(items []item) ([]resolved, []doubt, error) {
	var ds []doubt
	out := make([]resolved, len(items))
	named := map[int]int{} // table → position of its mention
	for i, it := range items {
		out[i] = resolved{item: it, table: -1, col: -1}
		if it.kw != kwNone || len(it.refs) == 0 {
			continue
		}
		if ts := tablesOf(it.refs, refTable); len(ts) == 1 && len(it.values) == 0 {
			if len(tablesOf(it.refs, refColumn)) == 0 || lx.homonym(it.refs, ts[0], i > 0 && (items[i-1].kw == kwGroup || items[i-1].kw == kwBy)) {
				out[i].table = ts[0]
				named[ts[0]] = i
			}
		}
	}
	mentioned := make(map[int]int, len(named))
	for t, p := range named {
		mentioned[t] = p
	}
	// Columns: those of named tables first.
	for i := range out {
		r := &out[i]
		if r.kw != kwNone || r.table >= 0 || len(r.refs) == 0 {
			continue
		}
		if r.cap && len(r.values) > 0 && !r.quoted {
			continue // a proper name: read it as a value below
		}
		if err := lx.resolveColumn(r, i, named, &ds); err != nil {
			if len(r.values) > 0 {
				continue
			}
			return nil, nil, err
		}
		if err := lx.sharedTail(r, i, mentioned); err != nil {
			return nil, nil, err
		}
		lx.nameOfNext(r, i, out, mentioned)
		if r.neg {
			ds = append(ds, doubt{capDerived, fmt.Sprintf("%q negates %s", r.text, lx.cat.Tables[r.table].Columns[r.col].Name)})
		}
	}
	for i := range out {
		r := &out[i]
		if r.kw != kwNone || r.table >= 0 || len(r.values) == 0 {
			continue
		}
		if err := lx.resolveValue(r, i, out, named, &ds); err != nil {
			return nil, nil, err
		}
	}
	return out, ds, nil
}

func tablesOf(refs []ref, kind refKind) []int {
	seen := map[int]bool{}
	var out []int
	for _, r := range refs {
		if r.kind == kind && !seen[r.table] {
			seen[r.table] = true
			out = append(out, r.table)
		}
	}
	sort.Ints(out)
	return out
}

func (lx *lexicon) resolveColumn(r *resolved, pos int, named map[int]int, ds *[]doubt) error {
	var cols, inNamed []ref
	for _, x := range r.refs {
		if x.kind == refColumn {
			cols = append(cols, x)
			if _, ok := named[x.table]; ok {
				inNamed = append(inNamed, x)
			}
		}
	}
	pick := func(x ref) {
		r.table, r.col = x.table, x.col
		if _, ok := named[x.table]; !ok {
			named[x.table] = pos
		}
	}
	switch {
	case len(inNamed) == 1:
		pick(inNamed[0])
		return nil
	case len(inNamed) > 1:
		// The table mentioned nearest to the column wins ("names of singers").
		best, bestD, tie := inNamed[0], 1<<30, false
		for _, x := range inNamed {
			d := abs(named[x.table] - pos)
			switch {
			case d < bestD:
				best, bestD, tie = x, d, false
			case d == bestD:
				tie = true
			}
		}
		if tie {
			return fmt.Errorf("%q could belong to several tables", r.text)
		}
		pick(best)
		*ds = append(*ds, doubt{capChoice, fmt.Sprintf("%q is the %s of %s, the nearest table named", r.text, lx.colName(best), lx.cat.Tables[best.table].Name)})
		return nil
	}
	if ts := tablesOf(r.refs, refTable); len(ts) == 1 {
		r.table = ts[0]
		named[ts[0]] = pos
		return nil
	}
	if len(cols) == 1 {
		pick(cols[0])
		return nil
	}
	var near []ref
	for _, x := range cols {
		for t := range named {
			for _, e := range lx.fk[t] {
				if e.to == x.table {
					near = append(near, x)
				}
			}
		}
	}
	if len(near) == 1 {
		pick(near[0])
		*ds = append(*ds, doubt{capChoice, fmt.Sprintf("%q is the %s of %s, a table joined to one named", r.text, lx.colName(near[0]), lx.cat.Tables[near[0].table].Name)})
		return nil
	}
	return fmt.Errorf("%q could mean a column of several tables", r.text)
}

func (lx *lexicon) resolveValue(r *resolved, pos int, out []resolved, named map[int]int, ds *[]doubt) error {
	// A column named right before the value decides ("series name Sky Radio").
	if pos > 0 && out[pos-1].col >= 0 && out[pos-1].kw == kwNone && !out[pos-1].isVal {
		for _, v := range r.values {
			if v.table == out[pos-1].table && v.col == out[pos-1].col {
				r.table, r.col, r.value, r.isVal = v.table, v.col, v.value, true
				return nil
			}
		}
	}
	var inNamed []ref
	for _, v := range r.values {
		if _, ok := named[v.table]; ok {
			inNamed = append(inNamed, v)
		}
	}
	cands := inNamed
	if len(cands) == 0 {
		cands = r.values
	}
	if len(distinctCols(r.values)) > 1 && len(distinctCols(cands)) == 1 {
		*ds = append(*ds, doubt{capChoice, fmt.Sprintf("%q is a %s of %s, the table named", r.text, lx.colName(cands[0]), lx.cat.Tables[cands[0].table].Name)})
	}
	if cols := distinctCols(cands); len(cols) != 1 {
		return fmt.Errorf("the value %q appears in several columns", r.text)
	}
	v := cands[0]
	r.table, r.col, r.value, r.isVal = v.table, v.col, v.value, true
	if _, ok := named[v.table]; !ok {
		named[v.table] = pos
	}
	return nil
}

func distinctCols(vs []ref) map[[2]int]bool {
	m := map[[2]int]bool{}
	for _, v := range vs {
		m[[2]int{v.table, v.col}] = true
	}
	return m
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func (lx *lexicon) colName(r ref) string { return lx.cat.Tables[r.table].Columns[r.col].Name }

// sharedTail rejects a column word that is a shortened name of a column
// ("details" for Template_Details) of a table other than the table
// mentioned nearest to it, when the word ends the names of columns in
// several tables: "details for the paragraph" may be the
// paragraph's other details as well as its template's details.
func (lx *lexicon) sharedTail(r *resolved, pos int, mentioned map[int]int) error {
	if len(mentioned) == 0 || r.col < 0 {
		return nil
	}
	nearest, bestD, tie := -1, 1<<30, false
	for t, p := range mentioned {
		switch d := abs(p - pos); {
		case d < bestD:
			nearest, bestD, tie = t, d, false
		case d == bestD:
			tie = true
		}
	}
	if tie || nearest == r.table {
		return nil
	}
	ws := strings.Fields(strings.ToLower(r.text))
	if len(ws) == 0 || phraseKey(ws) == phraseKey(text.IdentWords(lx.cat.Tables[r.table].Columns[r.col].Name)) {
		return nil // the column's full name
	}
	tail := text.Singular(ws[len(ws)-1])
	tables := map[int]bool{}
	for ti := range lx.cat.Tables {
		for _, c := range lx.cat.Tables[ti].Columns {
			cw := text.IdentWords(c.Name)
			if len(cw) > 0 && text.Singular(cw[len(cw)-1]) == tail {
				tables[ti] = true
			}
		}
	}
	if len(tables) > 1 {
		return fmt.Errorf("%q: it ends the names of columns in several tables", r.text)
	}
	return nil
}

// homonym reports whether every column reading of a table word is a
// column named like table t itself ("school" for school.School, which
// names a school): the word then names the table, whose label that
// column is.
func (lx *lexicon) homonym(refs []ref, t int, grouping bool) bool {
	tk := phraseKey(text.IdentWords(lx.cat.Tables[t].Name))
	for _, r := range refs {
		if r.kind == refColumn && !(grouping && lx.refersTo(r, t)) && (r.table != t || phraseKey(text.IdentWords(lx.colName(r))) != tk) {
			return false
		}
	}
	return true
}

// refersTo reports whether column r is a foreign key to table t
// (Products.Manufacturer to Manufacturers): after "each", "per" or "by" a
// word naming both means the table, whose label names the groups.
func (lx *lexicon) refersTo(r ref, t int) bool {
	for _, fk := range lx.cat.Tables[r.table].ForeignKeys {
		if len(fk.Columns) == 1 && strings.EqualFold(fk.Columns[0], lx.colName(r)) && strings.EqualFold(fk.RefTable, lx.cat.Tables[t].Name) {
			return true
		}
	}
	return false
}

// nameOfNext reads "name" as the label of the table named right after it
// when that table is not the one whose name column was picked: in "the
// names of the projects of the Engineering department" the projects'
// title is meant, not the department's name. The table must follow "of"
// and have one label column of its own.
func (lx *lexicon) nameOfNext(r *resolved, pos int, out []resolved, mentioned map[int]int) {
	if r.col < 0 || phraseKey(strings.Fields(strings.ToLower(r.text))) != "name" {
		return
	}
	next, at := -1, 0
	for t, p := range mentioned {
		if d := p - pos; d > 0 && d < 3 && (next < 0 || p < at) { // "names of the projects": within two items
			next, at = t, p
		}
	}
	if next < 0 || next == r.table || !gapHas(&out[at], "of") {
		return
	}
	if l, ok := (&analyzer{lx: lx}).labelOf(next); ok {
		r.table, r.col = l.table, l.col
	}
}
