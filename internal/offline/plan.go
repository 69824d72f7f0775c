package offline

import (
	"fmt"
	"strings"

	"github.com/askdb/askdb/internal/catalog"
)

// finish checks nothing is left pending and completes the plan: the
// subject, the select list, grouping for ranked counts, and the joins.
func (a *analyzer) finish() (*query, error) {
	for _, i := range a.implied {
		a.cur = i
		if err := a.impliedSuperlative(i, a.rs[i].kw); err != nil {
			return nil, err
		}
	}
	a.dropQualifiers()
	if a.spend {
		if err := a.spending(); err != nil {
			return nil, err
		}
	}
	switch {
	case a.superN > 0:
		return nil, a.fail("I could not tell what ranks the top %d", a.superN)
	case len(a.aggs) > 0:
		return nil, a.fail("I could not tell what to %s", a.aggs[0])
	case a.super != 0:
		return nil, a.fail("I could not tell what is highest or lowest")
	case a.cmp != kwNone:
		return nil, a.fail("I could not tell what to compare")
	case a.grouping && !a.trailingEach():
		return nil, a.fail("I could not tell what to group by")
	case a.not:
		return nil, a.fail("I could not tell what to negate")
	case a.ordering && len(a.q.order) == 0:
		return nil, a.fail("I could not tell what to order by")
	case a.distinct:
		return nil, a.fail("I could not tell what should be distinct")
	case a.without:
		return nil, a.fail("I could not tell what is missing")
	}
	q := &a.q
	if err := a.settleAnti(); err != nil {
		return nil, err
	}
	if len(q.anti) > 0 && a.owner != "" {
		// "which countries' channels are not playing X": a country
		// qualifies only if none of its channels plays X (a set
		// difference), not if one of them does not.
		return nil, a.fail("I could not tell whether %q must have no such row at all or only one row without", a.owner)
	}
	if a.pendingDir != 0 && len(q.order) == 0 {
		if len(q.sel) != 1 || q.sel[0].agg != "" {
			return nil, a.fail("I could not tell what to order by")
		}
		q.order = append(q.order, orderBy{expr: q.sel[0], desc: a.pendingDir < 0})
	}
	if c := a.superCol; c != nil && len(q.sel) == 0 && !q.all && !a.tableNamed && !a.who && len(q.order) == 1 &&
		len(q.group) == 0 && q.having == nil && q.limit == 1 && q.order[0].expr == (selExpr{col: *c}) {
		// "what is the highest salary": the value, not the row holding it.
		q.sel = []selExpr{{agg: map[bool]string{true: "max", false: "min"}[q.order[0].desc], col: *c}}
		q.order, q.limit = nil, 0
	}
	if q.subject < 0 {
		for _, s := range q.sel {
			if !s.star {
				q.subject = s.col.table
				break
			}
		}
	}
	if q.subject < 0 && len(q.tables) > 0 {
		q.subject = q.tables[0]
	}
	if q.subject < 0 {
		return nil, a.fail("no word of the question names a table or a column")
	}
	a.addTable(q.subject)
	if a.fullName {
		ls, ok := a.firstLast(q.subject)
		if !ok {
			return nil, a.fail("I could not tell which columns of %s hold the first and last names", a.tableWord(q.subject))
		}
		at := min(a.fullNameAt, len(q.sel))
		q.sel = append(append(append([]selExpr(nil), q.sel[:at]...), selExpr{col: ls[0]}, selExpr{col: ls[1]}), q.sel[at:]...)
	}
	rankByCount := false
	for _, o := range q.order {
		if o.expr.star || o.expr.agg != "" {
			rankByCount = true // ranked by an aggregate of related rows
		}
	}
	if c := a.sumCol; c != nil && len(q.group) > 0 && !containsGroup(q.group, *c) {
		for k := range q.sel {
			if q.sel[k].agg == "" && q.sel[k].col == *c {
				q.sel[k].agg = "sum"
			}
		}
	} else if c != nil {
		a.doubt(capGuess, "%q is the column %s, not a sum", "total", a.lx.cat.Tables[c.table].Columns[c.col].Name)
	}
	plain, aggs := 0, 0
	for _, s := range q.sel {
		if s.agg == "" {
			plain++
		} else {
			aggs++
		}
	}
	if a.spend && len(q.sel) == 1 {
		if ls, ok := a.labelsOf(q.subject); ok {
			var head []selExpr
			for _, l := range ls {
				head = append(head, selExpr{col: l})
			}
			q.sel = append(head, q.sel...)
			plain, aggs = len(ls), 1
		}
	}
	if len(q.sel) == 0 && !q.all {
		if ls, ok := a.labelsOf(q.subject); ok && (a.which || rankByCount) {
			for _, l := range ls {
				q.sel = append(q.sel, selExpr{col: l})
				plain++
			}
		} else if rankByCount || len(q.group) > 0 {
			return nil, a.fail("I could not tell what to show for each %s", a.tableWord(q.subject))
		} else {
			q.all = true
			q.notes = append(q.notes, "all columns")
		}
	}
	if rankByCount || q.having != nil {
		if err := a.groupForCount(plain); err != nil {
			return nil, err
		}
	}
	if len(q.group) == 0 && plain > 0 && aggs > 0 && a.countsOtherTable() {
		// "names of teachers and the number of courses they teach".
		if err := a.groupForCount(plain); err != nil {
			return nil, err
		}
	}
	if len(q.group) > 0 && aggs == 0 && q.having == nil && !rankByCount && !hasBucket(q.group) && len(q.tables) == 1 {
		q.group = nil // "the grade of each high schooler": every row
	}
	a.groupDependents()
	q.sel = dedupeSel(q.sel)
	q.group = dedupeCols(q.group)
	if len(q.group) > 0 {
		q.notes = removeNote(q.notes, "distinct")
		if q.all {
			return nil, a.fail("I could not group all columns")
		}
		var head []selExpr
		for _, g := range q.group {
			if !containsPlain(q.sel, g) && (g.bucket != "" || !a.isKeyFor(g, q.group)) {
				head = append(head, selExpr{col: g})
			}
		}
		q.sel = append(head, q.sel...)
		for _, s := range q.sel {
			if s.agg == "" && !containsGroup(q.group, s.col) {
				return nil, a.fail("I could not group by %s", a.colWord(s.col))
			}
		}
		if aggs == 0 && q.having == nil && !rankByCount && !hasBucket(q.group) {
			return nil, a.fail("I could not tell what to compute for each group")
		}
	} else if plain > 0 && aggs > 0 {
		return nil, a.fail("I could not tell how to group the rows")
	}
	for _, s := range q.sel {
		if !s.star {
			a.addTable(s.col.table)
		}
	}
	for _, w := range q.where {
		if w.op == "<>" && len(q.tables) > 1 {
			return nil, a.fail("I could not tell whether %q excludes rows or related rows", a.notWord)
		}
	}
	for _, g := range q.group {
		a.addTable(g.table)
	}
	if q.all && len(q.tables) > 1 {
		return nil, a.fail("I could not tell which columns of %s to show", a.tableWord(q.subject))
	}
	for _, o := range q.order {
		if !o.expr.star {
			a.addTable(o.expr.col.table)
		}
	}
	if len(q.group) == 0 && len(q.order) > 0 && aggs > 0 {
		// "the highest cost, lowest cost and average cost": an aggregate
		// over all rows cannot be ordered.
		return nil, a.fail("I could not tell what to order by")
	}
	a.kindListing()
	if a.orSeen && condColumns(q) > 1 {
		// "under age 30 or with a black card": either condition, which a
		// plain WHERE list (all of them) cannot say.
		return nil, a.fail("I could not tell whether %q joins two conditions", "or")
	}
	return q, nil
}

