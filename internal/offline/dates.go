package offline

import (
	"fmt"
	"github.com/askdb/askdb/internal/text"
	"strconv"
	"strings"
	"time"

	"github.com/askdb/askdb/internal/catalog"
)

func (a *analyzer) colType(c colRef) catalog.Type {
	return a.lx.cat.Tables[c.table].Columns[c.col].Type
}

func (a *analyzer) colKey(c colRef) string {
	return phraseKey(text.IdentWords(a.lx.cat.Tables[c.table].Columns[c.col].Name))
}

// inPlay lists the tables the question has touched so far, subject first.
func (a *analyzer) inPlay() []int {
	out := []int{}
	if a.q.subject >= 0 {
		out = append(out, a.q.subject)
	}
	for _, t := range a.q.tables {
		if t != a.q.subject {
			out = append(out, t)
		}
	}
	return out
}

// findColumn returns the only column of the tables in play that ok accepts.
func (a *analyzer) findColumn(ok func(colRef) bool) (colRef, error) {
	var found []colRef
	for _, t := range a.inPlay() {
		for ci := range a.lx.cat.Tables[t].Columns {
			if c := (colRef{table: t, col: ci}); ok(c) {
				found = append(found, c)
			}
		}
		if len(found) > 0 {
			break // the subject's own column wins
		}
	}
	if len(found) != 1 {
		// Quote the word that asked for the column, never what the engine
		// looked for ("date" for "most recent"), which the user did not type.
		return colRef{}, a.fail("I could not tell which column %q refers to", a.rs[a.cur].text)
	}
	return found[0], nil
}

func (a *analyzer) dateColumn() (colRef, error) {
	if a.lastCol != nil && a.colType(*a.lastCol).IsTemporal() {
		return *a.lastCol, nil
	}
	return a.findColumn(func(c colRef) bool { return a.colType(c).IsTemporal() })
}

func (a *analyzer) ageColumn() (colRef, error) {
	return a.findColumn(func(c colRef) bool { return a.colKey(c) == "age" && a.colType(c).IsNumeric() })
}

func isYear(s string) bool {
	n, err := strconv.Atoi(s)
	return err == nil && n >= 1000 && n <= 2200
}

func (a *analyzer) number(i int) error {
	num := a.rs[i].num
	switch {
	case a.cmp == kwBetween:
		a.between = append(a.between, num)
		if len(a.between) < 2 {
			return nil
		}
		c := a.lastCol
		if c == nil || a.colType(*c) == catalog.TypeText {
			return a.fail("I could not tell what is between %s and %s", a.between[0], a.between[1])
		}
		if a.colType(*c).IsTemporal() && isYear(a.between[0]) && isYear(a.between[1]) {
			y2, _ := strconv.Atoi(a.between[1])
			a.addCond(*c, ">=", quoteString(a.between[0]+"-01-01"))
			a.addCond(*c, "<", quoteString(strconv.Itoa(y2+1)+"-01-01"))
		} else {
			a.addCond(*c, "BETWEEN", a.between[0], a.between[1])
		}
		a.cmp, a.between, a.lastCol = kwNone, nil, nil
		return nil
	case a.cmp == kwOlder || a.cmp == kwYounger:
		c, err := a.ageColumn()
		if err != nil {
			return a.ageFromBirth(num, err)
		}
		a.addCond(c, map[kw]string{kwOlder: ">", kwYounger: "<"}[a.cmp], num)
	case a.cmp == kwBefore || a.cmp == kwAfter || a.cmp == kwSince:
		if !isYear(num) {
			return a.fail("I could not read %s as a year", num)
		}
		c, err := a.dateColumn()
		if err != nil {
			return err
		}
		y, _ := strconv.Atoi(num)
		switch a.cmp {
		case kwBefore:
			a.addCond(c, "<", quoteString(num+"-01-01"))
		case kwAfter:
			a.addCond(c, ">=", quoteString(strconv.Itoa(y+1)+"-01-01"))
		default:
			a.addCond(c, ">=", quoteString(num+"-01-01"))
		}
	case a.cmp != kwNone && a.countsTable(i):
		return a.havingCount(i, num)
	case a.cmp != kwNone:
		c := a.lastCol
		if c == nil && strings.HasPrefix(a.rs[i].text, "$") {
			m, err := a.findColumn(func(c colRef) bool { return a.colType(c) == catalog.TypeDecimal })
			if err != nil {
				return err
			}
			c = &m
		}
		if c == nil || !a.colType(*c).IsNumeric() {
			return a.fail("I could not tell what should be compared with %s", num)
		}
		if n := a.next(i); n != nil && (n.table >= 0 || n.col >= 0) && n.kw == kwNone && !n.isVal {
			return a.fail("I could not compare %s with %s", num, n.text)
		}
		a.addCond(*c, map[kw]string{kwGT: ">", kwLT: "<", kwGE: ">=", kwLE: "<=", kwEq: "="}[a.cmp], num)
	case i+1 < len(a.rs) && (a.rs[i+1].kw == kwMost || a.rs[i+1].kw == kwLeast || a.rs[i+1].kw == kwExpensive || a.rs[i+1].kw == kwCheapest):
		return nil // "the 5 most expensive", "publications with 3 lowest prices": read by the superlative
	case i > 0 && a.rs[i-1].table >= 0 && a.rs[i-1].col < 0 && a.rs[i-1].kw == kwNone && !a.rs[i-1].isVal:
		// "project 3": the row with that key.
		pk, ok := a.primaryKey(a.rs[i-1].table)
		if !ok || !a.colType(pk).IsNumeric() {
			return a.fail("I could not tell what %s refers to", num)
		}
		a.addCond(pk, "=", num)
	case i > 0 && a.rs[i-1].kw == kwIn && isYear(num):
		return a.inYear(num)
	case i > 0 && a.rs[i-1].kw == kwWhich && a.countsTable(i):
		a.superN = a.limitOf(i) // "which 10 customers ... the most"
		return nil
	default:
		return a.fail("I could not tell what %s refers to", num)
	}
	a.cmp, a.lastCol = kwNone, nil
	return nil
}

