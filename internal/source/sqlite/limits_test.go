package sqlite

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/source/sourcetest"
)

// hugeValueQueries each build one value of hundreds of MiB inside SQLite,
// the findings of issue 12 and the other ways to ask for one.
var hugeValueQueries = []struct{ name, sql string }{
	{"printf", `SELECT printf('%.*c', 900000000, 'x')`},
	{"zeroblob", `SELECT zeroblob(900000000)`},
	{"randomblob", `SELECT length(randomblob(500000000))`},
	{"replace grows", `SELECT length(replace(printf('%.*c', 10000000, 'x'), 'x', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'))`},
	{"group_concat", `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000)
		SELECT length(group_concat(printf('%.*c', 100, 'x'), '')) FROM c`},
	{"json", `SELECT length(json_array(printf('%.*c', 10000000, 'x'), printf('%.*c', 10000000, 'x')))`},
}

// wideRow has 100 columns of 16 MB each: every value is within
// max_bytes, the row is 1.6 GB inside SQLite (3.1 GB peak without the heap
// limit).
var wideRow = "SELECT " + strings.TrimSuffix(strings.Repeat("p, ", 100), ", ") +
	" FROM (SELECT printf('%.*c', 16000000, 'x') AS p)"

func TestQueryRefusesHugeValues(t *testing.T) {
	src := openSource(t, sampleDB(t))
	for _, tt := range hugeValueQueries {
		t.Run(tt.name, func(t *testing.T) {
			sourcetest.RefusesHugeValue(t, src, tt.sql)
		})
	}
}

// TestQueryLengthLimitIsPerQuery catches a connection that keeps one
// query's small limit for the next query, or for introspection.
func TestQueryLengthLimitIsPerQuery(t *testing.T) {
	src := openSource(t, sampleDB(t))
	const q = `SELECT printf('%.*c', 5000, 'x')`
	_, err := src.Query(context.Background(), q, source.Limits{MaxBytes: 1000})
	var le *source.LimitError
	if !errors.Is(err, source.ErrValueTooLarge) || !errors.As(err, &le) || le.Limit != 1000 ||
		!strings.Contains(err.Error(), "1000 B") {
		t.Fatalf("5000-byte value under max_bytes 1000: got %v, want ErrValueTooLarge naming the limit", err)
	}
	res, err := src.Query(context.Background(), q, source.Limits{})
	if err != nil || len(res.Rows) != 1 {
		t.Fatalf("the same value under the default max_bytes: got %v, %v", res, err)
	}
	if _, err := src.Introspect(context.Background()); err != nil {
		t.Fatalf("Introspect after a small limit: %v", err)
	}
}

// cpuBoundQueries never end on their own, and each step does a lot of work
// in one call into SQLite, so only an interrupt between steps stops them:
// if the timeout does not, the test binary's own -timeout fails the test.
var cpuBoundQueries = []struct{ name, sql string }{
	{"recursive printf", `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)
		SELECT max(length(printf('%.*c', 1000000, 'x'))) FROM c`},
	{"recursive replace", `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)
		SELECT max(length(replace(zeroblob(1000000), x'00', 'ab'))) FROM c`},
	{"cross join", `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000)
		SELECT count(*) FROM c a, c b, c d`},
}

func TestQueryTimeoutStopsCPUBoundQueries(t *testing.T) {
	src := openSource(t, sampleDB(t))
	for _, tt := range cpuBoundQueries {
		t.Run(tt.name, func(t *testing.T) {
			_, err := src.Query(context.Background(), tt.sql, source.Limits{Timeout: 200 * time.Millisecond})
			if !errors.Is(err, source.ErrTimeout) {
				t.Errorf("got %v, want ErrTimeout", err)
			}
		})
	}
}

// sqliteBaseRSS is a generous peak for the test binary itself with SQLite
// open and the sample read (about 40 MiB when measured).
const sqliteBaseRSS = 200 << 20

// TestPeakRSSStaysUnderCeiling runs three huge-value queries at once in a
// child process: before the length limit, they held 2.2 GB.
func TestPeakRSSStaysUnderCeiling(t *testing.T) {
	sourcetest.CheckMemoryCeiling(t, sourcetest.MemoryCase{
		Open:    func(t *testing.T) source.Source { return openSource(t, sampleDB(t)) },
		Queries: []string{hugeValueQueries[0].sql, hugeValueQueries[1].sql, hugeValueQueries[0].sql},
		Want:    source.ErrValueTooLarge,
		Base:    sqliteBaseRSS,
	})
}

// TestPeakRSSWideRowsUnderCeiling catches a row of values each within
// max_bytes that adds up to GBs in SQLite: the heap limit (max_memory,
// process-wide) stops it.
func TestPeakRSSWideRowsUnderCeiling(t *testing.T) {
	sourcetest.CheckMemoryCeiling(t, sourcetest.MemoryCase{
		Open:    func(t *testing.T) source.Source { return openSource(t, sampleDB(t)) },
		Queries: []string{wideRow, wideRow},
		Want:    source.ErrMemoryLimit,
		Base:    sqliteBaseRSS + config.Source{}.EffectiveMaxMemory(),
	})
}

// BenchmarkStop: the time past query_timeout for a CPU-bound query (one
// printf of 1 MB a row, forever).
func BenchmarkStop(b *testing.B) {
	src := openSource(b, sampleDB(b))
	sourcetest.BenchStop(b, src, cpuBoundQueries[0].sql, 500*time.Millisecond, source.ErrTimeout, nil)
}
