package sqlguard

import (
	"fmt"
	"strings"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
)

// RuleRowFilter refuses a query whose row filters could not be applied
// to every reference of a filtered table.
const RuleRowFilter Rule = "row_filter"

// RowFilter restricts the rows of one table for one caller: every
// reference to Table is replaced by a subquery of the table filtered by
// the OR of Where, under the same alias.
type RowFilter struct {
	// Table is "table" or "schema.table", matched case-insensitively.
	Table string
	// Where are SQL conditions in the source's dialect; {{user}} and
	// {{user.<claim>}} are bound from Options.Bind as literals quoted by
	// the dialect's own rules, never spliced as SQL.
	Where []string
}

// boundFilter is a RowFilter with its claims bound, ready to splice.
type boundFilter struct {
	schema, name string // lower case; schema may be empty
	where        string // "(f1) OR (f2)" with literals quoted
	cols         string // the select list of the filtered subquery
}

func (f boundFilter) matches(schema, name string) bool {
	return strings.EqualFold(name, f.name) && (f.schema == "" || schema == "" || strings.EqualFold(schema, f.schema))
}

func findFilter(fs []boundFilter, schema, name string) *boundFilter {
	for i := range fs {
		if fs[i].matches(schema, name) {
			return &fs[i]
		}
	}
	return nil
}

// filterRows applies opts.RowFilters to an accepted verdict: the SQL is
// rewritten so that each reference to a filtered table reads a filtered
// subquery under the same alias, the result goes through the whole guard
// again, and its re-parsed tree must show every reference filtered.
func filterRows(v Verdict, opts Options) Verdict {
	if !v.Accepted || len(opts.RowFilters) == 0 {
		return v
	}
	fs, r := bindFilters(opts)
	if r == nil {
		r = refuseViews(v.Tables, fs, opts.Catalog)
	}
	var rewritten string
	if r == nil {
		rewritten, r = rewriteRows(opts.Dialect, v.SQL, fs)
	}
	if r != nil {
		return rejection(v.SQL, r)
	}
	again := opts
	again.RowFilters = nil
	v2 := check(rewritten, again)
	if !v2.Accepted {
		v2.Message = "with the caller's row filters applied: " + v2.Message
		return v2
	}
	if r := rowDialects[opts.Dialect].verify(v2.SQL, fs); r != nil {
		return rejection(v2.SQL, r)
	}
	v2.Tables, v2.Limited = v.Tables, v.Limited
	for _, f := range fs {
		v2.Filtered = append(v2.Filtered, describe(f.schema, f.name))
	}
	return v2
}

// rowDialect is how one dialect rewrites and verifies row filters.
type rowDialect struct {
	rewrite func(sql string, fs []boundFilter) (string, *refusal)
	verify  func(sql string, fs []boundFilter) *refusal
}

// rowDialects are the dialects row filters work on: those whose parser
// the guard can rewrite and print back faithfully.
var rowDialects = map[catalog.Dialect]rowDialect{
	catalog.SQLite:   {sqliteRewriteRows, sqliteVerifyRows},
	catalog.Postgres: {pgRewriteRows, pgVerifyRows},
	catalog.MySQL:    {mysqlRewriteRows, mysqlVerifyRows},
}

func rewriteRows(d catalog.Dialect, sql string, fs []boundFilter) (string, *refusal) {
	rd, ok := rowDialects[d]
	if !ok {
		return "", refuse(RuleRowFilter, string(d), -1, "row filters are not supported on %s sources; remove the rows rules for this source", d)
	}
	return rd.rewrite(sql, fs)
}

// bindFilters binds each filter's placeholders and picks its select list.
func bindFilters(opts Options) ([]boundFilter, *refusal) {
	pol := compilePolicy(opts.Policy)
	var out []boundFilter
	for _, rf := range opts.RowFilters {
		schema, name, ok := strings.Cut(strings.ToLower(rf.Table), ".")
		if !ok {
			schema, name = "", schema
		}
		var conds []string
		for _, w := range rf.Where {
			bound, r := bindClaims(w, opts)
			if r != nil {
				return nil, r
			}
			conds = append(conds, "("+bound+")")
		}
		if len(conds) == 0 {
			return nil, refuse(RuleRowFilter, rf.Table, -1, "the row filter on %s has no condition", rf.Table)
		}
		cols, r := filterColumns(opts, pol, schema, name)
		if r != nil {
			return nil, r
		}
		out = append(out, boundFilter{schema: schema, name: name, where: strings.Join(conds, " OR "), cols: cols})
	}
	return out, nil
}

