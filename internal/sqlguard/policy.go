package sqlguard

import (
	"iter"
	"slices"
	"strings"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
)

// policy is config.Policy split into lower-cased name parts. An entry is
// "table", "schema.table", "table.column" or "schema.table.column", and "*"
// may be the last part. Two-part entries are ambiguous; deny entries are read
// both ways (conservative), allow entries as schema.table or table.column.
type policy struct {
	allow, deny [][]string
	allowSys    bool
	// schemasOf lists the schemas the catalog holds a table of this name
	// in; nil without a catalog.
	schemasOf func(name string) []string
}

// withCatalog lets the policy resolve unqualified table names.
func (p policy) withCatalog(cat *catalog.Catalog) policy {
	if cat == nil {
		return p
	}
	p.schemasOf = func(name string) []string {
		var out []string
		for _, t := range cat.Tables {
			if strings.EqualFold(t.Name, name) {
				out = append(out, t.Schema)
			}
		}
		return out
	}
	return p
}

func compilePolicy(p config.Policy) policy {
	split := func(in []string) [][]string {
		var out [][]string
		for _, e := range in {
			e = strings.TrimSpace(strings.ToLower(e))
			if e == "" {
				continue
			}
			parts := strings.Split(e, ".")
			for i := range parts {
				parts[i] = strings.Trim(parts[i], "`\"[] ")
			}
			out = append(out, parts)
		}
		return out
	}
	return policy{allow: split(p.Allow), deny: split(p.Deny), allowSys: p.AllowSystemCatalogs}
}

func eq(pattern, name string) bool { return pattern == "*" || pattern == strings.ToLower(name) }

// matchTable reports whether entry e names the whole table schema.name.
// For an unqualified name, schemas lists the schemas the catalog holds a
// table of that name in (known is false without a catalog). A specific
// schema.table entry matches an unqualified name unless the catalog puts the
// name only in other schemas (conservative, for deny); a schema.* entry
// matches it only when the catalog puts it in that schema.
func matchTable(e []string, schema, name string, schemas []string, known bool) bool {
	switch len(e) {
	case 1:
		return eq(e[0], name)
	case 2:
		if schema != "" {
			return e[0] == strings.ToLower(schema) && eq(e[1], name)
		}
		if e[1] == "*" {
			// "t.*" hides all of table t; "s.*" is schema s.
			return e[0] == strings.ToLower(name) || known && containsFold(schemas, e[0])
		}
		return e[1] == strings.ToLower(name) && !(known && len(schemas) > 0 && !containsFold(schemas, e[0]))
	}
	return false
}

