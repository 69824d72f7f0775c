package sqlguard

import (
	"strings"

	"github.com/askdb/askdb/internal/catalog"
)

// Attribute notation. PostgreSQL (and DuckDB, which forked its grammar)
// reads a dotted name or a field selection as a function call when no
// column of that name exists: "e.f" is f(e) on the whole row of e,
// "c.f" on a column c is f(c), and "(expr).f" is f(expr) for any
// expression (PostgreSQL's ParseFuncOrColumn with is_column). None of these
// is a FuncCall node in the parse tree, so the function allowlist alone
// never sees them: "(0.5).pg_sleep", "(1234).pg_terminate_backend",
// "e.row_to_json". Every such form is resolved here, after the walk has
// collected the query's FROM entries, and before the allowlist and policy
// run:
//
//   - (expr).name, a field selection on any value, is refused: it is a call
//     unless expr is of a composite type with that field, which the parse
//     tree cannot show.
//   - q.name, where q names a FROM entry (a table, alias, CTE, subquery or
//     table function), is a column when the catalog (Options.Catalog) says
//     every table q may refer to has that column; otherwise it is refused.
//     Without the catalog, or when q is a CTE or subquery, it is a column
//     unless name is one of the functions the dialect can call on a whole
//     row (rowCallable): those are refused, except a few that are also
//     everyday column names (columnLike: "name", "rank", ...), which are
//     accepted as q.* so that a policy hiding a column of q refuses them.
//   - s.t.name and c.s.t.name are columns of FROM entries "s.t" and "c.s.t",
//     resolved as above; any other dotted name of three or more parts, or
//     of two parts whose first part is no FROM entry, holds a field
//     selection on a column (t.col.f, col.f) and is refused like (expr).f.
//
// MySQL and SQLite have no such syntax: a dotted name there is only ever
// schema.table.column, and a call always has parentheses.

// attrRef is a dotted column reference of two or more names, resolved after
// the walk.
type attrRef struct {
	names  []string // lower-case
	offset int
}

// rowCallable lists, per dialect, the functions whose one argument may be a
// whole row (record, anyelement, "any" and the like in PostgreSQL 15 with
// every contrib extension installed; ANY, STRUCT and T in DuckDB), and the
// string types a row can be cast to by name (name(e) is e::name). These are
// the names "q.name" can call on a whole row. Generated on PostgreSQL 15
// with every contrib extension created, from pg_proc (pronargs >= 1,
// pronargs - pronargdefaults <= 1, first or variadic argument of type
// record, anyelement, "any", anycompatible or anynonarray) and pg_type
// (typcategory 'S'); and on DuckDB 1.x from duckdb_functions() (one
// parameter, or varargs, of type ANY, STRUCT, T or ANY[]).
var rowCallable = map[catalog.Dialect]map[string]bool{
	catalog.Postgres: words(pgRowCallable),
	catalog.DuckDB:   words(pgRowCallable, duckdbRowCallable),
}

const pgRowCallable = `any_out anycompatible_out anyelement_out anynonarray_out any_value array_agg
concat count cume_dist dense_rank first_value hash_record hstore json_agg json_build_array
json_build_object jsonb_agg jsonb_build_array jsonb_build_object lag last_value lead mode
num_nonnulls num_nulls percent_rank pg_collation_for pg_column_compression pg_column_size pg_typeof
quote_literal quote_nullable rank record_out record_send row_to_json to_json to_jsonb
bpchar char character_data citext name sql_identifier text varchar yes_or_no`

const duckdbRowCallable = `add alias any_value approx_count_distinct arbitrary array_agg array_cat
array_concat array_grade_up array_length array_reverse_sort array_sort array_to_json array_unique
array_value array_zip cardinality char_length character_length concat count create_sort_key entropy
enum_code enum_first enum_last enum_range first grade_up greatest group_concat hash histogram
is_histogram_other_bin json_array json_object json_quote last least len length list list_cat
list_concat list_grade_up list_pack list_reverse_sort list_sort list_unique list_value list_zip
listagg map_concat max median min mode quantile quantile_disc row row_to_json stats string_agg
struct_concat struct_insert struct_pack struct_update to_json typeof union_value unpivot_list
vector_type varchar text`

// columnLike are row-callable names that are also everyday column names
// ("T1.name" is in 1,248 of the Spider and BIRD gold queries, "T1.rank" in
// 16, "T1.text" in 10). Without a catalog they stay columns, read as q.*.
var columnLike = words(`name text rank count length len first last mode max min median hash list`)

// attributes resolves the walk's dotted references (see above).
func (w *pgWalker) attributes() *refusal {
	for _, a := range w.f.attrs {
		if r := w.attribute(a); r != nil {
			return r
		}
	}
	return nil
}