// bindClaims replaces {{user…}} placeholders with quoted literals. A claim
// the caller lacks refuses the query: the filter cannot be satisfied, and
// dropping it would show every row.
func bindClaims(where string, opts Options) (string, *refusal) {
	var missing string
	bound := config.ReplacePlaceholders(where, func(claim string) string {
		v, ok := "", false
		if opts.Bind != nil {
			v, ok = opts.Bind(claim)
		}
		if !ok || strings.IndexByte(v, 0) >= 0 {
			missing = cmpOrClaim(claim)
			return "NULL"
		}
		return quoteLiteral(opts.Dialect, v)
	})
	if missing != "" {
		return "", refuse(RuleRowFilter, missing, -1,
			"a row filter needs the caller's %s, which their sign-in does not carry; no rows can be shown", missing)
	}
	return bound, nil
}

func cmpOrClaim(claim string) string {
	if claim == "" {
		return "user name"
	}
	return fmt.Sprintf("claim %q", claim)
}

// quoteLiteral quotes s as a string literal the way the dialect's own
// escaping functions do: SQLite's %Q (double the quote); PostgreSQL's
// PQescapeLiteral (an E” string when there is a backslash, so that
// standard_conforming_strings cannot change its meaning); MySQL's
// mysql_real_escape_string (backslash and quote), which under
// NO_BACKSLASH_ESCAPES reads as a longer string, never as SQL.
func quoteLiteral(d catalog.Dialect, s string) string {
	switch d {
	case catalog.Postgres, catalog.DuckDB:
		q := "'" + strings.ReplaceAll(s, "'", "''") + "'"
		if strings.Contains(s, `\`) {
			q = "E'" + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), "'", "''") + "'"
		}
		return q
	case catalog.MySQL:
		return "'" + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), "'", "''") + "'"
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// quoteIdent quotes an identifier for the dialect.
func quoteIdent(d catalog.Dialect, s string) string {
	if d == catalog.MySQL {
		return "`" + strings.ReplaceAll(s, "`", "``") + "`"
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// filterColumns is "*", or, when the policy hides some of the table's
// columns, the visible ones from the catalog (a star over them would be
// refused, rightly, by the re-check).
func filterColumns(opts Options, pol policy, schema, name string) (string, *refusal) {
	if !pol.hasHiddenColumns(schema, name) {
		return "*", nil
	}
	var t *catalog.Table
	if opts.Catalog != nil {
		if ct, ok := opts.Catalog.Table(describe(schema, name)); ok {
			t = ct
		}
	}
	if t == nil {
		return "", refuse(RuleRowFilter, name, -1, "table %s has hidden columns and a row filter, but its columns are not known; no query can read it", name)
	}
	var cols []string
	for _, c := range t.Columns {
		if !pol.columnHidden(schema, name, c.Name) {
			cols = append(cols, quoteIdent(opts.Dialect, c.Name))
		}
	}
	if len(cols) == 0 {
		return "", refuse(RulePolicyTable, name, -1, "every column of table %s is hidden by policy", name)
	}
	return strings.Join(cols, ", "), nil
}

// refuseViews refuses a view the query reads when row filters are in
// force and the view itself is not filtered: it could read a filtered
// table with no filter.
func refuseViews(tables []string, fs []boundFilter, cat *catalog.Catalog) *refusal {
	if cat == nil {
		return nil
	}
	for _, name := range tables {
		t, ok := cat.Table(name)
		if !ok || t.Kind != catalog.KindView {
			continue
		}
		if findFilter(fs, t.Schema, t.Name) == nil {
			return refuse(RuleRowFilter, name, -1,
				"view %s is not available while row filters apply to this caller (it could read filtered rows); query its tables instead", name)
		}
	}
	return nil
}

// cteShadows refuses a CTE named like a filtered table: its references
// would not be filtered, and refusing is simpler than proving they are.
func cteShadows(fs []boundFilter, name string) *refusal {
	if findFilter(fs, "", name) == nil {
		return nil
	}
	return refuse(RuleRowFilter, name, -1,
		"a CTE may not be named %s, which is a row-filtered table; give the CTE another name", name)
}

// unfiltered is the refusal for a reference the verification found
// outside a filtered subquery.
func unfiltered(schema, name string) *refusal {
	return refuse(RuleRowFilter, describe(schema, name), -1,
		"table %s is row-filtered for this caller, and a reference to it could not be filtered; rewrite the query more simply", describe(schema, name))
}