func (a *analyzer) addCond(c colRef, op string, args ...string) {
	a.addTable(c.table)
	a.usedCols[c] = true
	if a.not {
		a.not = false
		op = map[string]string{"=": "<>", "<": ">=", ">": "<=", "<=": ">", ">=": "<", "BETWEEN": "NOT BETWEEN"}[op]
	}
	a.q.where = append(a.q.where, cond{col: c, op: op, args: args})
}

// inYear filters on a year: a year column equals it, a date falls in it.
func (a *analyzer) inYear(num string) error {
	if a.lastCol != nil && a.colKey(*a.lastCol) == "year" {
		a.addCond(*a.lastCol, "=", num)
		return nil
	}
	c, err := a.dateColumn()
	if err != nil {
		yc, err2 := a.findColumn(func(c colRef) bool { return a.colKey(c) == "year" })
		if err2 != nil {
			return err
		}
		a.addCond(yc, "=", num)
		return nil
	}
	y, _ := strconv.Atoi(num)
	a.addCond(c, ">=", quoteString(num+"-01-01"))
	a.addCond(c, "<", quoteString(strconv.Itoa(y+1)+"-01-01"))
	a.lastCol = nil
	return nil
}

func (a *analyzer) quarter(i int) error {
	q := int(a.rs[i].text[len(a.rs[i].text)-1] - '0')
	if q < 1 || q > 4 || i+1 >= len(a.rs) || !a.rs[i+1].isNum || !isYear(a.rs[i+1].num) {
		return a.fail("I could not read the quarter %q", a.rs[i].text)
	}
	c, err := a.dateColumn()
	if err != nil {
		return err
	}
	y, _ := strconv.Atoi(a.rs[i+1].num)
	from := time.Date(y, time.Month(3*q-2), 1, 0, 0, 0, 0, time.UTC)
	a.rangeCond(c, from, from.AddDate(0, 3, 0))
	a.rs[i+1].isNum, a.rs[i+1].kw = false, kwAnd // consumed
	return nil
}

func (a *analyzer) rangeCond(c colRef, from, to time.Time) {
	a.addCond(c, ">=", quoteString(from.Format(time.DateOnly)))
	a.addCond(c, "<", quoteString(to.Format(time.DateOnly)))
	a.lastCol = nil
}

