package schema

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/source"
)

// Sampling is bounded here and nowhere else. Values are read only for
// small catalogs; larger ones rely on the enrichment snapshot (askdb
// enrich) instead.
const (
	// SampleMaxTables is the most tables a catalog may have for its
	// values to be read.
	SampleMaxTables = 60
	// SampleMaxColumns is the most text columns read per catalog.
	SampleMaxColumns = 400
	// SamplesPerColumn values are read from a table too large (or of
	// unknown size) for a GROUP BY.
	SamplesPerColumn = 3
	// FrequentValues are kept as a column's samples, by frequency, from
	// tables of at most FrequentMaxRows rows.
	FrequentValues  = 20
	FrequentMaxRows = 200_000
	// ValueCap is the most distinct values a text column may have for
	// all of them to be known (ValueCatalog).
	ValueCap = 30
	// maxValueLen drops long texts: they are prose, not values to match.
	maxValueLen = 60
	// ValuesPerColumn distinct values of a text column are indexed for
	// matching against questions (Values), ValuesTotal per catalog, from
	// tables of at most FrequentMaxRows rows (or of unknown size).
	ValuesPerColumn = 1000
	ValuesTotal     = 100_000
)

// colRef is a column by table and column position.
type colRef struct{ table, col int }

// addSamples fills Column.Samples of text columns through the source's
// read-only path, within the bounds above, and indexes the values read in
// b. It returns the complete value lists of the columns found to have at
// most ValueCap distinct values. Failures are logged and ignored: samples
// only help.
func addSamples(ctx context.Context, src source.Source, cat *catalog.Catalog, log *slog.Logger, b *valuesBuilder) map[colRef][]string {
	if len(cat.Tables) > SampleMaxTables {
		return nil
	}
	all := map[colRef][]string{}
	budget := SampleMaxColumns
	for ti := range cat.Tables {
		t := &cat.Tables[ti]
		for ci := range t.Columns {
			c := &t.Columns[ci]
			if c.Type != catalog.TypeText || len(c.Samples) > 0 || budget == 0 {
				continue
			}
			budget--
			q, n := sampleQuery(src.Dialect(), t, c.Name)
			res, err := src.Query(ctx, q, source.Limits{MaxRows: n})
			if err != nil {
				log.Debug("sample values", "source", src.Name(), "table", t.Name, "column", c.Name, "err", err)
				continue
			}
			vals := texts(res.Rows)
			c.Samples = texts(res.Rows[:min(len(res.Rows), FrequentValues)])
			if n > SamplesPerColumn && len(res.Rows) <= ValueCap {
				all[colRef{ti, ci}] = vals
			}
			b.add(keyOf(t, c), vals)
		}
	}
	return all
}

// sampleQuery reads a column's values: by frequency from a small table,
// up to ValuesPerColumn so a complete list can be told from a cut one,
// or a few distinct ones from a large table.
func sampleQuery(d catalog.Dialect, t *catalog.Table, name string) (string, int) {
	col, tab := catalog.QuoteIdent(d, name), catalog.QuoteTable(d, t)
	if t.RowCount >= 0 && t.RowCount <= FrequentMaxRows {
		// A small table affords a GROUP BY: the most frequent values are
		// the best examples, and the question bank matches them as values;
		// more than ValueCap tells a complete list from a cut one, and the
		// rest are indexed for matching.
		n := ValuesPerColumn
		return fmt.Sprintf("SELECT %s FROM %s WHERE %s IS NOT NULL GROUP BY %s ORDER BY count(*) DESC, %s LIMIT %d", col, tab, col, col, col, n), n
	}
	n := SamplesPerColumn
	return fmt.Sprintf("SELECT DISTINCT %s FROM %s WHERE %s IS NOT NULL LIMIT %d", col, tab, col, n), n
}

func texts(rows [][]any) []string {
	var out []string
	for _, row := range rows {
		if s, ok := row[0].(string); ok && len(s) <= maxValueLen {
			out = append(out, s)
		}
	}
	return out
}

// withValues returns a copy of cat where the columns in values have their
// complete value lists as Samples. keepSamples false also clears the
// samples of the other columns (schema-only privacy).
func withValues(cat *catalog.Catalog, values map[colRef][]string, keepSamples bool) *catalog.Catalog {
	c := *cat
	c.Tables = make([]catalog.Table, len(cat.Tables))
	for ti, t := range cat.Tables {
		t.Columns = append([]catalog.Column(nil), t.Columns...)
		for ci := range t.Columns {
			col := &t.Columns[ci]
			switch vals, ok := values[colRef{ti, ci}]; {
			case ok:
				col.Samples = vals
			case keepSamples:
				col.Samples = append([]string(nil), col.Samples...)
			default:
				col.Samples = nil
			}
		}
		c.Tables[ti] = t
	}
	return &c
}
