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