func (a *analyzer) relativeDate(k kw) error {
	c, err := a.dateColumn()
	if err != nil {
		return err
	}
	n := a.now
	month := time.Date(n.Year(), n.Month(), 1, 0, 0, 0, 0, time.UTC)
	year := time.Date(n.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	switch k {
	case kwLastMonth:
		a.rangeCond(c, month.AddDate(0, -1, 0), month)
	case kwThisMonth:
		a.rangeCond(c, month, month.AddDate(0, 1, 0))
	case kwLastYear:
		a.rangeCond(c, year.AddDate(-1, 0, 0), year)
	default:
		a.rangeCond(c, year, year.AddDate(1, 0, 0))
	}
	return nil
}

// bucket reads "by month", "per year", "monthly".
func (a *analyzer) bucket(i int, k kw) error {
	r := &a.rs[i]
	if r.col >= 0 && r.alt != kwNone && !a.grouping {
		return a.column(i, colRef{table: r.table, col: r.col}) // a column named "year"
	}
	if !a.grouping && !strings.HasSuffix(strings.ToLower(r.text), "ly") && strings.ToLower(r.text) != "annual" {
		return a.fail("I could not tell what to do with %q", r.text)
	}
	c, err := a.dateColumn()
	if err != nil {
		return err
	}
	c.bucket = map[kw]string{kwMonth: "month", kwYear: "year"}[k]
	a.q.group = append(a.q.group, c)
	a.q.order = append(a.q.order, orderBy{expr: selExpr{col: c}})
	a.grouping = false
	return nil
}

func (a *analyzer) impliedSuperlative(i int, k kw) error {
	var c colRef
	var err error
	desc := true
	named, isNamed := a.impliedOn[i]
	switch k {
	case kwOldest, kwYoungest:
		c, err = a.ageColumn()
		desc = k == kwOldest
		if isNamed {
			c, err = named, nil
			desc = k == kwOldest == a.colType(c).IsNumeric()
		}
		if err != nil {
			c, err = a.findColumn(func(c colRef) bool {
				return a.colType(c).IsTemporal() && strings.Contains(a.colKey(c), "birth")
			})
			desc = k == kwYoungest
		}
	case kwNewest, kwEarliest:
		c, err = a.dateColumn()
		if isNamed {
			c, err = named, nil
		}
		desc = k == kwNewest
	default:
		c, err = a.findColumn(func(c colRef) bool {
			key := a.colKey(c)
			return a.colType(c).IsNumeric() && (strings.Contains(key, "price") || strings.Contains(key, "cost"))
		})
		if isNamed {
			c, err = named, nil
		}
		desc = k == kwExpensive
	}
	if err != nil {
		return err
	}
	n := 1
	if i > 0 && a.rs[i-1].isNum {
		n = a.limitOf(i - 1)
	} else if a.superN > 0 {
		n = a.superN
	}
	a.q.order = append(a.q.order, orderBy{expr: selExpr{col: c}, desc: desc})
	a.q.limit, a.superN = n, 0
	return nil
}

var _ = fmt.Sprintf

// ageFromBirth reads "older than N" on a table with a birth date and no
// age: the age in whole years is above N, so the birth date is on or
// before the day N+1 years ago; "younger than N" is after the day N years
// ago.
func (a *analyzer) ageFromBirth(num string, noAge error) error {
	n, err := strconv.Atoi(num)
	if err != nil || n < 0 || n > 150 {
		return noAge
	}
	c, err := a.findColumn(func(c colRef) bool {
		return a.colType(c).IsTemporal() && strings.Contains(a.colKey(c), "birth")
	})
	if err != nil {
		return noAge
	}
	today := time.Date(a.now.Year(), a.now.Month(), a.now.Day(), 0, 0, 0, 0, time.UTC)
	if a.cmp == kwOlder {
		a.addCond(c, "<=", quoteString(today.AddDate(-(n+1), 0, 0).Format(time.DateOnly)))
	} else {
		a.addCond(c, ">", quoteString(today.AddDate(-n, 0, 0).Format(time.DateOnly)))
	}
	a.doubt(capDerived, "age is counted in whole years from %s", a.lx.cat.Tables[c.table].Columns[c.col].Name)
	a.cmp, a.lastCol = kwNone, nil
	return nil
}
