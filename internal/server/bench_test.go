package server

import (
	"context"
	"io"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/llm/llmtest"
	"github.com/askdb/askdb/internal/store"
)

// BenchmarkServe is the load test: 50 concurrent clients on loopback post
// questions (answered through a zero-latency scripted model) or SQL,
// through the whole stack: HTTP, limits, pipeline, SQLite, store. It
// reports throughput, p50/p99 latency and the heap in use, and fails on
// any non-200 answer.
//
//	go test -run '^$' -bench BenchmarkServe -benchtime 10s ./internal/server/
func BenchmarkServe(b *testing.B) {
	for _, bc := range []struct {
		name, path, body string
		bank             bool // the question is a verified one: no model call
	}{
		{"sql", "/api/sql", `{"sql":"SELECT country, COUNT(*) AS n FROM customers GROUP BY country"}`, false},
		{"ask", "/api/ask", `{"question":"how many customers per country?"}`, false},
		{"bank", "/api/ask", `{"question":"How many customers do we have in each country?"}`, true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			e := newEnv(b, []llmtest.Reply{sqlReply(countrySQL)}, withServer(func(c *config.Server) {
				c.RequestsPerMinute, c.MaxConcurrent = 1_000_000, 1000
			}))
			if bc.bank {
				entry := store.BankEntry{Source: "sample", Question: "How many customers do we have in each country?", SQL: countrySQL, Origin: store.OriginFeedback}
				if err := e.store.AddBankEntry(context.Background(), entry); err != nil {
					b.Fatal(err)
				}
			}
			calls := e.model.Count()
			tr := &http.Transport{MaxIdleConnsPerHost: 64, MaxConnsPerHost: 64}
			client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
			defer tr.CloseIdleConnections()

			const clients = 50
			b.SetParallelism((clients + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
			var mu sync.Mutex
			var lat []time.Duration
			var failures atomic.Int64
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				local := make([]time.Duration, 0, 1024)
				for pb.Next() {
					t0 := time.Now()
					resp, err := client.Post(e.ts.URL+bc.path, "application/json", strings.NewReader(bc.body))
					if err != nil {
						failures.Add(1)
						continue
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						failures.Add(1)
					}
					local = append(local, time.Since(t0))
				}
				mu.Lock()
				lat = append(lat, local...)
				mu.Unlock()
			})
			elapsed := time.Since(start)
			b.StopTimer()
			if n := failures.Load(); n > 0 {
				b.Fatalf("%d of %d requests failed", n, b.N)
			}
			slices.Sort(lat)
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
			b.ReportMetric(float64(percentile(lat, 0.50).Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(percentile(lat, 0.99).Microseconds())/1000, "p99-ms")
			b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MiB")
			if bc.bank && e.model.Count() != calls {
				b.Fatalf("bank answers called the model %d times", e.model.Count()-calls)
			}
		})
	}
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(float64(len(sorted))*p))]
}
