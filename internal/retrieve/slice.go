package retrieve

import (
	"strings"

	"github.com/askdb/askdb/internal/catalog"
)

// Slice returns a catalog holding only the linked tables, in link order,
// each pruned to the linked columns; primary and foreign key columns are
// always among them, so every join between chosen tables can be written.
// Tables keep their comments, keys and row counts. The result shares no
// slices with the index's catalog.
func (ix *Index) Slice(l Link) *catalog.Catalog {
	keep := map[string]map[string]bool{}
	for _, c := range l.Columns {
		k := strings.ToLower(c.Table)
		if keep[k] == nil {
			keep[k] = map[string]bool{}
		}
		keep[k][strings.ToLower(c.Column)] = true
	}
	out := &catalog.Catalog{Source: ix.cat.Source, Dialect: ix.cat.Dialect, Version: ix.cat.Version}
	for _, name := range l.TableNames() {
		ti, ok := ix.byName[strings.ToLower(name)]
		if !ok {
			continue
		}
		t := &ix.cat.Tables[ti]
		pruned := *t
		pruned.Columns = nil
		for _, c := range t.Columns {
			if keep[strings.ToLower(name)][strings.ToLower(c.Name)] {
				pruned.Columns = append(pruned.Columns, c)
			}
		}
		pruned.PrimaryKey = append([]string(nil), t.PrimaryKey...)
		pruned.ForeignKeys = append([]catalog.ForeignKey(nil), t.ForeignKeys...)
		out.Tables = append(out.Tables, pruned)
	}
	return out
}

// SliceDDL renders Slice(l) as DDL for a prompt: the smallest schema text
// that still holds every linked column.
func (ix *Index) SliceDDL(l Link) string {
	return ix.Slice(l).DDL(catalog.DDLOptions{})
}