func (w *pgWalker) attribute(a attrRef) *refusal {
	n := a.names
	last := n[len(n)-1]
	switch {
	case len(n) == 2 && w.f.isRange(n[0]):
		return w.rowAttribute(w.f.tablesOf("", n[0]), n[0], last, a.offset)
	case len(n) == 3 && len(w.f.tablesOf(n[0], n[1])) > 0:
		return w.rowAttribute(w.f.tablesOf(n[0], n[1]), n[1], last, a.offset)
	case len(n) == 4 && len(w.f.tablesOf(n[0]+"."+n[1], n[2])) > 0:
		return w.rowAttribute(w.f.tablesOf(n[0]+"."+n[1], n[2]), n[2], last, a.offset)
	}
	return fieldSelection(strings.Join(n, "."), last, a.offset)
}

// fieldSelection refuses a field selection, which PostgreSQL may run as a
// call of the function named by the field.
func fieldSelection(expr, field string, offset int) *refusal {
	return refuse(RuleFunction, field, offset,
		"%s selects %q from a value, which PostgreSQL runs as the function call %s(...) unless the value is a composite with that field; askdb cannot tell which, so it refuses it: call the function directly or select the column by its table", expr, field, field)
}

// rowAttribute resolves q.name where q names a FROM entry; tables are the
// stored tables q may refer to (none for a CTE, subquery or function).
func (w *pgWalker) rowAttribute(tables []tableRef, q, name string, offset int) *refusal {
	if cols, ok := w.catalogColumns(tables); ok {
		for i, has := range cols {
			if t := tables[i]; !has[name] && w.g.pol.columnHidden(t.schema, t.name, name) {
				// A catalog from sqlguard.Visible no longer lists it.
				obj := t.name + "." + name
				return refuse(RulePolicyColumn, obj, offset, "column %s is hidden by this source's policy; remove it from the query", obj)
			}
			if !has[name] {
				return refuse(RuleFunction, q+"."+name, offset,
					"%s is not a column of %s, so PostgreSQL would run it as the function call %s(%s) on the whole row; name a column of %s", q+"."+name, q, name, q, q)
			}
		}
		return nil
	}
	if !rowCallable[w.g.opts.Dialect][name] {
		return nil
	}
	if !columnLike[name] {
		return refuse(RuleFunction, q+"."+name, offset,
			"%s is attribute notation for the function call %s(%s) on the whole row, which is not allowed; name a column of %s", q+"."+name, name, q, q)
	}
	// A column, or a call that passes the whole row: hidden columns of q
	// make it unusable, as q.* is.
	w.f.stars = append(w.f.stars, starRef{qualifier: q, offset: offset})
	return nil
}

// catalogColumns returns, per stored table, its column names from the
// catalog, and false when there is no catalog, no stored table, or a table
// the catalog does not hold.
func (w *pgWalker) catalogColumns(tables []tableRef) ([]map[string]bool, bool) {
	cat := w.g.opts.Catalog
	if cat == nil || len(tables) == 0 {
		return nil, false
	}
	out := make([]map[string]bool, 0, len(tables))
	for _, t := range tables {
		ct, ok := cat.Table(describe(t.schema, t.name))
		if !ok || len(ct.Columns) == 0 {
			return nil, false
		}
		cols := make(map[string]bool, len(ct.Columns))
		for _, c := range ct.Columns {
			cols[strings.ToLower(c.Name)] = true
		}
		out = append(out, cols)
	}
	return out, true
}

// addRange records the name a FROM entry is known by in the query.
func (f *facts) addRange(name string) {
	if name != "" {
		f.ranges = append(f.ranges, strings.ToLower(name))
	}
}

func (f *facts) isRange(name string) bool {
	for _, r := range f.ranges {
		if r == name {
			return true
		}
	}
	return false
}

// tablesOf returns the stored table references that the qualifier
// schema.name (schema may be empty) refers to. A qualifier that also names
// a CTE, subquery or function yields nothing: it may be a derived row.
func (f *facts) tablesOf(schema, name string) []tableRef {
	var out []tableRef
	derived := false
	for _, t := range f.tables {
		switch {
		case schema == "" && t.refersTo(name):
		case schema != "" && t.alias == "" && strings.EqualFold(t.schema, schema) && strings.EqualFold(t.name, name):
		default:
			continue
		}
		if t.cte {
			derived = true
		}
		out = append(out, t)
	}
	if derived || schema == "" && f.countRanges(name) > len(out) {
		return nil
	}
	return out
}

func (f *facts) countRanges(name string) int {
	n := 0
	for _, r := range f.ranges {
		if r == name {
			n++
		}
	}
	return n
}
