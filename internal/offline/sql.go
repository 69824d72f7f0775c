package offline

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/askdb/askdb/internal/catalog"
)

// render writes q as SQL for dialect d.
func (lx *lexicon) render(q *query, steps []fkStep, d catalog.Dialect) string {
	alias := map[int]string{}
	multi := len(steps) > 0
	if multi {
		alias[q.subject] = "T1"
		for i, s := range steps {
			alias[s.to] = fmt.Sprintf("T%d", i+2)
		}
	}
	col := func(c colRef) string {
		name := quoteIdent(d, lx.cat.Tables[c.table].Columns[c.col].Name)
		if multi {
			name = alias[c.table] + "." + name
		}
		return bucketExpr(d, c.bucket, name)
	}
	expr := func(s selExpr) string {
		switch {
		case s.star:
			return "count(*)"
		case s.agg == "":
			return col(s.col)
		case s.distinct:
			return s.agg + "(DISTINCT " + col(s.col) + ")"
		}
		return s.agg + "(" + col(s.col) + ")"
	}
	var b strings.Builder
	b.WriteString("SELECT ")
	if hasNote(q, "distinct") {
		b.WriteString("DISTINCT ")
	}
	if q.all {
		if multi {
			b.WriteString("T1.")
		}
		b.WriteString("*")
	}
	for i, s := range q.sel {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(expr(s))
		if s.col.bucket != "" && s.agg == "" {
			b.WriteString(" AS " + s.col.bucket)
		}
	}
	b.WriteString(" FROM " + lx.tableRef(q.subject, d, alias))
	for _, s := range steps {
		b.WriteString(" JOIN " + lx.tableRef(s.to, d, alias) + " ON ")
		for k := range s.edge.fromCols {
			if k > 0 {
				b.WriteString(" AND ")
			}
			fmt.Fprintf(&b, "%s.%s = %s.%s", alias[s.from], quoteIdent(d, s.edge.fromCols[k]), alias[s.to], quoteIdent(d, s.edge.toCols[k]))
		}
	}
	for i, w := range q.where {
		if i == 0 {
			b.WriteString(" WHERE ")
		} else {
			b.WriteString(" AND ")
		}
		b.WriteString(col(w.col) + " " + w.op + " ")
		switch w.op {
		case "IN", "NOT IN":
			b.WriteString("(" + strings.Join(w.args, ", ") + ")")
		case "BETWEEN", "NOT BETWEEN":
			b.WriteString(w.args[0] + " AND " + w.args[1])
		default:
			b.WriteString(w.args[0])
		}
	}
	for i, g := range q.group {
		if i == 0 {
			b.WriteString(" GROUP BY ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(col(g))
	}
	for i, o := range q.order {
		if i == 0 {
			b.WriteString(" ORDER BY ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(expr(o.expr))
		if o.desc {
			b.WriteString(" DESC")
		}
	}
	if q.limit > 0 {
		fmt.Fprintf(&b, " LIMIT %d", q.limit)
	}
	return b.String()
}

func hasNote(q *query, n string) bool {
	for _, x := range q.notes {
		if x == n {
			return true
		}
	}
	return false
}

func (lx *lexicon) tableRef(t int, d catalog.Dialect, alias map[int]string) string {
	tab := &lx.cat.Tables[t]
	s := quoteIdent(d, tab.Name)
	if tab.Schema != "" {
		s = quoteIdent(d, tab.Schema) + "." + s
	}
	if a, ok := alias[t]; ok {
		s += " AS " + a
	}
	return s
}

// bucketExpr truncates a date to its month ("2024-03") or year.
func bucketExpr(d catalog.Dialect, bucket, col string) string {
	switch bucket {
	case "month":
		switch d {
		case catalog.Postgres:
			return "to_char(" + col + ", 'YYYY-MM')"
		case catalog.MySQL:
			return "DATE_FORMAT(" + col + ", '%Y-%m')"
		}
		return "strftime('%Y-%m', " + col + ")"
	case "year":
		switch d {
		case catalog.Postgres:
			return "CAST(EXTRACT(YEAR FROM " + col + ") AS integer)"
		case catalog.MySQL:
			return "YEAR(" + col + ")"
		}
		return "CAST(strftime('%Y', " + col + ") AS INTEGER)"
	}
	return col
}

var plainIdent = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// reserved are words that must be quoted as identifiers in some dialect.
var reserved = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`all and any as asc between by case cast check collate column constraint create
		cross current_date current_time current_timestamp default delete desc distinct drop else end except exists false
		fetch for foreign from full group having in index inner insert intersect interval into is join key left like
		limit natural not null offset on or order outer primary references right rows select set table then to true
		union unique update user using values when where window with year month day rank range row position`) {
		reserved[w] = true
	}
}

// quoteIdent quotes an identifier only when the dialect needs it.
func quoteIdent(d catalog.Dialect, name string) string {
	needs := !plainIdent.MatchString(name) || reserved[strings.ToLower(name)] ||
		(d == catalog.Postgres && strings.ToLower(name) != name)
	if needs {
		return catalog.QuoteIdent(d, name)
	}
	return name
}
