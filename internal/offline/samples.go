package offline

import (
	"context"
	"fmt"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/source"
)

// Querier is the part of a source that FillSamples needs.
type Querier interface {
	Query(ctx context.Context, sql string, lim source.Limits) (*source.Result, error)
}

// FillSamples sets Column.Samples of every low-cardinality text column of
// cat: a column with at most k distinct non-null values gets all of them,
// most frequent first. Other columns are left as they are. Errors stop
// nothing: a column whose query fails keeps its samples, and the first
// error is returned for the caller to log.
func FillSamples(ctx context.Context, src Querier, cat *catalog.Catalog, k int) error {
	var first error
	d := cat.Dialect
	for ti := range cat.Tables {
		t := &cat.Tables[ti]
		for ci := range t.Columns {
			c := &t.Columns[ci]
			if c.Type != catalog.TypeText {
				continue
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			col := catalog.QuoteIdent(d, c.Name)
			q := fmt.Sprintf("SELECT %s, count(*) AS n FROM %s WHERE %s IS NOT NULL GROUP BY %s ORDER BY n DESC, %s LIMIT %d",
				col, catalog.QuoteTable(d, t), col, col, col, k+1)
			res, err := src.Query(ctx, q, source.Limits{MaxRows: k + 1})
			if err != nil {
				if first == nil {
					first = fmt.Errorf("samples of %q.%q: %w", t.Name, c.Name, err)
				}
				continue
			}
			if len(res.Rows) > k {
				continue
			}
			var vals []string
			for _, row := range res.Rows {
				if s, ok := row[0].(string); ok && len(s) <= 60 {
					vals = append(vals, s)
				}
			}
			c.Samples = vals
		}
	}
	return first
}
