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
	shown := func(s selExpr) string {
		e := expr(s)
		if s.agg != "" {
			e += " AS " + quoteIdent(d, lx.aggAlias(q, s))
		}
		return e
	}
	var b strings.Builder
	b.WriteString("SELECT ")
	if hasNote(q, "distinct") || (!q.all && fansOut(q, steps)) {
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
		b.WriteString(shown(s))
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
	var conds []string
	for _, w := range q.where {
		conds = append(conds, condSQL(boolLiteral(w, d), col(w.col)))
	}
	for _, aj := range q.anti {
		conds = append(conds, lx.antiSQL(q, aj, d, alias, multi))
	}
	if len(conds) > 0 {
		b.WriteString(" WHERE " + strings.Join(conds, " AND "))
	}
	for i, g := range q.group {
		if i == 0 {
			b.WriteString(" GROUP BY ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(col(g))
	}
	if h := q.having; h != nil {
		b.WriteString(" HAVING " + condSQL(*h, "count(*)"))
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

// aggAlias names an aggregate column for a reader: count(*) AS employees,
// avg(salary) AS average_salary, sum(total) AS total.
func (lx *lexicon) aggAlias(q *query, s selExpr) string {
	if s.star {
		t := q.subject
		if s.col.col == -1 && s.col.table >= 0 {
			t = s.col.table
		}
		return strings.ToLower(lx.cat.Tables[t].Name)
	}
	name := strings.ToLower(lx.cat.Tables[s.col.table].Columns[s.col.col].Name)
	word := map[string]string{"avg": "average", "sum": "total", "min": "min", "max": "max", "count": "count"}[s.agg]
	if s.distinct {
		word += "_distinct"
	}
	if name == word || strings.HasPrefix(name, word+"_") {
		return name
	}
	return word + "_" + name
}

// fansOut reports whether a plain listing joins to the many side of a
// foreign key, seen from the table whose columns are shown, where one of
// its rows would repeat once per related row: "courses that have students"
// lists each course once, and so does "students enrolled in a Bachelor
// program" when the plan starts from the program.
func fansOut(q *query, steps []fkStep) bool {
	if len(q.group) > 0 || q.limit > 0 || len(q.sel) == 0 {
		return false
	}
	shown := q.sel[0].col.table
	for _, s := range q.sel {
		if s.agg != "" || s.star || s.col.table != shown {
			return false
		}
	}
	return reachesMany(shown, steps)
}

// reachesMany reports whether the joins, seen from table shown, reach the
// many side of a foreign key, where a row of shown repeats.
func reachesMany(shown int, steps []fkStep) bool {
	seen := map[int]bool{shown: true}
	for grew := true; grew; {
		grew = false
		for _, s := range steps {
			switch {
			case seen[s.from] && !seen[s.to]:
				if s.edge.fanOut {
					return true
				}
				seen[s.to], grew = true, true
			case seen[s.to] && !seen[s.from]:
				if !s.edge.fanOut {
					return true
				}
				seen[s.from], grew = true, true
			}
		}
	}
	return false
}

// condSQL writes one condition on the expression lhs.
func condSQL(w cond, lhs string) string {
	s := lhs + " " + w.op + " "
	switch w.op {
	case "IN", "NOT IN":
		return s + "(" + strings.Join(w.args, ", ") + ")"
	case "BETWEEN", "NOT BETWEEN":
		return s + w.args[0] + " AND " + w.args[1]
	}
	return s + w.args[0]
}

// antiSQL writes an anti-join as NOT IN over the non-null keys of the
// related table, so that a NULL key cannot empty the answer.
func (lx *lexicon) antiSQL(q *query, aj antiJoin, d catalog.Dialect, alias map[int]string, multi bool) string {
	outer := quoteIdent(d, aj.outerCols)
	if multi {
		outer = alias[q.subject] + "." + outer
	}
	inner := quoteIdent(d, aj.innerCol)
	conds := []string{inner + " IS NOT NULL"}
	for _, w := range aj.where {
		c := bucketExpr(d, w.col.bucket, quoteIdent(d, lx.cat.Tables[w.col.table].Columns[w.col.col].Name))
		conds = append(conds, condSQL(boolLiteral(w, d), c))
	}
	return outer + " NOT IN (SELECT " + inner + " FROM " + lx.tableRef(aj.table, d, nil) + " WHERE " + strings.Join(conds, " AND ") + ")"
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

// boolLiteral spells a truth test for dialect d: true and false on
// PostgreSQL and DuckDB, 1 and 0 on SQLite and MySQL, which store booleans
// as integers.
func boolLiteral(w cond, d catalog.Dialect) cond {
	if !w.boolean {
		return w
	}
	v := w.args[0] == "true"
	switch d {
	case catalog.Postgres, catalog.DuckDB:
		w.args = []string{map[bool]string{true: "true", false: "false"}[v]}
	default:
		w.args = []string{map[bool]string{true: "1", false: "0"}[v]}
	}
	return w
}

// countOnce turns count(*) of the subject into count(DISTINCT key) when
// the joins repeat its rows: "how many customers have placed orders"
// counts each customer once, not once per order.
func (lx *lexicon) countOnce(q *query, steps []fkStep) {
	if len(q.group) > 0 || q.having != nil || len(q.sel) != 1 || !q.sel[0].star || len(steps) == 0 {
		return
	}
	if t := q.sel[0].col.table; t >= 0 && q.sel[0].col.col == -1 && t != q.subject || !reachesMany(q.subject, steps) {
		return
	}
	tab := &lx.cat.Tables[q.subject]
	if len(tab.PrimaryKey) != 1 {
		return
	}
	for ci, c := range tab.Columns {
		if c.Name == tab.PrimaryKey[0] {
			q.sel[0] = selExpr{agg: "count", col: colRef{table: q.subject, col: ci}, distinct: true}
			return
		}
	}
}
