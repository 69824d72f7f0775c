package sqlguard

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
	pg "github.com/pganalyze/pg_query_go/v6"
)

// A typical analytic query: three joins, a filter, grouping, ordering.
const benchQuery = `SELECT c.region, p.category, SUM(o.quantity * o.unit_price) AS revenue, COUNT(DISTINCT c.id) AS buyers
FROM orders o
JOIN customers c ON c.id = o.customer_id
JOIN products p ON p.id = o.product_id
JOIN stores s ON s.id = o.store_id
WHERE o.status = 'shipped' AND s.country = 'DE'
GROUP BY c.region, p.category
ORDER BY revenue DESC
LIMIT 20`

// BenchmarkCheck measures the guard on benchQuery in each dialect, in the
// two row-cap shapes: "tighten" lowers the query's own LIMIT 20 to the cap,
// "append" adds a LIMIT to the same query written without one.
//
//	go test ./internal/sqlguard -run '^$' -bench Check -count 6 | tee new.txt
//	benchstat old.txt new.txt
func BenchmarkCheck(b *testing.B) {
	shapes := []struct {
		name, sql string
		max       int
	}{
		{"tighten", benchQuery, 10},
		{"append", strings.TrimSuffix(benchQuery, "\nLIMIT 20"), 1000},
	}
	for _, d := range catalog.Dialects() {
		for _, s := range shapes {
			b.Run(string(d)+"/"+s.name, func(b *testing.B) {
				opts := Options{Dialect: d, MaxRows: s.max, Policy: config.Policy{Deny: []string{"customers.email"}}}
				if v := Check(s.sql, opts); !v.Accepted || !v.Limited {
					b.Fatalf("bench query refused or not capped: %+v", v)
				}
				b.ReportAllocs()
				var times []time.Duration
				for b.Loop() {
					start := time.Now()
					Check(s.sql, opts)
					times = append(times, time.Since(start))
				}
				// p50 next to ns/op (the mean): a GC pause or a slow call moves
				// the mean but not the median.
				slices.Sort(times)
				b.ReportMetric(float64(times[len(times)/2].Nanoseconds()), "p50-ns")
			})
		}
	}
}

// BenchmarkPostgresParser measures libpg_query alone on benchQuery, the floor
// under BenchmarkCheck/postgres: "json" is the parse the guard uses,
// "json+read" adds reading it into a tree, "protobuf" is the form it
// replaced (see pgtree.go).
func BenchmarkPostgresParser(b *testing.B) {
	b.Run("json", func(b *testing.B) {
		for b.Loop() {
			if _, err := pg.ParseToJSON(benchQuery); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("json+read", func(b *testing.B) {
		for b.Loop() {
			if _, r := pgParse(benchQuery); r != nil {
				b.Fatal(r)
			}
		}
	})
	b.Run("protobuf", func(b *testing.B) {
		for b.Loop() {
			if _, err := pg.Parse(benchQuery); err != nil {
				b.Fatal(err)
			}
		}
	})
}
