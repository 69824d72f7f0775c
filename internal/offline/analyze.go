package offline

import (
	"errors"
	"fmt"
	"github.com/askdb/askdb/internal/text"
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
	// doubts are inferences made while joining; see confidence.
	doubts []doubt
}

var errAbstain = errors.New("abstain")

// analyzer walks resolved items left to right.
type analyzer struct {
	lx  *lexicon
	rs  []resolved
	now time.Time
	q   query

	aggs     []string
	distinct bool
	super    int // 0 none, 1 desc, -1 asc
	superN   int
	ordering bool
	orderDir int
	grouping bool
	cmp      kw
	not      bool
	lastCol  *colRef
	between  []string
	named    bool
	which    bool
	usedCols map[colRef]bool
	implied  []int
	// impliedOn is the column named right after an implied superlative
	// ("the oldest age"), by the superlative's position.
	impliedOn map[int]colRef
	// fullName is set by "first and last name": the subject's first and
	// last name columns go at fullNameAt in the select list.
	fullName   bool
	fullNameAt int
	// spendWord and notWord are the words, as typed, that set spend and
	// not: an abstention quotes only what the user wrote.
	spendWord, notWord string
	// cur is the position of the item being read, for abstentions.
	cur int
	// orSeen is set by the word "or".
	orSeen bool
	// qualifiers are the positions in q.sel of columns named by a word
	// that also names a table, or right after a value ("players who play
	// the Defender position"): shown only when nothing else is.
	qualifiers []int
	// pluralSel are the shown columns named in the plural ("all majors").
	pluralSel  []colRef
	pendingDir int
	// countedNext marks the table item a HAVING count is about.
	countedNext bool
	without     bool
	andBefore   bool // the item follows the word "and"
	// andSeen is set by the word "and" since the last condition was added.
	andSeen bool
	// mentioned holds the tables a table word has named so far.
	mentioned map[int]bool
	// owner is a column word in the possessive before its own table
	// ("which countries' channels"): its values own the rows.
	owner       string
	common      bool // "most common": rank values by how many rows share them
	groupWordAt int  // position of the last "each", "per" or "by"
	// superCol is the column a plain superlative ranks by ("the highest
	// salary"); who is set by the word "who", tableNamed by any table.
	superCol   *colRef
	who        bool
	tableNamed bool
	// spend is set by "spent": ranking is by the sum of the money of the
	// subject's related rows (see spending).
	spend bool
	// sumCol is a column named by a word that also means a sum ("total").
	sumCol *colRef
	// doubts lower the confidence of the answer; see confidence.
	doubts []doubt
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
	a.impliedOn = map[int]colRef{}
	a.mentioned = map[int]bool{}
	for i := range a.rs {
		if err := a.step(i); err != nil {
			return nil, err
		}
	}
	return a.finish()
}

