package retrieve

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sort"
	"testing"
	"time"

	"github.com/askdb/askdb/internal/catalog"
)

// benchWords build generated identifiers; a warehouse reuses a vocabulary.
var benchWords = []string{
	"customer", "order", "item", "product", "invoice", "payment", "account", "ledger", "region", "country",
	"store", "employee", "department", "shipment", "carrier", "warehouse", "stock", "price", "discount", "tax",
	"campaign", "channel", "session", "event", "device", "user", "role", "contract", "vendor", "supplier",
	"claim", "policy", "premium", "agent", "branch", "loan", "rate", "balance", "currency", "status",
	"category", "brand", "segment", "score", "rating", "review", "ticket", "issue", "project", "task",
}

// warehouseCatalog generates tables×cols columns with foreign keys to
// earlier tables and a few sample values per table.
func warehouseCatalog(tables, cols int) *catalog.Catalog {
	r := rand.New(rand.NewPCG(1, 2))
	w := func() string { return benchWords[r.IntN(len(benchWords))] }
	cat := &catalog.Catalog{Dialect: catalog.Postgres}
	for i := range tables {
		t := catalog.Table{Schema: fmt.Sprintf("s%d", i%20), Name: fmt.Sprintf("%s_%s_%d", w(), w(), i),
			RowCount: -1, PrimaryKey: []string{"id"}, Comment: "Facts about " + w() + " and " + w()}
		t.Columns = append(t.Columns, catalog.Column{Name: "id", DBType: "bigint", Type: catalog.TypeInteger})
		for j := 1; j < cols; j++ {
			c := catalog.Column{Name: fmt.Sprintf("%s_%s", w(), w()), DBType: "text", Type: catalog.TypeText, Comment: "The " + w() + " " + w()}
			if j == 2 {
				c.Samples = []string{w() + " " + w(), fmt.Sprintf("code%d", i)}
			}
			t.Columns = append(t.Columns, c)
		}
		if i > 0 {
			ref := cat.Tables[r.IntN(i)]
			t.Columns[1].Name = ref.Name + "_id"
			t.ForeignKeys = []catalog.ForeignKey{{Columns: []string{t.Columns[1].Name}, RefSchema: ref.Schema, RefTable: ref.Name, RefColumns: []string{"id"}}}
		}
		cat.Tables = append(cat.Tables, t)
	}
	return cat
}

// BenchmarkLink10kTables measures Link on a 10,000-table, 150,000-column
// catalog. It reports the index build time, the heap in use after build,
// and Link's median latency; ns/op is the mean.
func BenchmarkLink10kTables(b *testing.B) {
	cat := warehouseCatalog(10_000, 15)
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	ix := Build(cat, Extra{})
	build := time.Since(start)
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	questions := []string{
		"total payment amount per customer region last year",
		"which vendor has the highest claim premium",
		"orders shipped by carrier in warehouse code4242 with discount",
		"average rating of product reviews by brand segment",
		"employees per department and branch with loan balance",
	}
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		t0 := time.Now()
		l := ix.Link(ctx, questions[i%len(questions)], Options{})
		lat = append(lat, time.Since(t0))
		if len(l.Tables) == 0 {
			b.Fatal("no tables linked")
		}
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(build.Seconds(), "build-s")
	b.ReportMetric(float64(after.HeapInuse)/(1<<20), "heap-MB")
	b.ReportMetric(float64(int64(after.HeapInuse)-int64(before.HeapInuse))/(1<<20), "index-MB")
	runtime.KeepAlive(ix)
}