// allowsUnqualified reports whether an allow entry schema.table (or
// schema.*) admits the unqualified name: only when the catalog resolves the
// name unambiguously into that schema.
func allowsUnqualified(e []string, name string, schemas []string, known bool) bool {
	return len(e) == 2 && eq(e[1], name) && known && len(schemas) == 1 && strings.EqualFold(schemas[0], e[0])
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// columnTable reports whether e, read as "table.column" or
// "schema.table.column", names a column of schema.table; its last part
// names the column.
func columnTable(e []string, schema, table string) bool {
	switch len(e) {
	case 2:
		return e[0] == strings.ToLower(table)
	case 3:
		return (schema == "" || e[0] == strings.ToLower(schema)) && e[1] == strings.ToLower(table)
	}
	return false
}

// columnEntryFor reports whether e is a column-level entry for the table
// ("t.*" is the whole table, not a column entry).
func columnEntryFor(e []string, schema, table string) bool {
	return columnTable(e, schema, table) && !(len(e) == 2 && e[1] == "*")
}

func (p *policy) tableDenied(schema, name string) bool {
	return p.tableRule(schema, name) != tableAllowed
}

// tableVerdict is the policy's answer for one table.
type tableVerdict int

const (
	tableAllowed tableVerdict = iota
	tableDenied
	// tableNeedsSchema: an allow entry would admit the table if its schema
	// were known; the query must qualify the name.
	tableNeedsSchema
)

func (p *policy) tableRule(schema, name string) tableVerdict {
	var schemas []string
	known := p.schemasOf != nil
	if schema == "" && known {
		schemas = p.schemasOf(name)
	}
	for _, e := range p.deny {
		if matchTable(e, schema, name, schemas, known) {
			return tableDenied
		}
	}
	if len(p.allow) == 0 {
		return tableAllowed
	}
	needsSchema := false
	for _, e := range p.allow {
		if columnEntryFor(e, schema, name) {
			return tableAllowed
		}
		if schema != "" || len(e) == 1 {
			if matchTable(e, schema, name, nil, false) {
				return tableAllowed
			}
			continue
		}
		if allowsUnqualified(e, name, schemas, known) {
			return tableAllowed
		}
		if len(e) == 2 && eq(e[1], name) && (e[1] != "*" || !known) {
			needsSchema = true
		}
	}
	if needsSchema {
		return tableNeedsSchema
	}
	return tableDenied
}

func (p *policy) columnHidden(schema, table, col string) bool {
	return p.columnsOf(schema, table).hidden(col)
}

// tableColumns holds the policy entries about the columns of one table:
// deny entries that name some of them, and allow column entries.
type tableColumns struct{ deny, allow [][]string }

// columnsOf picks the entries about the columns of schema.table, so that
// checking each of its columns needs no more name matching.
func (p *policy) columnsOf(schema, table string) tableColumns {
	var tc tableColumns
	for _, e := range p.deny {
		if columnTable(e, schema, table) {
			tc.deny = append(tc.deny, e)
		}
	}
	for _, e := range p.allow {
		if columnEntryFor(e, schema, table) {
			tc.allow = append(tc.allow, e)
		}
	}
	return tc
}

// hidden reports whether col is denied, or not among the allowed columns
// of a table that has allow column entries.
func (tc tableColumns) hidden(col string) bool {
	for _, e := range tc.deny {
		if eq(e[len(e)-1], col) {
			return true
		}
	}
	for _, e := range tc.allow {
		if eq(e[len(e)-1], col) {
			return false
		}
	}
	return len(tc.allow) > 0
}

func (p *policy) hasHiddenColumns(schema, table string) bool {
	entryFor := func(e []string) bool { return columnEntryFor(e, schema, table) }
	return slices.ContainsFunc(p.deny, entryFor) || slices.ContainsFunc(p.allow, entryFor)
}

// systemCatalog reports whether schema.name is a catalog or information schema.
func systemCatalog(d catalog.Dialect, schema, name string) bool {
	s, n := strings.ToLower(schema), strings.ToLower(name)
	switch d {
	case catalog.Postgres, catalog.DuckDB:
		return s == "pg_catalog" || s == "information_schema" || s == "pg_toast" ||
			strings.HasPrefix(n, "pg_") || n == "information_schema" ||
			strings.HasPrefix(n, "duckdb_") || strings.HasPrefix(n, "sqlite_") ||
			d == catalog.DuckDB && (strings.HasPrefix(n, "pragma_") || s == "system" || strings.HasPrefix(s, "system."))
	case catalog.MySQL:
		return s == "mysql" || s == "information_schema" || s == "performance_schema" || s == "sys"
	case catalog.Trino:
		// Names with "$" are connector metadata tables (orders$partitions,
		// orders$snapshots); the system catalog is refused in trino_walk.go.
		return s == "information_schema" || s == "system" || strings.Contains(n, "$") || strings.Contains(s, "$")
	case catalog.SQLite:
		return strings.HasPrefix(n, "sqlite_") || strings.HasPrefix(n, "pragma_") || n == "dbstat" ||
			s == "information_schema"
	}
	return false
}

func describe(schema, name string) string {
	if schema == "" {
		return name
	}
	return schema + "." + name
}

// evaluate applies the catalog and policy rules to the collected facts.
func (g *guard) evaluate(f *facts) *refusal {
	for _, t := range f.tables {
		if t.cte {
			continue
		}
		if !g.pol.allowSys && (systemCatalog(g.opts.Dialect, t.schema, t.name) || isRedshift(g.opts) && redshiftSystem(t.schema, t.name)) {
			return refuse(RuleSystemCatalog, describe(t.schema, t.name), t.offset,
				"table %s is a system catalog and may not be queried; query the application's own tables instead", describe(t.schema, t.name))
		}
		if g.opts.Dialect == catalog.DuckDB && strings.ContainsAny(t.schema+t.name, "/\\:.*?~") {
			// DuckDB reads a file or URL for a table name that looks like a path
			// (a "replacement scan"), so such names are file access.
			return refuse(RuleFileAccess, describe(t.schema, t.name), t.offset,
				"table name %q looks like a file path or URL, which DuckDB would read from disk or network; query a table instead", t.name)
		}
		if g.foreign(t.schema, t.name) && !g.pol.allowSys {
			return refuse(RuleForeignTable, describe(t.schema, t.name), t.offset,
				"table %s is a foreign table: reading it reaches another server, a file or a program; query a local table instead", describe(t.schema, t.name))
		}
		switch g.pol.tableRule(t.schema, t.name) {
		case tableDenied:
			return refuse(RulePolicyTable, describe(t.schema, t.name), t.offset,
				"table %s is not available under this source's policy; answer without it", describe(t.schema, t.name))
		case tableNeedsSchema:
			return refuse(RulePolicyTable, t.name, t.offset,
				"table %s is not qualified with a schema, and this source's policy allows tables by schema; write it as schema.%s", t.name, t.name)
		}
	}
	return g.checkColumns(f)
}

// checkColumns refuses a hidden column, then a star or whole-row reference
// over a table with hidden columns. Only the tables the policy has column
// entries for are resolved against each column.
func (g *guard) checkColumns(f *facts) *refusal {
	cols := make([]tableColumns, len(f.tables))
	starHidden := make([]bool, len(f.tables))
	var hiding []int
	anyStarHidden := false
	for i, t := range f.tables {
		if cols[i] = g.pol.columnsOf(t.schema, t.name); len(cols[i].deny)+len(cols[i].allow) > 0 {
			hiding = append(hiding, i)
		}
		starHidden[i] = g.pol.hasHiddenColumns(t.schema, t.name)
		anyStarHidden = anyStarHidden || starHidden[i]
	}
	for _, c := range f.columns {
		for _, i := range hiding {
			t := f.tables[i]
			if cols[i].hidden(c.name) && (t.refersTo(c.qualifier) || !f.knownQualifier(c.qualifier)) {
				obj := t.name + "." + strings.ToLower(c.name)
				return refuse(RulePolicyColumn, obj, c.offset,
					"column %s is hidden by this source's policy; remove it from the query", obj)
			}
		}
	}
	if !anyStarHidden {
		return nil
	}
	stars := f.stars
	for _, c := range f.columns {
		// A bare table name or alias used as a value is a whole-row reference
		// in PostgreSQL (row_to_json(e), (e).salary): treat it as e.*.
		if c.qualifier == "" {
			for _, t := range f.tables {
				if t.refersTo(c.name) {
					stars = append(stars, starRef{qualifier: c.name, offset: c.offset})
					break
				}
			}
		}
	}
	for _, s := range stars {
		for i := range f.resolve(s.qualifier) {
			if !starHidden[i] {
				continue
			}
			t := f.tables[i]
			if s.aliasList {
				return refuse(RuleStarOverHidden, describe(t.schema, t.name), s.offset,
					"a column alias list over table %s is not allowed because some of its columns are hidden by policy; drop the alias column list and name the columns you need%s",
					describe(t.schema, t.name), g.visibleColumns(t))
			}
			return refuse(RuleStarOverHidden, describe(t.schema, t.name), s.offset,
				"SELECT * over table %s is not allowed because some of its columns are hidden by policy; list the columns you need%s",
				describe(t.schema, t.name), g.visibleColumns(t))
		}
	}
	return nil
}

// resolve yields the indexes in f.tables of the tables a qualifier may
// refer to; an empty or unknown qualifier (a CTE or derived table)
// conservatively means every table.
func (f *facts) resolve(q string) iter.Seq[int] {
	return func(yield func(int) bool) {
		known := f.knownQualifier(q)
		for i, t := range f.tables {
			if (!known || t.refersTo(q)) && !yield(i) {
				return
			}
		}
	}
}

// knownQualifier reports whether q names one of the table references.
func (f *facts) knownQualifier(q string) bool {
	return q != "" && slices.ContainsFunc(f.tables, func(t tableRef) bool { return t.refersTo(q) })
}

// refersTo reports whether the qualifier q names this table reference.
func (t tableRef) refersTo(q string) bool {
	return strings.EqualFold(t.alias, q) || t.alias == "" && strings.EqualFold(t.name, q)
}

func (g *guard) visibleColumns(t tableRef) string {
	if g.opts.Catalog == nil {
		return ""
	}
	ct, ok := g.opts.Catalog.Table(describe(t.schema, t.name))
	if !ok {
		return ""
	}
	var cols []string
	for _, c := range ct.Columns {
		if !g.pol.columnHidden(t.schema, t.name, c.Name) {
			cols = append(cols, c.Name)
		}
	}
	if len(cols) == 0 {
		return ""
	}
	return " (visible columns: " + strings.Join(cols, ", ") + ")"
}

// foreign reports whether the catalog, when the caller passed one, says
// the table is a foreign table. An unqualified name counts when any table
// of that name is foreign: refusing is the safe side.
func (g *guard) foreign(schema, name string) bool {
	if g.opts.Catalog == nil {
		return false
	}
	for i := range g.opts.Catalog.Tables {
		t := &g.opts.Catalog.Tables[i]
		if t.Kind == catalog.KindForeign && strings.EqualFold(t.Name, name) && (schema == "" || strings.EqualFold(t.Schema, schema)) {
			return true
		}
	}
	return false
}
