//go:build duckdb

package duckdb

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/source/sourcetest"
)

// hugeValueQueries build GiBs inside DuckDB's buffer manager, which
// memory_limit bounds; without it each takes about 2 GB.
var hugeValueQueries = []struct{ name, sql string }{
	{"string_agg", `SELECT length(string_agg(repeat('x', 1000), '')) FROM range(2000000)`},
	{"list aggregate", `SELECT len(list(range)) FROM range(250000000)`},
}

func TestQueryRefusesHugeValues(t *testing.T) {
	src := openSource(t, config.Source{Files: dataFiles(t)})
	for _, tt := range hugeValueQueries {
		t.Run(tt.name, func(t *testing.T) {
			sourcetest.RefusesHugeValue(t, src, tt.sql)
		})
	}
}

// cpuBoundQueries take seconds to minutes in little memory: only the
// timeout can stop them. DuckDB honours an interrupt between chunks of
// work, so the scan stops on it; list_reduce over one 5-million
// element list is one call that ignores it (about 8 s), and only the
// watchdog returns on time.
var cpuBoundQueries = []struct {
	name, sql       string
	uninterruptible bool
}{
	{"scan", `SELECT sum(hash(range)) FROM range(10000000000000)`, false},
	{"recursive", `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT max(x) FROM c`, false},
	{"list_reduce", `SELECT list_reduce(range(5000000), (a, b) -> a + b)`, true},
}

func TestQueryTimeoutStopsCPUBoundQueries(t *testing.T) {
	src := openSource(t, config.Source{Files: dataFiles(t)})
	for _, tt := range cpuBoundQueries {
		t.Run(tt.name, func(t *testing.T) {
			_, err := src.Query(context.Background(), tt.sql, source.Limits{Timeout: 300 * time.Millisecond})
			if !errors.Is(err, source.ErrTimeout) {
				t.Fatalf("got %v, want ErrTimeout", err)
			}
			if tt.uninterruptible && !errors.Is(err, errStillRunning) {
				t.Errorf("got %v, want the watchdog's error: DuckDB cannot stop this call", err)
			}
		})
	}
}

// TestQueryRefusedWhileAbandonedCallRuns catches abandoned calls piling
// up: each may hold memory DuckDB does not count.
func TestQueryRefusedWhileAbandonedCallRuns(t *testing.T) {
	src := openSource(t, config.Source{Files: dataFiles(t)})
	_, err := src.Query(context.Background(), cpuBoundQueries[2].sql, source.Limits{Timeout: 100 * time.Millisecond})
	if !errors.Is(err, errStillRunning) {
		t.Fatalf("first query: got %v, want the watchdog's error", err)
	}
	if _, err := src.Query(context.Background(), "SELECT 1", source.Limits{}); !errors.Is(err, errBusy) || !errors.Is(err, source.ErrUnreachable) {
		t.Errorf("while it runs: got %v, want errBusy (ErrUnreachable)", err)
	}
	src.running.Wait()
	if _, err := src.Query(context.Background(), "SELECT 1", source.Limits{}); err != nil {
		t.Errorf("once it returned: %v", err)
	}
}

// TestQueryCallerCancelWithWatchdog catches a watchdog that reports the
// caller's own cancellation as a timeout.
func TestQueryCallerCancelWithWatchdog(t *testing.T) {
	src := openSource(t, config.Source{Files: dataFiles(t)})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := src.Query(ctx, cpuBoundQueries[2].sql, source.Limits{Timeout: time.Minute})
	if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, source.ErrTimeout) {
		t.Errorf("got %v, want the caller's context error, not ErrTimeout", err)
	}
}

// duckdbBaseRSS is a generous peak for the test binary with DuckDB open on
// a small snapshot (about 100 MiB when measured), plus what DuckDB builds
// outside its buffer manager on the way to the limit (a string_agg result
// of 256 MiB is copied once more): three queries peaked at 730 to 870 MiB.
const duckdbBaseRSS = 512 << 20

// TestPeakRSSStaysUnderCeiling runs three memory-hungry queries at once in
// a child process; DuckDB's share is max_memory for all of them.
func TestPeakRSSStaysUnderCeiling(t *testing.T) {
	sourcetest.CheckMemoryCeiling(t, sourcetest.MemoryCase{
		Open:    func(t *testing.T) source.Source { return openSource(t, config.Source{Files: dataFiles(t)}) },
		Queries: []string{hugeValueQueries[0].sql, hugeValueQueries[1].sql, hugeValueQueries[0].sql},
		Want:    source.ErrMemoryLimit,
		Base:    duckdbBaseRSS + config.Source{}.EffectiveMaxMemory(),
	})
}

// BenchmarkStop: the time past query_timeout for a scan DuckDB interrupts
// and for a call it does not (the watchdog's figure).
func BenchmarkStop(b *testing.B) {
	for _, tt := range cpuBoundQueries {
		if tt.name == "recursive" {
			continue
		}
		b.Run(tt.name, func(b *testing.B) {
			_, files := sampleFiles(b)
			src := openSource(b, config.Source{Files: files})
			sourcetest.BenchStop(b, src, tt.sql, 500*time.Millisecond, source.ErrTimeout, src.running.Wait)
		})
	}
}
