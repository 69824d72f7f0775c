package offline

import "strings"

// table reads a table mention: the subject, a counted table, a ranked
// count, a grouping or an anti-join.
func (a *analyzer) table(i int, t int) error {
	if a.andBefore && a.mentioned[t] && a.q.subject != t {
		// "channels playing cartoons by A and cartoons by B": two sets of
		// related rows that must both exist, which one join cannot say.
		return a.fail("I could not tell whether both mentions of %s must hold for one row", a.tableWord(t))
	}
	a.mentioned[t] = true
	a.addTable(t)
	a.tableNamed = true
	if a.countedNext {
		a.countedNext = false
		return nil
	}
	if a.not || a.without {
		return a.antiTable(t)
	}
	if n := len(a.q.sel); a.andBefore && n > 0 && a.q.sel[n-1].agg == "" && !a.q.sel[n-1].star &&
		a.q.sel[n-1].col.table != t && len(a.aggs) == 0 && a.super == 0 && !a.grouping {
		// "names of teachers and the courses": the table is shown too.
		l, ok := a.labelOf(t)
		if !ok {
			return a.fail("I could not tell what to show of %s", a.tableWord(t))
		}
		a.q.sel = append(a.q.sel, selExpr{col: l})
		return nil
	}
	switch {
	case len(a.aggs) == 1 && a.aggs[0] == "count" && a.super == 0:
		a.q.sel = append(a.q.sel, selExpr{agg: "count", star: true, col: colRef{table: t, col: -1}})
		a.aggs = nil
		if a.q.subject < 0 {
			a.q.subject = t
		}
		if a.distinct {
			// "how many different customers placed orders": each row of
			// the table once, whatever the joins repeat.
			pk, ok := a.primaryKey(t)
			if !ok {
				return a.fail("I could not tell which column makes rows distinct")
			}
			a.q.sel[len(a.q.sel)-1] = selExpr{agg: "count", col: pk, distinct: true}
			a.distinct = false
		}
	case a.super != 0 && (a.q.subject == t || a.q.subject < 0 && a.selOnly(t)):
		return a.fail("I could not tell by what %s are ranked", a.tableWord(t))
	case a.super != 0:
		// "the department with the most employees": rank by a count of t.
		if len(a.aggs) == 1 && a.aggs[0] == "count" {
			a.aggs = nil
		} else if len(a.aggs) > 0 {
			return a.fail("I could not combine a superlative with an aggregate")
		}
		a.q.order = append(a.q.order, orderBy{expr: selExpr{agg: "count", star: true}, desc: a.super > 0})
		a.q.limit = max(a.superN, 1)
		a.super, a.superN = 0, 0
	case a.grouping && a.nextColumnOf(i, t) && a.aggregates():
		return nil // "orders per customer country": the column is the group
	case a.grouping:
		if a.andItsColumn(i, t) && len(a.aggs) == 0 {
			// "list each product and its price": the product's name is shown.
			if l, ok := a.labelOf(t); ok {
				a.q.sel = append(a.q.sel, selExpr{col: l})
			}
		}
		ls, ok := a.labelsOf(t)
		if !ok {
			return a.fail("I could not tell how to name each %s", a.tableWord(t))
		}
		// Group by the key, shown by its label: two customers may share a
		// name and must stay apart.
		if pk, ok := a.primaryKey(t); ok {
			a.q.group = append(a.q.group, pk)
		} else {
			a.doubt(capGuess, "grouped by the name of each %s, which may not be unique", a.lx.cat.Tables[t].Name)
		}
		a.q.group = append(a.q.group, ls...)
		a.grouping = false
	case len(a.aggs) > 0:
		if n := a.next(i); n != nil && n.col >= 0 && n.table == t && !n.isVal && n.kw == kwNone {
			if a.q.subject < 0 {
				a.q.subject = t // "the sum of order total": the table qualifies the column
			}
			return nil
		}
		return a.fail("I could not tell which column of %s to aggregate", a.tableWord(t))
	default:
		if a.q.subject < 0 {
			a.q.subject = t
		}
		if len(a.q.sel) == 0 && a.andItsColumn(i, t) {
			// "return the city and its GDP": the row's name is shown too.
			if l, ok := a.labelOf(t); ok {
				a.q.sel = append(a.q.sel, selExpr{col: l})
			}
		}
	}
	return nil
}

func (a *analyzer) addTable(t int) {
	for _, x := range a.q.tables {
		if x == t {
			return
		}
	}
	a.q.tables = append(a.q.tables, t)
}

func (a *analyzer) value(col, table int, lit string) error {
	c := colRef{table: table, col: col}
	a.addTable(table)
	a.usedCols[c] = true
	op := "="
	if a.not {
		op, a.not = "<>", false
	}
	if a.cmp != kwNone {
		return a.fail("I could not compare a column with %s", lit)
	}
	if n := len(a.q.where); n > 0 && a.q.where[n-1].col == c && (a.q.where[n-1].op == "=" || a.q.where[n-1].op == "IN") && op == "=" {
		if a.andSeen && a.q.subject >= 0 && c.table != a.q.subject {
			// "countries that speak English and Dutch": both, row by row of
			// another table, which one IN list cannot say.
			return a.fail("I could not tell whether %s means both values or either", lit)
		}
		w := &a.q.where[n-1]
		w.op, w.args = "IN", append(w.args, lit)
		return nil
	}
	a.q.where = append(a.q.where, cond{col: c, op: op, args: []string{lit}})
	a.lastCol, a.andSeen = nil, false
	return nil
}

func quoteString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// selOnly reports whether every selected column belongs to table t.
func (a *analyzer) selOnly(t int) bool {
	for _, s := range a.q.sel {
		if s.star || s.col.table != t {
			return false
		}
	}
	return true
}

// andItsColumn reports whether the table word at i is followed by "and"
// and a column of the same table t ("the city and its GDP").
func (a *analyzer) andItsColumn(i, t int) bool {
	n := a.next(i)
	return n != nil && n.kw == kwAnd && a.nextNamesSchema(i+1) && a.rs[i+2].table == t && a.rs[i+2].col >= 0
}

// nextColumnOf reports whether the item after i is a plain column of
// table t ("customer country").
func (a *analyzer) nextColumnOf(i, t int) bool {
	n := a.next(i)
	return n != nil && n.kw == kwNone && !n.isVal && n.col >= 0 && n.table == t
}

// aggregates reports whether the question aggregates: an aggregate word
// is pending or an aggregate is already selected.
func (a *analyzer) aggregates() bool {
	if len(a.aggs) > 0 {
		return true
	}
	for _, s := range a.q.sel {
		if s.agg != "" || s.star {
			return true
		}
	}
	return false
}
