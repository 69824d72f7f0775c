package sqlguard

import (
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

// matchColumn reports whether entry e names column col of schema.table.
func matchColumn(e []string, schema, table, col string) bool {
	switch len(e) {
	case 2:
		return e[0] == strings.ToLower(table) && eq(e[1], col)
	case 3:
		return (schema == "" || e[0] == strings.ToLower(schema)) && e[1] == strings.ToLower(table) && eq(e[2], col)
	}
	return false
}

// columnEntryFor reports whether e is a column-level entry for the table.
func columnEntryFor(e []string, schema, table string) bool {
	switch len(e) {
	case 2:
		return e[0] == strings.ToLower(table) && e[1] != "*"
	case 3:
		return (schema == "" || e[0] == strings.ToLower(schema)) && e[1] == strings.ToLower(table)
	}
	return false
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
	for _, e := range p.deny {
		if matchColumn(e, schema, table, col) {
			return true
		}
	}
	restricted := false
	for _, e := range p.allow {
		if columnEntryFor(e, schema, table) {
			restricted = true
			if matchColumn(e, schema, table, col) {
				return false
			}
		}
	}
	return restricted
}

func (p *policy) hasHiddenColumns(schema, table string) bool {
	for _, e := range append(append([][]string{}, p.deny...), p.allow...) {
		if columnEntryFor(e, schema, table) {
			return true
		}
	}
	return false
}

// systemCatalog reports whether schema.name is a catalog or information schema.
func systemCatalog(d catalog.Dialect, schema, name string) bool {
	s, n := strings.ToLower(schema), strings.ToLower(name)
	switch d {
	case catalog.Postgres, catalog.DuckDB:
		return s == "pg_catalog" || s == "information_schema" || s == "pg_toast" ||
			strings.HasPrefix(n, "pg_") || n == "information_schema" ||
			strings.HasPrefix(n, "duckdb_") || strings.HasPrefix(n, "sqlite_")
	case catalog.MySQL:
		return s == "mysql" || s == "information_schema" || s == "performance_schema" || s == "sys"
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
		if !g.pol.allowSys && systemCatalog(g.opts.Dialect, t.schema, t.name) {
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
	for _, c := range f.columns {
		for _, t := range f.resolve(c.qualifier) {
			if g.pol.columnHidden(t.schema, t.name, c.name) {
				obj := t.name + "." + strings.ToLower(c.name)
				return refuse(RulePolicyColumn, obj, c.offset,
					"column %s is hidden by this source's policy; remove it from the query", obj)
			}
		}
	}
	stars := f.stars
	for _, c := range f.columns {
		// A bare table name or alias used as a value is a whole-row reference
		// in PostgreSQL (row_to_json(e), (e).salary): treat it as e.*.
		if c.qualifier == "" {
			for _, t := range f.tables {
				if strings.EqualFold(t.alias, c.name) || t.alias == "" && strings.EqualFold(t.name, c.name) {
					stars = append(stars, starRef{qualifier: c.name, offset: c.offset})
					break
				}
			}
		}
	}
	for _, s := range stars {
		for _, t := range f.resolve(s.qualifier) {
			if g.pol.hasHiddenColumns(t.schema, t.name) && s.aliasList {
				return refuse(RuleStarOverHidden, describe(t.schema, t.name), s.offset,
					"a column alias list over table %s is not allowed because some of its columns are hidden by policy; drop the alias column list and name the columns you need%s",
					describe(t.schema, t.name), g.visibleColumns(t))
			}
			if g.pol.hasHiddenColumns(t.schema, t.name) {
				return refuse(RuleStarOverHidden, describe(t.schema, t.name), s.offset,
					"SELECT * over table %s is not allowed because some of its columns are hidden by policy; list the columns you need%s",
					describe(t.schema, t.name), g.visibleColumns(t))
			}
		}
	}
	return nil
}

// resolve returns the tables a qualifier may refer to; an empty or unknown
// qualifier (a CTE or derived table) conservatively means every table.
func (f *facts) resolve(q string) []tableRef {
	if q != "" {
		var out []tableRef
		for _, t := range f.tables {
			if strings.EqualFold(t.alias, q) || t.alias == "" && strings.EqualFold(t.name, q) {
				out = append(out, t)
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	return f.tables
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
