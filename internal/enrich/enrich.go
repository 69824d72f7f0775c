package enrich

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/schema"
	"github.com/askdb/askdb/internal/source"
)

// Options bound the work of Enrich. Zero values take the defaults.
type Options struct {
	// SampleRows is how many rows of each table the column statistics read.
	SampleRows int `json:"sample_rows"`
	// CountLimit caps row counting: a table with more rows reports
	// CountLimit (or the engine's estimate when larger) as a lower bound.
	CountLimit int `json:"count_limit"`
	// TopK is how many frequent values a categorical column keeps.
	TopK int `json:"top_k"`
	// MaxDistinct is the most distinct values (in the sample) a column may
	// have for its values to be listed; above it the column is not categorical.
	MaxDistinct int `json:"max_distinct"`
	// Parallel is how many tables are read at once.
	Parallel int `json:"parallel"`
	// Policy is the source's policy: what it hides is not read.
	Policy config.Policy `json:"-"`
	// Limits bound each query (its timeout above all).
	Limits source.Limits `json:"-"`
	Logger *slog.Logger  `json:"-"`
	// Now is the clock for Snapshot.CreatedAt; nil means time.Now.
	Now func() time.Time `json:"-"`
}

// Defaults.
const (
	DefaultSampleRows  = 10_000
	DefaultCountLimit  = 1_000_000
	DefaultTopK        = 10
	DefaultMaxDistinct = 50
	DefaultParallel    = 2
)

