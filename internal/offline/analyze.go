package offline

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/askdb/askdb/internal/catalog"
)

// colRef is a column, optionally bucketed by month or year.
type colRef struct {
	table, col int
	bucket     string // "", "month", "year"
}

// selExpr is one output column: a column, an aggregate of one, or count(*).
type selExpr struct {
	agg      string // "", count, avg, sum, min, max
	col      colRef
	star     bool // count(*)
	distinct bool
}

// cond is one WHERE condition; args are SQL literals.
type cond struct {
	col  colRef
	op   string // =, <>, <, >, <=, >=, IN, NOT IN, BETWEEN
	args []string
	// boolean marks a truth test of a boolean column; args[0] is "true" or
	// "false" and is written in the dialect's spelling (see boolLiteral).
	boolean bool
}

type orderBy struct {
	expr selExpr
	desc bool
}

// query is the engine's plan before it becomes SQL.
type query struct {
	subject int // the table counted or listed; -1 until known
	tables  []int
	sel     []selExpr
	all     bool // SELECT *
	where   []cond
	group   []colRef
	order   []orderBy
	limit   int
	notes   []string
	// having filters groups on a count of rows ("with more than 2 songs").
	having *cond
	// anti keeps rows with no related row in another table ("without any
	// concert"); see antiJoin.
	anti []antiJoin
}

var errAbstain = errors.New("abstain")

// analyzer walks resolved items left to right.
type analyzer struct {
	lx  *lexicon
	rs  []resolved
	now time.Time
	q   query

	aggs       []string
	distinct   bool
	super      int // 0 none, 1 desc, -1 asc
	superN     int
	ordering   bool
	orderDir   int
	grouping   bool
	cmp        kw
	not        bool
	lastCol    *colRef
	between    []string
	named      bool
	which      bool
	usedCols   map[colRef]bool
	implied    []int
	pendingDir int
	// countedNext marks the table item a HAVING count is about.
	countedNext bool
	without     bool
	andBefore   bool // the item follows the word "and"
	common      bool // "most common": rank values by how many rows share them
}

// litFollows reports whether the quoted string at i directly follows the
// column it is a value of ("with the name 'Korea'"), so that a column named
// earlier does not capture it.
func (a *analyzer) litFollows(i int) bool {
	p := &a.rs[i-1]
	switch {
	case p.col >= 0 && p.kw == kwNone && !p.isVal:
		return true
	case p.kw == kwEq || p.kw == kwNot || p.kw == kwNamed:
		return true
	}
	return false
}

func (a *analyzer) fail(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errAbstain}, args...)...)
}

func (a *analyzer) run() (*query, error) {
	a.q.subject = -1
	a.usedCols = map[colRef]bool{}
	for i := range a.rs {
		if err := a.step(i); err != nil {
			return nil, err
		}
	}
	return a.finish()
}

func (a *analyzer) step(i int) error {
	r := &a.rs[i]
	a.andBefore = i > 0 && a.rs[i-1].kw == kwAnd && a.rs[i-1].text != "" && strings.EqualFold(a.rs[i-1].text, "and")
	switch {
	case r.isNum:
		return a.number(i)
	case r.isVal:
		return a.value(r.col, r.table, quoteString(r.value))
	case r.lit != "":
		if a.lastCol != nil && i > 0 && !a.litFollows(i) {
			return a.fail("I could not tell which column %q is a value of", r.lit)
		}
		if a.lastCol == nil {
			if a.named {
				if c, ok := a.labelColumn(); ok {
					a.lastCol = &c
					return a.value(c.col, c.table, quoteString(r.lit))
				}
			}
			return a.fail("I could not tell which column %q is a value of", r.lit)
		}
		return a.value(a.lastCol.col, a.lastCol.table, quoteString(r.lit))
	case r.kw != kwNone:
		return a.keyword(i, r.kw)
	case (r.alt == kwMost || r.alt == kwLeast) && a.nextNamesSchema(i):
		// "the highest capacity" where a column is also named Highest.
		return a.keyword(i, r.alt)
	case r.col >= 0:
		return a.column(i, colRef{table: r.table, col: r.col})
	case r.table >= 0:
		return a.table(i, r.table)
	}
	return a.fail("I could not place %q", r.text)
}

// nextNamesSchema reports whether the item after i is a plain column or
// table mention.
func (a *analyzer) nextNamesSchema(i int) bool {
	n := a.next(i)
	return n != nil && n.kw == kwNone && !n.isVal && (n.col >= 0 || n.table >= 0)
}

