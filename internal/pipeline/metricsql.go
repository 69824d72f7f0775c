package pipeline

import (
	"fmt"
	"slices"
	"strings"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/knowledge"
)

// metricSQL is the metric's SQL broken down as a asks, in dialect d:
// grouped by the grain and the dimension, filtered to the period and the
// values, ranked when asked, with the metric's required filters always applied.
func metricSQL(m knowledge.Metric, a metricAsk, d catalog.Dialect) string {
	var b strings.Builder
	cols, groups, order := metricGroups(m, a, d)
	b.WriteString("SELECT " + strings.Join(cols, ", ") + " FROM " + m.FromClause())
	conds, joins := metricConditions(m, a)
	for _, j := range joins {
		b.WriteString(" " + j)
	}
	if len(conds) > 0 {
		b.WriteString(" WHERE " + strings.Join(conds, " AND "))
	}
	if len(groups) > 0 {
		b.WriteString(" GROUP BY " + strings.Join(groups, ", ") + " ORDER BY " + strings.Join(order, ", "))
	}
	if a.rank != "" {
		fmt.Fprintf(&b, " LIMIT %d", a.limit)
	}
	return b.String()
}

// metricGroups are the select list, the GROUP BY and the ORDER BY: the
// grain in time order, a dimension by the metric (largest first), a
// ranking by the metric in the asked direction.
func metricGroups(m knowledge.Metric, a metricAsk, d catalog.Dialect) (cols, groups, order []string) {
	value := m.Alias()
	if a.rank != "" {
		order = append(order, value+" "+a.rank)
	}
	if a.grain != "" {
		e, alias := grainExpr(d, a.grain, m.TimeColumn), catalog.QuoteIdent(d, a.grain)
		cols, groups, order = append(cols, e+" AS "+alias), append(groups, e), append(order, alias)
	}
	if a.dim != nil {
		alias := catalog.QuoteIdent(d, a.dim.alias)
		cols, groups = append(cols, a.dim.expr+" AS "+alias), append(groups, a.dim.expr)
		if a.dim.key != "" {
			groups = append(groups, a.dim.key)
		}
		if a.rank == "" {
			order = append(order, value+" DESC")
		}
		order = append(order, alias)
	}
	return append(cols, m.SQL+" AS "+value), groups, order
}

// metricConditions are the metric's required filters, the values and the
// period, and the joins the values and the dimension need.
func metricConditions(m knowledge.Metric, a metricAsk) (conds, joins []string) {
	for _, f := range m.Filters {
		conds = append(conds, "("+f+")")
	}
	if a.dim != nil && a.dim.join != "" {
		joins = append(joins, a.dim.join)
	}
	for _, f := range a.filters {
		conds = append(conds, f.cond)
		if f.join != "" && !slices.Contains(joins, f.join) {
			joins = append(joins, f.join)
		}
	}
	if a.from != "" {
		conds = append(conds, fmt.Sprintf("%s >= '%s' AND %s < '%s'", m.TimeColumn, a.from, m.TimeColumn, a.to))
	}
	return conds, joins
}

// grainExpr labels a date with its day ("2024-03-07"), month ("2024-03")
// or year ("2024") in the dialect's own date formatting.
func grainExpr(d catalog.Dialect, grain, col string) string {
	// strftime and DATE_FORMAT patterns, then to_char's.
	format := map[string][2]string{"day": {"%Y-%m-%d", "YYYY-MM-DD"}, "month": {"%Y-%m", "YYYY-MM"}, "year": {"%Y", "YYYY"}}[grain]
	switch d {
	case catalog.Postgres:
		return "to_char(" + col + ", '" + format[1] + "')"
	case catalog.MySQL:
		return "DATE_FORMAT(" + col + ", '" + format[0] + "')"
	case catalog.DuckDB:
		return "strftime(" + col + ", '" + format[0] + "')"
	}
	return "strftime('" + format[0] + "', " + col + ")"
}
