package eval

import (
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
	v, cols := sqlguard.CheckColumns(sql, sqlguard.Options{Dialect: d})
	var g Gold
	if !v.Accepted {
		return g
	}
	seen := map[string]bool{}
	for _, name := range v.Tables {
		t, ok := cat.Table(name)
		if !ok {
			continue
		}
		g.Tables = append(g.Tables, t.Name)
		for _, ref := range cols {
			col, ok := strings.CutPrefix(ref, name+".")
			if !ok {
				continue
			}
			if c, ok := t.Column(col); ok && !seen[strings.ToLower(t.Name+"."+c.Name)] {
				seen[strings.ToLower(t.Name+"."+c.Name)] = true
				g.Columns = append(g.Columns, t.Name+"."+c.Name)
			}
		}
	}
	return g
}
