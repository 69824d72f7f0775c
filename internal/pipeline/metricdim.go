package pipeline

import (
	"slices"
	"strings"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/knowledge"
)

// joined is a table one many-to-one join away from a metric's table.
type joined struct {
	t    *catalog.Table
	fk   catalog.ForeignKey
	join string // the JOIN clause that reaches it
}

// metricTables are the tables a breakdown of metric m may read: its own
// table and those its foreign keys reference. Only joins along a foreign
// key of the metric's table are taken, so a row of the metric is never
// counted twice. A metric with a hand-written FROM has none: its tables
// are the author's to join.
func metricTables(m knowledge.Metric, cat *catalog.Catalog, d catalog.Dialect) (*catalog.Table, []joined) {
	if m.From != "" || len(m.Tables) != 1 || cat == nil {
		return nil, nil
	}
	base, ok := cat.Table(m.Tables[0])
	if !ok {
		return nil, nil
	}
	var refs []joined
	for _, fk := range base.ForeignKeys {
		ref, ok := cat.Table(fk.RefTable)
		if !ok || ref == base || len(fk.Columns) != 1 || len(fk.RefColumns) != 1 {
			continue
		}
		join := "JOIN " + catalog.QuoteTable(d, ref) + " ON " + column(d, ref, fk.RefColumns[0]) + " = " + column(d, base, fk.Columns[0])
		refs = append(refs, joined{ref, fk, join})
	}
	return base, refs
}

// resolveDimension finds what phrase ("country", "department", "customer
// type") names, for grouping metric m: a column of the metric's table, or
// a table or column one many-to-one join away, by its name or a synonym
// from the knowledge files. A phrase that names several things at the
// same distance is not resolved: guessing would give a confident wrong number.
func resolveDimension(phrase []string, m knowledge.Metric, cat *catalog.Catalog, k *knowledge.Knowledge, d catalog.Dialect) (*metricDim, bool) {
	base, refs := metricTables(m, cat, d)
	if base == nil {
		return nil, false
	}
	syn := map[string][]string{}
	if k != nil {
		syn = k.Synonyms()
	}
	words := strings.Join(phrase, " ")
	var own []*metricDim
	for _, c := range base.Columns {
		if namesColumn(phrase, base, c.Name, syn[base.Name+"."+c.Name]) {
			own = append(own, &metricDim{expr: column(d, base, c.Name), alias: c.Name, words: words})
		}
	}
	if len(own) > 0 {
		return one(own)
	}
	var tables, cols []*metricDim
	for _, r := range refs {
		ref := r.t
		if namesIt(phrase, ref.Name, syn[ref.Name]) || namesIt(phrase, strings.TrimSuffix(r.fk.Columns[0], "_id"), nil) {
			if label := labelColumn(ref); label != "" {
				// Grouped by the key too: two customers may share a name.
				key := column(d, ref, r.fk.RefColumns[0])
				tables = append(tables, &metricDim{expr: column(d, ref, label), alias: singular(strings.ToLower(ref.Name)), join: r.join, words: words, key: key})
			}
		}
		for _, c := range ref.Columns {
			if namesColumn(phrase, ref, c.Name, syn[ref.Name+"."+c.Name]) {
				cols = append(cols, &metricDim{expr: column(d, ref, c.Name), alias: c.Name, join: r.join, words: words})
			}
		}
	}
	if len(tables) > 0 {
		return one(tables)
	}
	return one(cols)
}

// metricFilter is a value the question names, kept as a condition.
type metricFilter struct {
	cond  string // column = 'value'
	join  string // the JOIN that reaches the column; "" in the metric's own table
	table string // the table of the column, and the column, whose names
	col   string // the question may use around the value ("Corporate customers")
	words string // the value as stored
}

// resolveValue finds the text column of the metric's tables whose sample
// values hold phrase ("Germany", "Small Business"). A value found in two
// columns is not resolved.
func resolveValue(phrase []string, m knowledge.Metric, cat *catalog.Catalog, d catalog.Dialect) (*metricFilter, bool) {
	base, refs := metricTables(m, cat, d)
	if base == nil {
		return nil, false
	}
	var found []*metricFilter
	look := func(t *catalog.Table, join string) {
		for _, c := range t.Columns {
			for _, v := range c.Samples {
				if slices.Equal(splitWords(v), phrase) {
					cond := column(d, t, c.Name) + " = '" + strings.ReplaceAll(v, "'", "''") + "'"
					found = append(found, &metricFilter{cond: cond, join: join, table: t.Name, col: c.Name, words: v})
					break
				}
			}
		}
	}
	look(base, "")
	for _, r := range refs {
		look(r.t, r.join)
	}
	if len(found) != 1 {
		return nil, false
	}
	return found[0], true
}

func one(dims []*metricDim) (*metricDim, bool) {
	if len(dims) != 1 {
		return nil, false
	}
	return dims[0], true
}

func column(d catalog.Dialect, t *catalog.Table, name string) string {
	return catalog.QuoteIdent(d, t.Name) + "." + catalog.QuoteIdent(d, name)
}

// namesIt reports whether phrase is name ("customer_id" reads "customer
// id") or one of synonyms, word for word, plurals aside.
func namesIt(phrase []string, name string, synonyms []string) bool {
	for _, s := range append([]string{name}, synonyms...) {
		w := splitWords(strings.ReplaceAll(s, "_", " "))
		if len(w) != len(phrase) {
			continue
		}
		same := true
		for i := range w {
			if singular(w[i]) != singular(phrase[i]) {
				same = false
				break
			}
		}
		if same {
			return true
		}
	}
	return false
}

// namesColumn reports whether phrase names column col of t, alone or
// after the table's name: "segment" or "customer segment".
func namesColumn(phrase []string, t *catalog.Table, col string, synonyms []string) bool {
	if namesIt(phrase, col, synonyms) {
		return true
	}
	return len(phrase) > 1 && singular(phrase[0]) == singular(strings.ToLower(t.Name)) && namesIt(phrase[1:], col, synonyms)
}

// singular strips an English plural ending: "countries" → "country",
// "statuses" → "status", "departments" → "department".
func singular(w string) string {
	switch {
	case len(w) > 4 && strings.HasSuffix(w, "ies"):
		return w[:len(w)-3] + "y"
	case len(w) > 4 && (strings.HasSuffix(w, "ses") || strings.HasSuffix(w, "xes") || strings.HasSuffix(w, "ches") || strings.HasSuffix(w, "shes")):
		return w[:len(w)-2]
	case len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us"):
		return w[:len(w)-1]
	}
	return w
}

// labelColumn is the column that names a row of t: name, title or label,
// then a column ending in _name.
func labelColumn(t *catalog.Table) string {
	for _, want := range []string{"name", "title", "label"} {
		for _, c := range t.Columns {
			if strings.EqualFold(c.Name, want) {
				return c.Name
			}
		}
	}
	for _, c := range t.Columns {
		if strings.HasSuffix(strings.ToLower(c.Name), "_name") {
			return c.Name
		}
	}
	return ""
}
