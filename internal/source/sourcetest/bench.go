package sourcetest

import (
	"context"
	"errors"
	"testing"
	"time"

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

// BenchStop measures how long past its time limit src takes to stop sql, a
// query that would run far longer: it reports "ms-past-timeout", the
// figure behind "query_timeout holds within about 1 s". wantErr is the
// error the stop must wrap (source.ErrTimeout, or a limit error for a query
// the limits stop first). settle, when not nil, runs untimed after each
// query: a source whose engine finishes a stopped call in the background
// waits for it there.
func BenchStop(b *testing.B, src source.Source, sql string, timeout time.Duration, wantErr error, settle func()) {
	b.Helper()
	lim := source.Limits{MaxRows: 10, MaxBytes: 16 << 20, Timeout: timeout}
	var past time.Duration
	for b.Loop() {
		start := time.Now()
		_, err := src.Query(context.Background(), sql, lim)
		past += time.Since(start) - timeout
		if !errors.Is(err, wantErr) {
			b.Fatalf("got %v, want an error wrapping %q", err, wantErr)
		}
		if settle != nil {
			b.StopTimer()
			settle()
			b.StartTimer()
		}
	}
	b.ReportMetric(float64(past.Milliseconds())/float64(b.N), "ms-past-timeout")
}
