package sqlguard

import (
	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
)

// Visible returns the part of cat that p lets queries read: tables the
// policy denies are dropped, and so are hidden columns. Everything shown
// to a model or a user (schema listings, prompts, sample values) comes
// from this view, so a hidden column is never described, let alone
// sampled. cat itself is not changed.
func Visible(cat *catalog.Catalog, p config.Policy) *catalog.Catalog {
	if len(p.Allow) == 0 && len(p.Deny) == 0 {
		return cat
	}
	pol := compilePolicy(p)
	out := *cat
	out.Tables = make([]catalog.Table, 0, len(cat.Tables))
	for _, t := range cat.Tables {
		if pol.tableDenied(t.Schema, t.Name) {
			continue
		}
		cols := make([]catalog.Column, 0, len(t.Columns))
		for _, c := range t.Columns {
			if !pol.columnHidden(t.Schema, t.Name, c.Name) {
				cols = append(cols, c)
			}
		}
		t.Columns = cols
		out.Tables = append(out.Tables, t)
	}
	return &out
}
