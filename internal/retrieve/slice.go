package retrieve

import (
	"strings"

	"github.com/askdb/askdb/internal/catalog"
)

// Slice returns a catalog holding only the linked tables, in link order,
// each pruned to the linked columns, with the foreign keys that join two
// linked tables whose columns are shown; primary keys and the columns of
// those foreign keys are among the linked columns, so every join between
// chosen tables can be written. Tables keep their row counts but not their
// comments; key columns the question does not name or quote lose theirs.
// The result shares no slices with the index's catalog.
func (ix *Index) Slice(l Link) *catalog.Catalog {
	keep := map[string]map[string]bool{}
	bare := map[string]map[string]bool{}
	for _, c := range l.Columns {
		k := strings.ToLower(c.Table)
		if keep[k] == nil {
			keep[k], bare[k] = map[string]bool{}, map[string]bool{}
		}
		keep[k][strings.ToLower(c.Column)] = true
		if col, ok := ix.column(c.Table, c.Column); ok && ix.bareColumn(col, c.Reason) {
			bare[k][strings.ToLower(c.Column)] = true
		}
	}
	names := map[string]bool{}
	for _, name := range l.TableNames() {
		if ti, ok := ix.byName[strings.ToLower(name)]; ok {
			ix.addNames(names, ti)
		}
	}
	out := &catalog.Catalog{Source: ix.cat.Source, Dialect: ix.cat.Dialect, Version: ix.cat.Version}
	for _, name := range l.TableNames() {
		ti, ok := ix.byName[strings.ToLower(name)]
		if !ok {
			continue
		}
		out.Tables = append(out.Tables, pruneTable(&ix.cat.Tables[ti], keep[strings.ToLower(name)], names, bare[strings.ToLower(name)]))
	}
	return out
}

// column finds a column by table and column name.
func (ix *Index) column(table, column string) (int32, bool) {
	ti, ok := ix.byName[strings.ToLower(table)]
	if !ok {
		return 0, false
	}
	for _, c := range ix.tables[ti].cols {
		if strings.EqualFold(ix.cols[c].name, column) {
			return c, true
		}
	}
	return 0, false
}

// SliceDDL renders Slice(l) as DDL for a prompt: the smallest schema text
// that still holds every linked column.
func (ix *Index) SliceDDL(l Link) string {
	return ix.Slice(l).DDL(catalog.DDLOptions{})
}
