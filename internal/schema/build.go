package schema

import (
	"strings"
	"unicode"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/sqlguard"
)

func visible(cat *catalog.Catalog, p config.Policy) *catalog.Catalog { return sqlguard.Visible(cat, p) }

// applySnapshot copies row counts and frequent values from an enrichment
// snapshot onto the live catalog, column by column, so a schema change
// since the snapshot costs only the changed columns. It reports whether
// there was a snapshot to apply.
func applySnapshot(cat, snap *catalog.Catalog) bool {
	if snap == nil {
		return false
	}
	for ti := range cat.Tables {
		t := &cat.Tables[ti]
		old, ok := snap.Table(t.QualifiedName())
		if !ok {
			continue
		}
		if old.RowCount >= 0 {
			t.RowCount = old.RowCount
		}
		for ci := range t.Columns {
			if oc, ok := old.Column(t.Columns[ci].Name); ok && len(oc.Samples) > 0 {
				t.Columns[ci].Samples = oc.Samples
			}
		}
	}
	return true
}

// applyDescriptions sets table and column comments from the knowledge
// files ("table" and "table.column" keys), so the prompt, retrieval and
// agents see the business descriptions. They replace the database's own
// comments: the files are written for askdb, and are easier to keep current.
func applyDescriptions(cat *catalog.Catalog, desc map[string]string) {
	lower := make(map[string]string, len(desc))
	for k, v := range desc {
		lower[strings.ToLower(k)] = v
	}
	for ti := range cat.Tables {
		t := &cat.Tables[ti]
		if d := lookupDesc(lower, t.Name, t.QualifiedName()); d != "" {
			t.Comment = d
		}
		for ci := range t.Columns {
			c := &t.Columns[ci]
			if d := lookupDesc(lower, t.Name+"."+c.Name, t.QualifiedName()+"."+c.Name); d != "" {
				c.Comment = d
			}
		}
	}
}

func lookupDesc(desc map[string]string, keys ...string) string {
	for _, k := range keys {
		if d, ok := desc[strings.ToLower(k)]; ok {
			return d
		}
	}
	return ""
}

func clearSamples(cat *catalog.Catalog) {
	for ti := range cat.Tables {
		for ci := range cat.Tables[ti].Columns {
			cat.Tables[ti].Columns[ci].Samples = nil
		}
	}
}

// literals collects one-word text values from the catalog's samples.
// Numbers are left out: they are literals anyway.
func literals(cat *catalog.Catalog) map[string]string {
	out := map[string]string{}
	for _, t := range cat.Tables {
		for _, c := range t.Columns {
			if c.Type != catalog.TypeText {
				continue
			}
			for _, v := range c.Samples {
				if v != "" && !strings.ContainsAny(v, " \t'\"") && !unicode.IsDigit(rune(v[0])) {
					out[strings.ToLower(v)] = v
				}
			}
		}
	}
	return out
}
