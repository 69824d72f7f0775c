package sqlguard

import (
	"strconv"
	"strings"
	"testing"

	"github.com/askdb/askdb/internal/catalog"
)

// BenchmarkCheckTrinoLarge measures the Trino guard on large but legitimate
// queries (BenchmarkCheck/trino has the typical one): a 5,000-value IN
// list and a UNION ALL of 50 aggregates, each near the size limits a model
// could produce.
//
//	go test ./internal/sqlguard -run '^$' -bench CheckTrinoLarge -count 6
func BenchmarkCheckTrinoLarge(b *testing.B) {
	in := make([]string, 5000)
	for i := range in {
		in[i] = strconv.Itoa(i)
	}
	parts := make([]string, 50)
	for i := range parts {
		parts[i] = "SELECT '" + strconv.Itoa(i) + "' AS k, count(*) AS n, approx_distinct(c.id) AS u FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.region = 'r" + strconv.Itoa(i) + "'"
	}
	shapes := []struct{ name, sql string }{
		{"in-list-5000", "SELECT id, amount FROM orders WHERE id IN (" + strings.Join(in, ", ") + ")"},
		{"union-50", strings.Join(parts, "\nUNION ALL\n")},
	}
	for _, s := range shapes {
		b.Run(s.name, func(b *testing.B) {
			opts := Options{Dialect: catalog.Trino, MaxRows: 100}
			if v := Check(s.sql, opts); !v.Accepted {
				b.Fatalf("refused: %s", v.Message)
			}
			b.SetBytes(int64(len(s.sql)))
			b.ReportAllocs()
			for b.Loop() {
				Check(s.sql, opts)
			}
		})
	}
}