func (o Options) withDefaults() Options {
	if o.SampleRows <= 0 {
		o.SampleRows = DefaultSampleRows
	}
	if o.CountLimit <= 0 {
		o.CountLimit = DefaultCountLimit
	}
	if o.TopK <= 0 {
		o.TopK = DefaultTopK
	}
	if o.MaxDistinct <= 0 {
		o.MaxDistinct = DefaultMaxDistinct
	}
	if o.Parallel <= 0 {
		o.Parallel = DefaultParallel
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	o.Limits = o.Limits.WithDefaults()
	return o
}

// Enrich introspects src and computes statistics for every table. A table
// that cannot be read is logged and recorded in TableStats.Error; only a
// failed introspection or a cancelled ctx fails the whole run.
func Enrich(ctx context.Context, src source.Source, opts Options) (*Snapshot, error) {
	opts = opts.withDefaults()
	// Hidden tables and columns are never sampled.
	cat, err := schema.Introspect(ctx, src, opts.Policy)
	if err != nil {
		return nil, fmt.Errorf("enrich: %w", err)
	}
	stats := make([]TableStats, len(cat.Tables))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(opts.Parallel)
	for i := range cat.Tables {
		g.Go(func() error {
			t := &cat.Tables[i]
			ts, err := tableStats(gctx, src, t, opts)
			if err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				opts.Logger.Warn("enrich: table skipped", "source", src.Name(), "table", t.QualifiedName(), "err", err)
				ts = TableStats{Table: t.QualifiedName(), RowCount: t.RowCount, Error: err.Error()}
			}
			apply(t, ts)
			stats[i] = ts
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, fmt.Errorf("enrich source %q: %w", src.Name(), err)
	}
	bounds := opts
	bounds.Limits, bounds.Logger, bounds.Now = source.Limits{}, nil, nil // not part of the stored record
	return &Snapshot{Version: SnapshotVersion, Source: src.Name(), CreatedAt: opts.Now().UTC(), Catalog: cat,
		Stats: Stats{Tables: stats}, Options: bounds}, nil
}

// apply copies statistics into the catalog: the row count and, for
// categorical columns, the frequent values as Samples.
func apply(t *catalog.Table, ts TableStats) {
	if ts.Error != "" {
		return
	}
	t.RowCount = ts.RowCount
	for _, cs := range ts.Columns {
		if c, ok := t.Column(cs.Column); ok && len(cs.Top) > 0 {
			c.Samples = cs.Values()
		}
	}
}

// tableStats runs the bounded queries for one table: a capped count, one
// pass over the sample for null rates, distinct counts and ranges, and a
// top-K query per categorical column.
func tableStats(ctx context.Context, src source.Source, t *catalog.Table, opts Options) (TableStats, error) {
	d := src.Dialect()
	ts := TableStats{Table: t.QualifiedName()}
	n, err := queryInt(ctx, src, opts, fmt.Sprintf("SELECT COUNT(*) FROM (SELECT 1 AS one FROM %s LIMIT %d) s",
		catalog.QuoteTable(d, t), opts.CountLimit+1))
	if err != nil {
		return ts, fmt.Errorf("count rows: %w", err)
	}
	ts.RowCount, ts.RowCountExact = n, n <= int64(opts.CountLimit)
	if !ts.RowCountExact {
		ts.RowCount = max(int64(opts.CountLimit), t.RowCount)
	}
	ts.SampleRows = min(n, int64(opts.SampleRows))
	ts.Sampled = n > int64(opts.SampleRows)
	if len(t.Columns) == 0 || ts.SampleRows == 0 {
		for _, c := range t.Columns {
			ts.Columns = append(ts.Columns, ColumnStats{Column: c.Name, Distinct: -1})
		}
		return ts, nil
	}
	cols, err := sampleStats(ctx, src, t, ts.SampleRows, opts)
	if err != nil {
		return ts, fmt.Errorf("sample columns: %w", err)
	}
	for i := range cols {
		c, _ := t.Column(cols[i].Column)
		if c.Type == catalog.TypeText && cols[i].Distinct > 0 {
			if cols[i].DistinctValues, err = distinctValues(ctx, src, t, c.Name, opts); err != nil {
				return ts, fmt.Errorf("values of column %q: %w", c.Name, err)
			}
		}
		if !categorical(c.Type) || cols[i].Distinct <= 0 || cols[i].Distinct > int64(opts.MaxDistinct) {
			continue
		}
		top, err := topValues(ctx, src, t, c.Name, opts)
		if err != nil {
			return ts, fmt.Errorf("top values of column %q: %w", c.Name, err)
		}
		cols[i].Top = top
	}
	ts.Columns = cols
	return ts, nil
}

// sample is the LIMIT-bounded subquery every column statistic reads.
func sample(d catalog.Dialect, t *catalog.Table, cols string, n int) string {
	return fmt.Sprintf("(SELECT %s FROM %s LIMIT %d) s", cols, catalog.QuoteTable(d, t), n)
}

func sampleStats(ctx context.Context, src source.Source, t *catalog.Table, rows int64, opts Options) ([]ColumnStats, error) {
	d := src.Dialect()
	var sel, inner []string
	for _, c := range t.Columns {
		q := catalog.QuoteIdent(d, c.Name)
		inner = append(inner, q)
		sel = append(sel, "COUNT("+q+")")
		switch {
		case categorical(c.Type):
			sel = append(sel, "COUNT(DISTINCT "+q+")")
		case ranged(c.Type):
			sel = append(sel, "MIN("+q+")", "MAX("+q+")")
		}
	}
	query := "SELECT " + strings.Join(sel, ", ") + " FROM " + sample(d, t, strings.Join(inner, ", "), opts.SampleRows)
	res, err := src.Query(ctx, query, limits(opts, 1))
	if err != nil {
		return nil, err
	}
	if len(res.Rows) != 1 {
		return nil, fmt.Errorf("statistics query returned %d rows, want 1", len(res.Rows))
	}
	row, at := res.Rows[0], 0
	next := func() any { v := row[at]; at++; return v }
	out := make([]ColumnStats, len(t.Columns))
	for i, c := range t.Columns {
		cs := ColumnStats{Column: c.Name, Distinct: -1}
		nonNull, err := toInt(next())
		if err != nil {
			return nil, fmt.Errorf("column %q: %w", c.Name, err)
		}
		cs.NullRate = round(1 - float64(nonNull)/float64(rows))
		switch {
		case categorical(c.Type):
			if cs.Distinct, err = toInt(next()); err != nil {
				return nil, fmt.Errorf("column %q: %w", c.Name, err)
			}
		case ranged(c.Type):
			cs.Min, cs.Max = toString(next()), toString(next())
		}
		out[i] = cs
	}
	return out, nil
}

func topValues(ctx context.Context, src source.Source, t *catalog.Table, col string, opts Options) ([]ValueCount, error) {
	d := src.Dialect()
	q := catalog.QuoteIdent(d, col)
	query := fmt.Sprintf("SELECT %s, COUNT(*) AS n FROM %s WHERE %s IS NOT NULL GROUP BY %s ORDER BY n DESC, %s LIMIT %d",
		q, sample(d, t, q, opts.SampleRows), q, q, q, opts.TopK)
	res, err := src.Query(ctx, query, limits(opts, opts.TopK))
	if err != nil {
		return nil, err
	}
	out := make([]ValueCount, 0, len(res.Rows))
	for _, r := range res.Rows {
		n, err := toInt(r[1])
		if err != nil {
			return nil, err
		}
		out = append(out, ValueCount{Value: toString(r[0]), Count: n})
	}
	return out, nil
}

// distinctValues reads up to schema.ValuesPerColumn distinct values of a
// text column within the sample: the values index the prompt matches
// questions against.
func distinctValues(ctx context.Context, src source.Source, t *catalog.Table, col string, opts Options) ([]string, error) {
	d := src.Dialect()
	q := catalog.QuoteIdent(d, col)
	query := fmt.Sprintf("SELECT DISTINCT %s FROM %s WHERE %s IS NOT NULL LIMIT %d", q, sample(d, t, q, opts.SampleRows), q, schema.ValuesPerColumn)
	res, err := src.Query(ctx, query, limits(opts, schema.ValuesPerColumn))
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(res.Rows))
	for _, r := range res.Rows {
		if v := toString(r[0]); v != "" {
			out = append(out, v)
		}
	}
	return out, nil
}

func queryInt(ctx context.Context, src source.Source, opts Options, query string) (int64, error) {
	res, err := src.Query(ctx, query, limits(opts, 1))
	if err != nil {
		return 0, err
	}
	if len(res.Rows) != 1 || len(res.Rows[0]) != 1 {
		return 0, errors.New("count query returned no value")
	}
	return toInt(res.Rows[0][0])
}

func limits(opts Options, rows int) source.Limits {
	l := opts.Limits
	l.MaxRows = rows
	return l
}

// toInt reads a count as the sources return it.
func toInt(v any) (int64, error) {
	switch x := v.(type) {
	case int64:
		return x, nil
	case float64:
		return int64(x), nil
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n, nil
		}
		f, err := x.Float64()
		return int64(f), err
	case string:
		return strconv.ParseInt(x, 10, 64)
	case nil:
		return 0, nil
	}
	return 0, fmt.Errorf("unexpected count value %v (%T)", v, v)
}

func toString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return fmt.Sprint(v)
}

func round(f float64) float64 { return math.Round(f*10000) / 10000 }
