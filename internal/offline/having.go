package offline

// antiJoin keeps the subject's rows that no row of table matches along
// the one foreign key between them: "stadiums without any concert" is
// stadium_id NOT IN (SELECT stadium_id FROM concert). Conditions the
// question puts on table ("not playing any cartoon directed by Ben Jones")
// filter the inner rows.
type antiJoin struct {
	table     int
	outerCols string // column of the subject
	innerCol  string // column of table
	where     []cond
}

// countsTable reports whether the number at i counts the rows of the table
// named right after it ("more than 2 songs").
func (a *analyzer) countsTable(i int) bool {
	n := a.next(i)
	return n != nil && n.table >= 0 && n.col < 0 && n.kw == kwNone && !n.isVal
}

// havingCount records "with more than N <table>" as HAVING count(*) > N.
func (a *analyzer) havingCount(i int, num string) error {
	if a.q.having != nil {
		return a.fail("I could not combine two counted conditions")
	}
	op := map[kw]string{kwGT: ">", kwLT: "<", kwGE: ">=", kwLE: "<=", kwEq: "="}[a.cmp]
	if op == "" {
		return a.fail("I could not compare a count with %s", num)
	}
	if a.not {
		op = map[string]string{"=": "<>", "<": ">=", ">": "<=", "<=": ">", ">=": "<"}[op]
		a.not = false
	}
	a.q.having = &cond{col: colRef{table: a.rs[i+1].table, col: -1}, op: op, args: []string{num}}
	a.countedNext = true
	a.cmp, a.lastCol = kwNone, nil
	return nil
}

// antiTable reads "<subject> without any <t>" and "that do not have any
// <t>": t must reference the subject through exactly one single-column
// foreign key.
func (a *analyzer) antiTable(t int) error {
	a.not, a.without, a.grouping = false, false, false
	s := a.q.subject
	if s < 0 && len(a.q.sel) > 0 && !a.q.sel[0].star {
		s = a.q.sel[0].col.table
	}
	if s < 0 || s == t {
		return a.fail("I could not tell which rows have no %s", a.tableWord(t))
	}
	var found []fkEdge
	for _, e := range a.lx.fk[s] {
		if e.to == t && len(e.fromCols) == 1 {
			found = append(found, e)
		}
	}
	if len(found) != 1 {
		return a.fail("I could not tell how %s relates to %s", a.tableWord(t), a.tableWord(s))
	}
	if a.q.subject < 0 {
		a.q.subject = s
	}
	a.q.anti = append(a.q.anti, antiJoin{table: t, outerCols: found[0].fromCols[0], innerCol: found[0].toCols[0]})
	return nil
}

// settleAnti moves the conditions on anti-joined tables into their
// subqueries and takes those tables out of the join. Anything else that
// uses such a table makes the question too hard to read.
func (a *analyzer) settleAnti() error {
	q := &a.q
	if len(q.anti) == 0 {
		return nil
	}
	inAnti := map[int]int{}
	for k, aj := range q.anti {
		inAnti[aj.table] = k
	}
	var keep []cond
	for _, w := range q.where {
		if k, ok := inAnti[w.col.table]; ok {
			q.anti[k].where = append(q.anti[k].where, w)
			continue
		}
		keep = append(keep, w)
	}
	q.where = keep
	uses := func(c colRef) bool { _, ok := inAnti[c.table]; return ok }
	for _, s := range q.sel {
		if !s.star && uses(s.col) {
			return a.fail("I could not show columns of rows that do not exist")
		}
	}
	for _, g := range q.group {
		if uses(g) {
			return a.fail("I could not group by rows that do not exist")
		}
	}
	for _, o := range q.order {
		if !o.expr.star && uses(o.expr.col) {
			return a.fail("I could not order by rows that do not exist")
		}
	}
	if q.having != nil || rankedByCount(q) {
		return a.fail("I could not count rows that do not exist")
	}
	var tables []int
	for _, t := range q.tables {
		if _, ok := inAnti[t]; !ok {
			tables = append(tables, t)
		}
	}
	q.tables = tables
	return nil
}

func rankedByCount(q *query) bool {
	for _, o := range q.order {
		if o.expr.star {
			return true
		}
	}
	return false
}

// groupForCount groups by the plain selected columns when rows are ranked
// or filtered by a count, adding the primary key when the only column is a
// label (two customers may share a name).
func (a *analyzer) groupForCount(plain int) error {
	q := &a.q
	if len(q.group) > 0 {
		return nil
	}
	if plain == 0 {
		return a.fail("I could not tell what to count per row")
	}
	for _, s := range q.sel {
		if s.agg == "" {
			q.group = append(q.group, s.col)
		}
	}
	if len(q.group) == 1 && a.isLabel(q.group[0]) {
		if pk, ok := a.primaryKey(q.group[0].table); ok {
			q.group = append([]colRef{pk}, q.group...)
		}
	}
	if h := q.having; h != nil {
		if pk, ok := a.primaryKey(h.col.table); ok && containsGroup(q.group, pk) {
			return a.fail("I could not count %s per %s", a.tableWord(h.col.table), a.tableWord(h.col.table))
		}
	}
	return nil
}

// trailingEach reports whether a pending "each" ends the question ("how
// many friends does each have"): it then means each row already shown.
func (a *analyzer) trailingEach() bool {
	for i := len(a.rs) - 1; i >= 0; i-- {
		k := a.rs[i].kw
		if k == kwGroup {
			a.grouping = false
			return len(a.q.sel) > 0
		}
		if k == kwNone || k != kwList && k != kwAnd {
			return false
		}
	}
	return false
}

// countsOtherTable reports whether every aggregate counts rows of a table
// none of the plain columns belongs to.
func (a *analyzer) countsOtherTable() bool {
	plainTables := map[int]bool{}
	for _, s := range a.q.sel {
		if s.agg == "" {
			plainTables[s.col.table] = true
		}
	}
	for _, s := range a.q.sel {
		if s.agg != "" && (!s.star || s.col.col != -1 || plainTables[s.col.table]) {
			return false
		}
	}
	return len(plainTables) == 1
}

// groupDependents adds to the grouping the shown columns of a grouped
// table with a primary key: they depend on that key, so grouping by the
// key and them keeps one row per key ("name and theme of each concert").
func (a *analyzer) groupDependents() {
	q := &a.q
	if len(q.group) == 0 {
		return
	}
	for _, s := range q.sel {
		if s.agg != "" || containsGroup(q.group, s.col) {
			continue
		}
		pk, ok := a.primaryKey(s.col.table)
		if !ok {
			continue
		}
		for _, g := range q.group {
			if g.table == s.col.table && g.bucket == "" {
				if !containsGroup(q.group, pk) {
					q.group = append(q.group, pk)
				}
				q.group = append(q.group, s.col)
				break
			}
		}
	}
}