func hasBucket(g []colRef) bool {
	for _, c := range g {
		if c.bucket != "" {
			return true
		}
	}
	return false
}

func containsPlain(sel []selExpr, c colRef) bool {
	for _, s := range sel {
		if s.agg == "" && !s.star && s.col == c {
			return true
		}
	}
	return false
}

func containsGroup(g []colRef, c colRef) bool {
	for _, x := range g {
		if x == c {
			return true
		}
	}
	return false
}

func (a *analyzer) isLabel(c colRef) bool {
	l, ok := a.labelOf(c.table)
	return ok && l == c
}

// isKeyFor reports whether g is a primary key grouped only to keep rows of
// equal labels apart; it is then not shown.
func (a *analyzer) isKeyFor(g colRef, group []colRef) bool {
	pk, ok := a.primaryKey(g.table)
	if !ok || pk != g {
		return false
	}
	for _, x := range group {
		if x != g && x.table == g.table {
			return true
		}
	}
	return false
}

func (a *analyzer) primaryKey(t int) (colRef, bool) {
	tab := &a.lx.cat.Tables[t]
	if len(tab.PrimaryKey) != 1 {
		return colRef{}, false
	}
	for ci, c := range tab.Columns {
		if strings.EqualFold(c.Name, tab.PrimaryKey[0]) {
			return colRef{table: t, col: ci}, true
		}
	}
	return colRef{}, false
}