func (a *analyzer) next(i int) *resolved {
	if i+1 < len(a.rs) {
		return &a.rs[i+1]
	}
	return nil
}

func (a *analyzer) keyword(i int, k kw) error {
	switch k {
	case kwCount, kwAvg, kwSum, kwMax, kwMin:
		agg := map[kw]string{kwCount: "count", kwAvg: "avg", kwSum: "sum", kwMax: "max", kwMin: "min"}[k]
		if n := len(a.aggs); n == 0 || a.aggs[n-1] != agg {
			a.aggs = append(a.aggs, agg)
		}
	case kwDistinct:
		a.distinct = true
	case kwCommon:
		a.super, a.common = map[string]int{"least": -1}[strings.Fields(strings.ToLower(a.rs[i].text))[0]], true
		if a.super == 0 {
			a.super = 1
		}
	case kwMost, kwLeast:
		a.super = map[kw]int{kwMost: 1, kwLeast: -1}[k]
		if i > 0 && a.rs[i-1].isNum {
			a.superN = a.limitOf(i - 1)
		}
	case kwTop, kwBottom:
		if n := a.next(i); n != nil && n.isNum {
			a.superN = a.limitOf(i + 1)
			a.rs[i+1].isNum = false // consumed
			a.rs[i+1].kw = kwAnd
		}
	case kwOldest, kwYoungest, kwNewest, kwEarliest, kwExpensive, kwCheapest:
		a.implied = append(a.implied, i) // resolved once the tables are known
	case kwOrder:
		a.ordering = true
	case kwAsc, kwDesc:
		dir := map[kw]int{kwAsc: 1, kwDesc: -1}[k]
		nx := a.next(i)
		switch {
		case nx != nil && nx.col >= 0 && nx.kw == kwNone && !nx.isVal:
			a.ordering, a.orderDir = true, dir // "in descending order of earnings"
		case len(a.q.order) > 0:
			a.q.order[len(a.q.order)-1].desc = dir < 0
			a.ordering = false
		case a.ordering:
			a.orderDir = dir
		default:
			a.pendingDir = dir // "list the earnings in descending order"
		}
	case kwGroup, kwBy:
		a.grouping = true
	case kwGT, kwLT, kwGE, kwLE, kwEq, kwBetween, kwBefore, kwAfter, kwSince, kwOlder, kwYounger:
		a.cmp = k
	case kwNot:
		a.not = true
	case kwWithout:
		a.without = true
	case kwNamed:
		a.named = true
		a.lastCol = nil
	case kwWhich:
		a.which = true // "which customer": answer with its name
	case kwList:
	case kwAll:
		a.q.all = true
	case kwMonth, kwYear:
		return a.bucket(i, k)
	case kwLastMonth, kwThisMonth, kwLastYear, kwThisYear:
		return a.relativeDate(k)
	case kwQuarter:
		return a.quarter(i)
	case kwAnd, kwOr, kwIn:
	default:
		return a.fail("I could not use %q", a.rs[i].text)
	}
	return nil
}

