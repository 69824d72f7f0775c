package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/dbtest"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/source/sourcetest"
)

// hugeValue is one 200 MB value, the finding of issue 12 (433 MB of RSS).
const hugeValue = `SELECT repeat('x', 200000000) AS v`

func openLimited(t testing.TB, dsn string) source.Source {
	t.Helper()
	cfg := config.Source{Kind: "postgres", DSN: dsn, MaxBytes: sourcetest.HugeValueLimits.MaxBytes}
	src, err := source.Open(context.Background(), "pg", cfg, source.Options{})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { src.Close() })
	return src
}

// TestIntegrationHugeValueRefused checks both bounds: the protocol message
// limit from the source's max_bytes, and ReadRows' per-value check for a
// query whose own max_bytes is smaller. The source must still work after
// the refused message closed its connection.
func TestIntegrationHugeValueRefused(t *testing.T) {
	src := openLimited(t, dbtest.Postgres(t))
	tests := []struct {
		name string
		sql  string
		lim  source.Limits
	}{
		{"message over the source's max_bytes", hugeValue, sourcetest.HugeValueLimits},
		{"whole row over max_bytes", `SELECT repeat('x', 9000000) AS a, repeat('y', 9000000) AS b`, sourcetest.HugeValueLimits},
		{"value over the query's max_bytes", `SELECT repeat('x', 5000) AS v`, source.Limits{MaxBytes: 1000}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := src.Query(context.Background(), tt.sql, tt.lim)
			if !errors.Is(err, source.ErrValueTooLarge) {
				t.Fatalf("got %v, want ErrValueTooLarge", err)
			}
			res, err := src.Query(context.Background(), "SELECT 1 AS one", source.Limits{})
			if err != nil || len(res.Rows) != 1 {
				t.Fatalf("the next query: %v, %v", res, err)
			}
		})
	}
}

// TestIntegrationTimeoutStopsCPUBoundQuery: statement_timeout stops the
// server, and the Go-side deadline is a second behind it.
func TestIntegrationTimeoutStopsCPUBoundQuery(t *testing.T) {
	src := openLimited(t, dbtest.Postgres(t))
	q := `SELECT max(length(repeat(g::text, 1000))) FROM generate_series(1, 10000000000) g`
	_, err := src.Query(context.Background(), q, source.Limits{Timeout: 300 * time.Millisecond})
	var ee *source.EngineError
	if !errors.Is(err, source.ErrTimeout) || !errors.As(err, &ee) || ee.Code != "57014" {
		t.Errorf("got %v, want ErrTimeout from the server's statement_timeout (57014)", err)
	}
}

// postgresBaseRSS is a generous peak for the test binary itself (about
// 30 MiB when measured).
const postgresBaseRSS = 200 << 20

// TestIntegrationPeakRSSStaysUnderCeiling runs three 200 MB values at once
// in a child process: each must be refused before it is read.
func TestIntegrationPeakRSSStaysUnderCeiling(t *testing.T) {
	sourcetest.CheckMemoryCeiling(t, sourcetest.MemoryCase{
		Open:    func(t *testing.T) source.Source { return openLimited(t, dbtest.Postgres(t)) },
		Queries: []string{hugeValue, hugeValue, hugeValue},
		Want:    source.ErrValueTooLarge,
		Base:    postgresBaseRSS,
	})
}

// BenchmarkStop: the time past query_timeout for a CPU-bound query
// (statement_timeout stops it on the server).
func BenchmarkStop(b *testing.B) {
	src := openLimited(b, dbtest.Postgres(b))
	q := `SELECT max(length(repeat(g::text, 1000))) FROM generate_series(1, 10000000000) g`
	sourcetest.BenchStop(b, src, q, 500*time.Millisecond, source.ErrTimeout, nil)
}
