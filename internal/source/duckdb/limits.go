//go:build duckdb

package duckdb

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/source"
)

// maxThreads caps DuckDB's worker threads: one query must not take every
// core of a shared server, and each thread holds buffers of its own.
const maxThreads = 4

// limitSettings bound the engine's memory before the configuration is
// locked. DuckDB runs in askdb's process and by default may take 80% of
// the machine's RAM (a list_transform over range(1e8) reached 20 GB):
// memory_limit caps the buffer manager, which backs the vectors, strings
// and lists a query builds, for all the source's queries together. No
// temporary directory, and no room in one, means that nothing spills: a
// query past the limit fails with an out-of-memory error (the local file
// system is disabled by lockdown in any case).
func limitSettings(cfg config.Source) []string {
	return []string{
		fmt.Sprintf("SET memory_limit = '%dB'", cfg.EffectiveMaxMemory()),
		fmt.Sprintf("SET threads = %d", min(runtime.NumCPU(), maxThreads)),
		"SET max_temp_directory_size = '0B'",
	}
}

// firstLine is the engine's message without DuckDB's advice, which names
// settings a query cannot change.
func firstLine(msg string) string {
	line, _, _ := strings.Cut(msg, "\n")
	return strings.TrimSpace(line)
}

// interruptGrace is how long run waits, past the deadline, for DuckDB to
// honour its interrupt. duckdb-go calls duckdb_interrupt when the context
// ends and again every 500 ms, but DuckDB checks for it only between
// chunks of work: one expression over one huge list (list_reduce over
// range(5e6), list_transform over range(1e8)) or one repeat('x', 1e9) runs
// to its end first, for seconds or minutes.
const interruptGrace = 750 * time.Millisecond

// errStillRunning marks a query that run stopped waiting for: the caller
// gets its error on time, while the engine finishes the call on its own.
var errStillRunning = errors.New("the engine is still unwinding it in the background")

// errBusy refuses a query while an earlier one that the watchdog gave up
// on is still running: each such call may hold GBs the engine does not
// count, so they must not pile up.
var errBusy = errors.New("an earlier query that ran past its time limit is still stopping; try again shortly")

type outcome struct {
	res *source.Result
	err error
}

// States of one call of execute under run's watchdog.
const (
	callRunning int32 = iota
	callReturned
	callAbandoned
)

// run is execute under a watchdog, so that query_timeout holds within
// interruptGrace even when DuckDB does not stop: execute runs in a
// goroutine the Source owns (Close waits for it), and at the deadline plus
// interruptGrace run returns ErrTimeout, or the caller's cancellation,
// without it. The connection stays in use, and its memory held, until
// DuckDB returns; meanwhile the source refuses new queries (errBusy).
func (s *Source) run(ctx context.Context, op, query string, lim source.Limits) (*source.Result, error) {
	lim = lim.WithDefaults()
	if s.stopping.Load() > 0 {
		return nil, fmt.Errorf("source %q: %s: %w: %w", s.name, op, source.ErrUnreachable, errBusy)
	}
	done := make(chan outcome, 1)
	var state atomic.Int32
	s.running.Add(1)
	go func() {
		defer s.running.Done()
		res, err := s.execute(ctx, op, query, lim)
		if !state.CompareAndSwap(callRunning, callReturned) {
			s.stopping.Add(-1) // abandoned: nobody reads done
		}
		done <- outcome{res, err}
	}()
	deadline, cancel := context.WithTimeout(ctx, lim.Timeout)
	defer cancel()
	select {
	case o := <-done:
		return o.res, o.err
	case <-deadline.Done():
	}
	grace := time.NewTimer(interruptGrace)
	defer grace.Stop()
	select {
	case o := <-done:
		return o.res, o.err
	case <-grace.C:
	}
	if !state.CompareAndSwap(callRunning, callAbandoned) {
		o := <-done // it returned just now
		return o.res, o.err
	}
	s.stopping.Add(1)
	s.log.Warn("duckdb query did not stop when interrupted; it ends in the background", "op", op, "timeout", lim.Timeout)
	if ctx.Err() != nil {
		return nil, fmt.Errorf("source %q: %s: %w (%w)", s.name, op, ctx.Err(), errStillRunning)
	}
	return nil, fmt.Errorf("source %q: %s stopped after %s: %w (%w)", s.name, op, lim.Timeout, source.ErrTimeout, errStillRunning)
}
