package sourcetest

import (
	"context"
	"testing"

	"github.com/askdb/askdb/internal/source"
)

// BenchQuery measures src.Query on sql, which must return exactly rows rows:
// the per-query overhead of a source (transaction, limits, reading and
// converting rows). Every source kind's BenchmarkQuery* uses it, so their
// figures compare.
func BenchQuery(b *testing.B, src source.Source, sql string, rows int) {
	b.Helper()
	ctx := context.Background()
	lim := source.Limits{MaxRows: rows, MaxBytes: 64 << 20}
	b.ReportAllocs()
	for b.Loop() {
		res, err := src.Query(ctx, sql, lim)
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Rows) != rows {
			b.Fatalf("got %d rows, want %d", len(res.Rows), rows)
		}
	}
}
