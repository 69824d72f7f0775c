//go:build duckdb

package duckdb

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/source/sourcetest"
)

// BenchmarkOpen measures what the snapshot costs at start: open (copy a
// 100,000-row CSV into the snapshot, open it locked) and close. It reports
// the CSV and snapshot sizes.
func BenchmarkOpen(b *testing.B) {
	csv := filepath.Join(b.TempDir(), "orders.csv")
	var body strings.Builder
	body.WriteString("order_id,customer,status,total,ordered_on\n")
	for i := range 100_000 {
		fmt.Fprintf(&body, "%d,customer %d,%s,%d.%02d,2025-%02d-%02d\n", i, i%5000, []string{"pending", "shipped", "returned"}[i%3], i%997, i%100, i%12+1, i%28+1)
	}
	if err := os.WriteFile(csv, []byte(body.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	cfg := config.Source{Kind: Kind, Files: map[string]string{"orders": csv}}
	var snapshotBytes int64
	b.ResetTimer()
	for b.Loop() {
		src, err := source.Open(context.Background(), "files", cfg, source.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if info, err := os.Stat(filepath.Join(src.(*Source).snapshotDir, snapshotFile)); err == nil {
			snapshotBytes = info.Size()
		}
		src.Close()
	}
	b.ReportMetric(float64(body.Len()), "csv-bytes")
	b.ReportMetric(float64(snapshotBytes), "snapshot-bytes")
}

// The per-query overhead, comparable with the other kinds' BenchmarkQuery*:
// a fresh locked-down connection is opened and checked for every query.
func BenchmarkQuery1Row(b *testing.B) {
	_, files := sampleFiles(b)
	src := openSource(b, config.Source{Files: files})
	sourcetest.BenchQuery(b, src, "SELECT name, email, signup_date FROM customers WHERE customer_id = 42", 1)
}

func BenchmarkQuery10000Rows(b *testing.B) {
	_, files := sampleFiles(b)
	src := openSource(b, config.Source{Files: files})
	sourcetest.BenchQuery(b, src, "SELECT order_id, line_no, product_id, quantity, unit_price FROM order_items LIMIT 10000", 10000)
}