func (a *analyzer) limitOf(i int) int {
	n, err := strconv.Atoi(a.rs[i].num)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

func (a *analyzer) column(i int, c colRef) error {
	a.usedCols[c] = true
	switch {
	case a.colType(c) == catalog.TypeBoolean && !a.grouping && !a.ordering && a.super == 0:
		// "active employees", "not active", "inactive": a boolean column
		// named in a question is a filter, never a value to count or show.
		val := !(a.not != a.rs[i].neg)
		a.not = false
		a.addTable(c.table)
		a.q.where = append(a.q.where, cond{col: c, op: "=", args: []string{strconv.FormatBool(val)}, boolean: true})
		return nil
	case len(a.aggs) > 0:
		if n := a.next(i); n != nil && (isCmp(n.kw) || a.cmp != kwNone) {
			return a.fail("I could not filter on an aggregate")
		}
		for _, agg := range a.aggs {
			a.q.sel = append(a.q.sel, selExpr{agg: agg, col: c, distinct: a.distinct && agg == "count"})
		}
		a.aggs, a.distinct = nil, false
		a.lastCol = &c
	case a.super != 0 && a.common:
		// "the most common hometown": the value most rows share.
		a.q.sel = append(a.q.sel, selExpr{col: c})
		a.q.group = append(a.q.group, c)
		a.q.order = append(a.q.order, orderBy{expr: selExpr{agg: "count", star: true}, desc: a.super > 0})
		a.q.limit = max(a.superN, 1)
		a.super, a.superN, a.common = 0, 0, false
	case a.super != 0 && a.colType(c) == catalog.TypeText && isPlural(a.rs[i].text):
		// "the most languages": a text column is ranked by how many rows
		// carry it, as a table would be.
		a.q.order = append(a.q.order, orderBy{expr: selExpr{agg: "count", star: true}, desc: a.super > 0})
		a.q.limit = max(a.superN, 1)
		a.super, a.superN = 0, 0
		a.addTable(c.table)
	case a.super != 0:
		a.q.order = append(a.q.order, orderBy{expr: selExpr{col: c}, desc: a.super > 0})
		a.q.limit = max(a.superN, 1)
		a.super, a.superN = 0, 0
	case a.ordering:
		a.q.order = append(a.q.order, orderBy{expr: selExpr{col: c}, desc: a.orderDir < 0})
		a.orderDir = 0
	case a.grouping:
		a.q.group = append(a.q.group, c)
		a.grouping = false
	case i > 0 && a.rs[i-1].isVal && a.rs[i-1].col == c.col && a.rs[i-1].table == c.table:
		// "the Electronics category": the column names the value's kind.
	default:
		n := a.next(i)
		if n != nil && (n.isVal && n.col == c.col && n.table == c.table || n.lit != "" || n.isNum ||
			isCmp(n.kw) || n.kw == kwNot) {
			a.lastCol = &c
			return nil
		}
		if a.cmp != kwNone {
			a.lastCol = &c // "below age 30"
			return nil
		}
		a.q.sel = append(a.q.sel, selExpr{col: c})
		if a.distinct {
			a.q.notes = append(a.q.notes, "distinct")
			a.distinct = false
		}
		a.lastCol = &c
	}
	return nil
}

// isPlural reports whether the last word of a phrase as written is a
// plural noun ("languages").
func isPlural(text string) bool {
	ws := strings.Fields(strings.ToLower(text))
	if len(ws) == 0 {
		return false
	}
	w := ws[len(ws)-1]
	return stem(w) != w
}

func isCmp(k kw) bool {
	switch k {
	case kwGT, kwLT, kwGE, kwLE, kwEq, kwBetween, kwBefore, kwAfter, kwSince:
		return true
	}
	return false
}

func (a *analyzer) table(i int, t int) error {
	a.addTable(t)
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
			return a.fail("I could not tell what to show of %s", a.lx.cat.Tables[t].Name)
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
			return a.fail("I could not tell which column makes rows distinct")
		}
	case a.super != 0 && (a.q.subject == t || a.q.subject < 0 && a.selOnly(t)):
		return a.fail("I could not tell by what %s are ranked", a.lx.cat.Tables[t].Name)
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
	case a.grouping:
		l, ok := a.labelOf(t)
		if !ok {
			return a.fail("I could not tell how to name each %s", a.lx.cat.Tables[t].Name)
		}
		a.q.group = append(a.q.group, l)
		a.grouping = false
	case len(a.aggs) > 0:
		if n := a.next(i); n != nil && n.col >= 0 && n.table == t && !n.isVal && n.kw == kwNone {
			if a.q.subject < 0 {
				a.q.subject = t // "the sum of order total": the table qualifies the column
			}
			return nil
		}
		return a.fail("I could not tell which column of %s to aggregate", a.lx.cat.Tables[t].Name)
	default:
		if a.q.subject < 0 {
			a.q.subject = t
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

// labelOf is the column that names a row of table t.
func (a *analyzer) labelOf(t int) (colRef, bool) {
	tab := &a.lx.cat.Tables[t]
	tw := phraseKey(identWords(tab.Name))
	for pass := 0; pass < 3; pass++ {
		for ci, c := range tab.Columns {
			k := phraseKey(identWords(c.Name))
			if c.Type != catalog.TypeText {
				continue
			}
			if (pass == 0 && k == "name") || (pass == 1 && k == tw+"name") || (pass == 2 && k == "title") {
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
		if a.andBefore && a.q.subject >= 0 && c.table != a.q.subject {
			// "countries that speak English and Dutch": both, row by row of
			// another table, which one IN list cannot say.
			return a.fail("I could not tell whether %s means both values or either", lit)
		}
		w := &a.q.where[n-1]
		w.op, w.args = "IN", append(w.args, lit)
		return nil
	}
	a.q.where = append(a.q.where, cond{col: c, op: op, args: []string{lit}})
	a.lastCol = nil
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
