package schema

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/source"
)

// readable reports whether a table is small enough (or of unknown size)
// for its values to be read.
func readable(t *catalog.Table) bool { return t.RowCount <= FrequentMaxRows }

// ranged reports whether a column's MIN and MAX mean something: numbers,
// dates and times, and columns typed NUMBER (Spider's, Oracle's and
// Snowflake's spelling, which catalog.NormalizeType leaves as other).
func ranged(c *catalog.Column) bool {
	return c.Type.IsNumeric() || c.Type.IsTemporal() || c.Type == catalog.TypeOther && strings.EqualFold(c.DBType, "number")
}

// addRanges reads MIN and MAX of the numeric and temporal columns of
// cat's readable tables, one query per table, when cat has at most
// SampleMaxTables tables. Failures are logged and ignored.
func addRanges(ctx context.Context, src source.Source, cat *catalog.Catalog, log *slog.Logger, b *valuesBuilder) {
	if len(cat.Tables) > SampleMaxTables {
		return
	}
	for ti := range cat.Tables {
		t := &cat.Tables[ti]
		var cols []*catalog.Column
		var sel []string
		for ci := range t.Columns {
			c := &t.Columns[ci]
			if ranged(c) {
				q := rangeOperand(src.Dialect(), c)
				cols, sel = append(cols, c), append(sel, "MIN("+q+")", "MAX("+q+")")
			}
		}
		if len(cols) == 0 || !readable(t) {
			continue
		}
		q := fmt.Sprintf("SELECT %s FROM %s", strings.Join(sel, ", "), catalog.QuoteTable(src.Dialect(), t))
		res, err := src.Query(ctx, q, source.Limits{MaxRows: 1})
		if err != nil || len(res.Rows) == 0 {
			log.Debug("value ranges", "source", src.Name(), "table", t.Name, "err", err)
			continue
		}
		row := res.Rows[0]
		for i, c := range cols {
			if 2*i+1 < len(row) {
				if r, ok := rangeOf(c, row[2*i], row[2*i+1]); ok {
					b.addRange(keyOf(t, c), r)
				}
			}
		}
	}
}

// rangeOperand is the column as MIN and MAX read it. SQLite columns may
// hold text among numbers (and text sorts after them), so only a numeric
// column's numbers count there.
func rangeOperand(d catalog.Dialect, c *catalog.Column) string {
	q := catalog.QuoteIdent(d, c.Name)
	if d == catalog.SQLite && !c.Type.IsTemporal() {
		return "CASE WHEN typeof(" + q + ") IN ('integer', 'real') THEN " + q + " END"
	}
	return q
}

// rangeOf is a column's range from the bounds read, when both are there
// (and are numbers, for a numeric column).
func rangeOf(c *catalog.Column, lo, hi any) (Range, bool) {
	r := Range{Min: rangeText(lo), Max: rangeText(hi)}
	if r.Min == "" || r.Max == "" {
		return Range{}, false
	}
	if !c.Type.IsTemporal() {
		if _, err := strconv.ParseFloat(r.Min, 64); err != nil {
			return Range{}, false
		}
		if _, err := strconv.ParseFloat(r.Max, 64); err != nil {
			return Range{}, false
		}
	}
	return r, true
}

// rangeText prints a range bound as a prompt shows it.
func rangeText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case []byte:
		return string(x)
	case float64:
		return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.4f", x), "0"), ".")
	case interface{ Format(string) string }: // time.Time
		return x.Format("2006-01-02")
	}
	return fmt.Sprint(v)
}

// ReadValues reads the values index of cat from src within the bounds of
// samples.go: cat's samples, the distinct values of its text columns and
// the ranges of its numeric and temporal columns. It is for a catalog not
// introspected through a Cache (an evaluation's dataset, whose database
// the catalog describes); a Cache indexes the values it samples itself.
func ReadValues(ctx context.Context, src source.Source, cat *catalog.Catalog, log *slog.Logger) *Values {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	b := newValuesBuilder()
	b.addSamples(cat)
	if len(cat.Tables) <= SampleMaxTables {
		budget := SampleMaxColumns
		for ti := range cat.Tables {
			t := &cat.Tables[ti]
			for ci := range t.Columns {
				c := &t.Columns[ci]
				if c.Type != catalog.TypeText || !readable(t) || budget == 0 {
					continue
				}
				budget--
				col := catalog.QuoteIdent(src.Dialect(), c.Name)
				q := fmt.Sprintf("SELECT DISTINCT %s FROM %s WHERE %s IS NOT NULL LIMIT %d", col, catalog.QuoteTable(src.Dialect(), t), col, ValuesPerColumn)
				res, err := src.Query(ctx, q, source.Limits{MaxRows: ValuesPerColumn})
				if err != nil {
					log.Debug("index values", "source", src.Name(), "table", t.Name, "column", c.Name, "err", err)
					continue
				}
				b.add(keyOf(t, c), texts(res.Rows))
			}
		}
	}
	addRanges(ctx, src, cat, log, b)
	return b.build()
}