func (a *analyzer) step(i int) error {
	a.cur = i
	r := &a.rs[i]
	a.andBefore = i > 0 && a.rs[i-1].kw == kwAnd && a.rs[i-1].text != "" && strings.EqualFold(a.rs[i-1].text, "and")
	a.andSeen = a.andSeen || a.andBefore
	switch {
	case r.isNum:
		return a.number(i)
	case r.quoted && gapHas(r, containWords...):
		return a.contains(i)
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
	case r.alt == kwSum && a.nextIsMeasure(i):
		// "total budget": "total" before a measure is a sum, even where a
		// column is named total.
		return a.keyword(i, r.alt)
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

// nextIsMeasure reports whether the item after i is a numeric column.
func (a *analyzer) nextIsMeasure(i int) bool {
	n := a.next(i)
	return n != nil && n.kw == kwNone && !n.isVal && n.col >= 0 && a.colType(colRef{table: n.table, col: n.col}).IsNumeric()
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
		if i > 0 && (a.rs[i-1].kw == kwAsc || a.rs[i-1].kw == kwDesc) {
			return nil // "descending alphabetical order": the first word says the direction
		}
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
	case kwBy:
		if a.ordering && len(a.q.order) == 0 {
			return nil // "sort by": the order's own "by"
		}
		a.grouping, a.groupWordAt = true, i
	case kwGroup:
		if a.grouping && a.groupWordAt == i-1 {
			return a.fail("I could not tell what %q %q groups by", a.rs[i-1].text, a.rs[i].text)
		}
		a.grouping, a.groupWordAt = true, i
	case kwGT, kwLT, kwGE, kwLE, kwEq, kwBetween, kwBefore, kwAfter, kwSince, kwOlder, kwYounger:
		a.cmp = k
	case kwNot:
		a.not, a.notWord = true, a.rs[i].text
	case kwWithout:
		a.without = true
	case kwNamed:
		a.named = true
		if p := &a.rs[max(i-1, 0)]; i == 0 || p.col < 0 || p.kw != kwNone || p.isVal {
			a.lastCol = nil // "the pilot named 'Thompson'" keeps the column pilot
		}
	case kwWhich:
		a.which = true // "which customer": answer with its name
		a.who = a.who || strings.EqualFold(a.rs[i].text, "who")
	case kwList:
	case kwAll:
		a.q.all = true
	case kwMonth, kwYear:
		return a.bucket(i, k)
	case kwLastMonth, kwThisMonth, kwLastYear, kwThisYear:
		return a.relativeDate(k)
	case kwQuarter:
		return a.quarter(i)
	case kwSpend:
		a.spend, a.spendWord = true, a.rs[i].text
	case kwOr:
		a.orSeen = true
	case kwFullName:
		a.fullName, a.fullNameAt = true, len(a.q.sel)
	case kwAnd, kwIn:
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
	if n := a.next(i); a.rs[i].poss && n != nil && n.kw == kwNone && n.col < 0 && n.table == c.table {
		a.owner = a.rs[i].text // "countries' channels"; see finish
	}
	a.usedCols[c] = true
	if i > 0 && isImplied(a.rs[i-1].kw) && (a.colType(c).IsNumeric() || a.colType(c).IsTemporal()) {
		// "the artist with the oldest age": the superlative ranks by the
		// column named after it, which is not asked for.
		a.impliedOn[i-1] = c
		a.addTable(c.table)
		return nil
	}
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
		// "how many continents": a plural kind word counts the kinds, not
		// the rows that carry one.
		kinds := a.colType(c) == catalog.TypeText && isPlural(a.rs[i].text)
		if pk, ok := a.primaryKey(c.table); ok && pk == c {
			kinds = false
		}
		for _, agg := range a.aggs {
			d := (a.distinct || kinds) && agg == "count"
			if pk, ok := a.primaryKey(c.table); agg == "count" && !d && (!ok || pk != c) {
				// "how many advisors", "the total number of games played":
				// rows, distinct values or a sum; measured on spider-train,
				// count(column) was right 2 times in 24.
				return a.fail("I could not tell whether to count rows or different values of %q", a.rs[i].text)
			}
			a.q.sel = append(a.q.sel, selExpr{agg: agg, col: c, distinct: d})
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
		if a.superN == 0 {
			a.superCol = &c
		}
		if n := a.next(i); len(a.q.sel) == 0 && n != nil && (n.kw == kwAnd && a.nextNamesSchema(i+1) ||
			a.nextNamesSchema(i) && gapHas(n, "along", "together", "well")) {
			// "the smallest version number and its type code", "the
			// lowest version number, along with its type code": the
			// ranked value is asked for too.
			a.q.sel = append(a.q.sel, selExpr{col: c})
		}
		a.super, a.superN = 0, 0
	case a.ordering:
		dir := a.orderDir
		if dir == 0 {
			dir, a.pendingDir = a.pendingDir, 0 // "in descending order of ticket price"
		}
		a.q.order = append(a.q.order, orderBy{expr: selExpr{col: c}, desc: dir < 0})
		a.orderDir = 0
	case a.grouping:
		a.q.group = append(a.q.group, c)
		a.grouping = false
	case i > 0 && a.rs[i-1].isVal && a.rs[i-1].col == c.col && a.rs[i-1].table == c.table:
		// "the Electronics category": the column names the value's kind.
	default:
		n := a.next(i)
		if n != nil && n.quoted && gapHas(n, containWords...) {
			a.lastCol = &c // "whose name contains 'Diana'"
			return nil
		}
		if n != nil && n.isVal && n.quoted && (n.col != c.col || n.table != c.table) {
			// "templates with the description 'Presentation'" where the
			// value is not a description: the word named another column.
			return a.fail("%q is not a stored %s", n.text, a.rs[i].text)
		}
		if n != nil && (n.isVal && n.col == c.col && n.table == c.table || n.lit != "" || n.isNum ||
			isCmp(n.kw) || n.kw == kwNot || n.kw == kwNamed) {
			a.lastCol = &c
			return nil
		}
		if a.cmp != kwNone {
			a.lastCol = &c // "below age 30"
			return nil
		}
		if (len(tablesOf(a.rs[i].refs, refTable)) > 0 || i > 0 && a.rs[i-1].isVal) && !a.inList(i) {
			a.qualifiers = append(a.qualifiers, len(a.q.sel))
		}
		if isPlural(a.rs[i].text) {
			a.pluralSel = append(a.pluralSel, c)
		}
		a.q.sel = append(a.q.sel, selExpr{col: c})
		if a.rs[i].alt == kwSum && a.colType(c).IsNumeric() {
			a.sumCol = &c // "total order value per month": summed once grouped
		}
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
func isPlural(phrase string) bool {
	ws := strings.Fields(strings.ToLower(phrase))
	if len(ws) == 0 {
		return false
	}
	w := ws[len(ws)-1]
	return text.Singular(w) != w
}

// isImplied reports whether k is a superlative whose column is implied
// ("oldest": age or a birth date).
func isImplied(k kw) bool {
	switch k {
	case kwOldest, kwYoungest, kwNewest, kwEarliest, kwExpensive, kwCheapest:
		return true
	}
	return false
}

func isCmp(k kw) bool {
	switch k {
	case kwGT, kwLT, kwGE, kwLE, kwEq, kwBetween, kwBefore, kwAfter, kwSince:
		return true
	}
	return false
}

// gapHas reports whether one of words is among the filler words just
// before item n ("along with").
func gapHas(n *resolved, words ...string) bool {
	for _, g := range n.gap {
		for _, w := range words {
			if g == w {
				return true
			}
		}
	}
	return false
}

// containWords before a quoted string make it a substring to look for.
var containWords = []string{"contain", "contains", "containing", "include", "includes", "including"}

// contains reads "whose email address contains 'wrau'" as LIKE '%wrau%'
// on the text column named right before the string.
func (a *analyzer) contains(i int) error {
	r := &a.rs[i]
	c := a.lastCol
	if c == nil || a.rs[i-1].col != c.col || a.rs[i-1].table != c.table || a.colType(*c) != catalog.TypeText ||
		strings.ContainsAny(r.text, "%_") {
		return a.fail("I could not tell which column should contain %q", r.text)
	}
	op := "LIKE"
	if a.not {
		op, a.not = "NOT LIKE", false
	}
	a.addTable(c.table)
	a.usedCols[*c] = true
	a.q.where = append(a.q.where, cond{col: *c, op: op, args: []string{quoteString("%" + r.text + "%")}})
	a.lastCol = nil
	return nil
}

// inList reports whether the item at i is one of a list joined by "and"
// ("the grapes and appelations"), which asks for each of them.
func (a *analyzer) inList(i int) bool {
	n := a.next(i)
	return a.andBefore || a.rs[i].comma || n != nil && (n.kw == kwAnd || n.comma)
}