// joinPlan connects every table of q to the subject along foreign keys.
func (lx *lexicon) joinPlan(q *query) ([]fkStep, error) {
	in := map[int]bool{q.subject: true}
	order := []int{q.subject} // the tables joined so far, in join order, so that ties break the same way every run
	var steps []fkStep
	for _, t := range q.tables {
		if in[t] {
			continue
		}
		var best []fkStep
		found, ambiguous := false, false
		for _, from := range order {
			p, chosen, ok := lx.path(from, t)
			if ok && (!found || len(p) < len(best)) {
				best, found, ambiguous = p, true, chosen
			}
		}
		if !found {
			return nil, &joinError{table: t, subject: q.subject}
		}
		if ambiguous {
			q.doubts = append(q.doubts, doubt{capLinkPath, fmt.Sprintf("%s joins %s through %s", lx.cat.Tables[t].Name,
				lx.cat.Tables[best[0].from].Name, lx.pathNames(best))})
		}
		for _, s := range best {
			if !in[s.to] {
				in[s.to] = true
				order = append(order, s.to)
				steps = append(steps, s)
			}
		}
	}
	return steps, nil
}

// joinError says no single foreign-key path joins table to the subject.
type joinError struct{ table, subject int }

func (e *joinError) Error() string { return fmt.Sprintf("no single join path to table %d", e.table) }

// pathNames lists the tables a join path goes through.
func (lx *lexicon) pathNames(p []fkStep) string {
	var names []string
	for _, s := range p[:len(p)-1] {
		names = append(names, lx.cat.Tables[s.to].Name)
	}
	if len(names) == 0 {
		return "a direct foreign key"
	}
	return strings.Join(names, ", ")
}

var _ = catalog.SQLite

func dedupeSel(sel []selExpr) []selExpr {
	var out []selExpr
	for _, s := range sel {
		dup := false
		for _, o := range out {
			if o == s {
				dup = true
			}
		}
		if !dup {
			out = append(out, s)
		}
	}
	return out
}

func dedupeCols(cs []colRef) []colRef {
	var out []colRef
	for _, c := range cs {
		if !containsGroup(out, c) {
			out = append(out, c)
		}
	}
	return out
}

func removeNote(notes []string, n string) []string {
	var out []string
	for _, x := range notes {
		if x != n {
			out = append(out, x)
		}
	}
	return out
}

// condColumns counts the columns and related tables the conditions of q
// test.
func condColumns(q *query) int {
	seen := map[colRef]bool{}
	for _, w := range q.where {
		seen[w.col] = true
	}
	for _, aj := range q.anti {
		seen[colRef{table: aj.table, col: -1}] = true
	}
	if q.having != nil {
		seen[colRef{table: -1, col: -1}] = true
	}
	return len(seen)
}

// dropQualifiers takes out of the select list the columns named only to
// say which rows are meant (see analyzer.qualifiers), when other plain
// columns are shown.
func (a *analyzer) dropQualifiers() {
	if len(a.qualifiers) == 0 {
		return
	}
	drop := map[int]bool{}
	for _, k := range a.qualifiers {
		drop[k] = true
	}
	var keep []selExpr
	others := false
	for k, s := range a.q.sel {
		if !drop[k] {
			keep = append(keep, s)
			others = others || s.agg == "" && !s.star
		}
	}
	if others {
		a.q.sel = keep
	}
}

// kindListing makes "show all majors" DISTINCT: an unfiltered listing of
// one text column of few values (one with samples), named in the plural,
// that is neither the table's key nor its label lists the kinds of
// values, each once.
func (a *analyzer) kindListing() {
	q := &a.q
	if len(q.sel) != 1 || q.sel[0].agg != "" || q.sel[0].star || q.all || len(q.group) > 0 || q.limit > 0 ||
		len(q.order) > 0 || len(q.where) > 0 || len(q.anti) > 0 {
		return
	}
	c := q.sel[0].col
	if a.colType(c) != catalog.TypeText || a.isLabel(c) || !containsGroup(a.pluralSel, c) ||
		len(a.lx.cat.Tables[c.table].Columns[c.col].Samples) == 0 {
		return
	}
	if pk, ok := a.primaryKey(c.table); ok && pk == c {
		return
	}
	if !hasNote(q, "distinct") {
		q.notes = append(q.notes, "distinct")
	}
}
