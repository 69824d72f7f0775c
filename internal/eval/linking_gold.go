package eval

import (
	"sort"
	"strings"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/sqlguard"
)

// Gold is the schema a gold query uses: table names and "table.column"
// names, as spelled in the catalog.
type Gold struct {
	Tables  []string
	Columns []string
}

// goldLinks reads the tables and columns of sql with the guard's own
// parser for the catalog's dialect and keeps those of cat: the tables the
// query reads, its qualified columns under the table their alias names,
// and its bare columns under each table read that has them. A query the
// guard refuses has no gold.
func goldLinks(cat *catalog.Catalog, sql string) Gold {
	d := cat.Dialect
	if d == "" {
		d = catalog.SQLite
	}
	refs, err := sqlguard.References(sql, d)
	var g Gold
	if err != nil {
		return g
	}
	seen := map[string]bool{}
	add := func(list *[]string, name string) {
		if !seen[strings.ToLower(name)] {
			seen[strings.ToLower(name)] = true
			*list = append(*list, name)
		}
	}
	for _, tr := range refs.Tables {
		name := tr.Name
		if tr.Schema != "" {
			name = tr.Schema + "." + tr.Name
		}
		t, ok := cat.Table(name)
		if !ok {
			continue
		}
		add(&g.Tables, t.Name)
		for _, c := range refs.Columns {
			if c.Qualifier != "" && !refersTo(tr, c.Qualifier) {
				continue
			}
			if col, ok := t.Column(c.Name); ok {
				add(&g.Columns, t.Name+"."+col.Name)
			}
		}
	}
	sort.Strings(g.Tables)
	sort.Strings(g.Columns)
	return g
}

// refersTo reports whether qualifier names t: its alias, or its own name
// when it has none.
func refersTo(t sqlguard.TableRef, qualifier string) bool {
	return strings.EqualFold(t.Alias, qualifier) || t.Alias == "" && strings.EqualFold(t.Name, qualifier)
}
