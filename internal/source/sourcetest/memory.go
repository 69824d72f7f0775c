package sourcetest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/askdb/askdb/internal/source"
)

// childEnv names the test that a re-executed test binary runs as the
// measured child of PeakRSS.
const childEnv = "ASKDB_SOURCETEST_CHILD"

// peakPrefix starts the line on which the child reports its peak RSS.
const peakPrefix = "askdb-peak-rss-bytes: "

// PeakRSS runs fn in a child process (this test binary, re-executed to run
// only t's test) and returns the child's peak resident set size, VmHWM in
// /proc/self/status, in bytes. Memory a query builds in the engine is
// invisible to the Go runtime's statistics, and a parent's own peak would
// mix in other tests: a fresh process measures one query alone. In the
// child, PeakRSS runs fn and returns 0; a failure of fn fails the parent.
// It skips where /proc is missing.
func PeakRSS(t *testing.T, fn func(t *testing.T)) int64 {
	t.Helper()
	switch os.Getenv(childEnv) {
	case "":
	case t.Name():
		fn(t)
		peak, err := readPeakRSS()
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("\n%s%d\n", peakPrefix, peak)
		return 0
	default:
		t.Skip("another measurement's child")
	}
	if _, err := readPeakRSS(); err != nil {
		t.Skipf("peak RSS is not measurable here: %v", err)
	}
	cmd := exec.Command(os.Args[0], "-test.run="+runPattern(t), "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), childEnv+"="+t.Name())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("measured child failed: %v\n%s", err, out)
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), peakPrefix); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				t.Fatalf("child reported %q: %v", v, err)
			}
			return n
		}
	}
	t.Fatalf("the child did not report its peak RSS (did it run %s?):\n%s", t.Name(), out)
	return 0
}

// runPattern selects t, and only t, for -test.run.
func runPattern(t *testing.T) string {
	parts := strings.Split(t.Name(), "/")
	for i, p := range parts {
		parts[i] = "^" + regexp.QuoteMeta(p) + "$"
	}
	return strings.Join(parts, "/")
}

func readPeakRSS() (int64, error) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10, err
		}
	}
	return 0, errors.New("no VmHWM in /proc/self/status")
}

// HugeValueLimits are the limits memory tests run their queries under: a
// small max_bytes makes a broken bound stand out far above the process's
// own few hundred MiB.
var HugeValueLimits = source.Limits{MaxRows: 10, MaxBytes: 16 << 20, Timeout: 20 * time.Second}

// MemoryCeiling is the documented ceiling for n concurrent queries under
// lim: base plus 4 × max_bytes per query.
func MemoryCeiling(base int64, lim source.Limits, n int) int64 {
	return base + int64(n)*4*lim.MaxBytes
}

// MemoryCase is one check of the memory ceiling: Queries run at once, in
// a child process (PeakRSS), on the source Open returns there; each must
// fail with an error wrapping Want.
type MemoryCase struct {
	Open    func(t *testing.T) source.Source
	Queries []string
	Want    error
	// Base is a generous peak for the test binary with the source open,
	// plus any memory the engine itself may hold (DuckDB's max_memory).
	Base int64
}

// CheckMemoryCeiling fails when the child's peak RSS passes
// MemoryCeiling(c.Base, HugeValueLimits, len(c.Queries)).
func CheckMemoryCeiling(t *testing.T, c MemoryCase) {
	t.Helper()
	peak := PeakRSS(t, func(t *testing.T) {
		src := c.Open(t)
		var g errgroup.Group
		for i, q := range c.Queries {
			g.Go(func() error {
				_, err := src.Query(context.Background(), q, HugeValueLimits)
				if !errors.Is(err, c.Want) {
					return fmt.Errorf("query %d: got %v, want an error wrapping %q", i, err, c.Want)
				}
				return nil
			})
		}
		if err := g.Wait(); err != nil {
			t.Fatal(err)
		}
	})
	ceiling := MemoryCeiling(c.Base, HugeValueLimits, len(c.Queries))
	t.Logf("peak RSS %d MiB (ceiling %d MiB)", peak>>20, ceiling>>20)
	if peak > ceiling {
		t.Errorf("peak RSS = %d MiB, over the ceiling of %d MiB", peak>>20, ceiling>>20)
	}
}

// RefusesHugeValue runs query, which builds a value far larger than
// HugeValueLimits.MaxBytes, and fails unless the source refuses it with
// ErrValueTooLarge or ErrMemoryLimit: the limit, not the timeout, must
// stop it.
func RefusesHugeValue(t *testing.T, src source.Source, query string) {
	t.Helper()
	_, err := src.Query(context.Background(), query, HugeValueLimits)
	if !errors.Is(err, source.ErrValueTooLarge) && !errors.Is(err, source.ErrMemoryLimit) {
		t.Errorf("Query(%.60q): got %v, want an error wrapping source.ErrValueTooLarge or source.ErrMemoryLimit", query, err)
	}
}
