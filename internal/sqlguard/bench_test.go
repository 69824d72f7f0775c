package sqlguard

import (
	"slices"
	"testing"
	"time"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
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

func BenchmarkCheck(b *testing.B) {
	for _, d := range catalog.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			opts := Options{Dialect: d, MaxRows: 10, Policy: config.Policy{Deny: []string{"customers.email"}}}
			if v := Check(benchQuery, opts); !v.Accepted {
				b.Fatalf("bench query refused: %s", v.Message)
			}
			b.ReportAllocs()
			var times []time.Duration
			for b.Loop() {
				start := time.Now()
				Check(benchQuery, opts)
				times = append(times, time.Since(start))
			}
			// p50 next to ns/op (the mean): a GC pause or a slow call moves
			// the mean but not the median.
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Nanoseconds()), "p50-ns")
		})
	}
}
