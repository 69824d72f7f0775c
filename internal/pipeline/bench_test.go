package pipeline_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/llm/llmtest"
	"github.com/askdb/askdb/internal/pipeline"
	"github.com/askdb/askdb/internal/sample"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/source/sourcetest"
)

// BenchmarkAsk measures the pipeline's own overhead on the SQLite sample:
// prompt building, the SDK round trip to a zero-latency local model
// server, guard, EXPLAIN, execution and summary. Model latency is zero,
// so ns/op is askdb's cost per answered question.
//
//	go test ./internal/pipeline -run '^$' -bench Ask -benchmem -count 6 | tee new.txt; benchstat old.txt new.txt
func BenchmarkAsk(b *testing.B) {
	path := filepath.Join(b.TempDir(), "sample.db")
	if err := sample.EnsureSQLite(context.Background(), path, sourcetest.Options()); err != nil {
		b.Fatal(err)
	}
	queries := map[string]string{
		// A trivial query isolates askdb's own overhead.
		"count": "SELECT count(*) AS employees FROM employees",
		// A realistic one adds the database's own work (a join and a group by over 5k orders).
		"join-aggregate": "SELECT c.country, count(*) AS orders, sum(o.total) AS revenue FROM orders o JOIN customers c ON c.customer_id = o.customer_id WHERE o.status <> 'cancelled' GROUP BY c.country ORDER BY revenue DESC",
	}
	questions := map[string]string{
		"count":          "How many employees are there?",
		"join-aggregate": "What is the revenue of orders by customer country?",
	}
	for _, name := range []string{"count", "join-aggregate"} {
		b.Run(name, func(b *testing.B) { benchAsk(b, path, questions[name], queries[name]) })
	}
}

func benchAsk(b *testing.B, path, question, query string) {
	benchAskSource(b, config.Source{Kind: "sqlite", Path: path}, question, query)
}

// benchAskSource measures Ask on the sample loaded into src.
func benchAskSource(b *testing.B, src config.Source, question, query string) {
	sqlModel, sqlSrv := scriptedModel(b, sqlReply(query))
	fastModel, fastSrv := scriptedModel(b, llmtest.Text("A one-sentence answer.", 10, 5))
	set := source.NewSet(&config.Config{Sources: map[string]config.Source{"sample": src}}, nil)
	b.Cleanup(func() { set.Close() })
	p := pipeline.New(pipeline.Options{Sources: set, SQLModel: sqlModel, FastModel: fastModel, RepairAttempts: 2, Summary: true})
	ctx := context.Background()
	// Warm the catalog cache: introspection happens once per source.
	if _, err := p.Ask(ctx, pipeline.Request{Question: question}); err != nil {
		b.Fatal(err)
	}
	calls := sqlSrv.Count() + fastSrv.Count()
	b.ResetTimer()
	b.ReportAllocs()
	var total, guard []time.Duration
	for b.Loop() {
		start := time.Now()
		ans, err := p.Ask(ctx, pipeline.Request{Question: question})
		if err != nil || ans.Outcome != pipeline.Answered {
			b.Fatalf("outcome %q, err %v", ans.Outcome, err)
		}
		total = append(total, time.Since(start))
		guard = append(guard, stepTime(ans, "guard"))
	}
	b.ReportMetric(float64(sqlSrv.Count()+fastSrv.Count()-calls)/float64(b.N), "model-calls/op")
	// Medians next to ns/op (the mean), which a loaded machine's stalls
	// move: the whole answer, and the guard step's share of it.
	b.ReportMetric(float64(median(total).Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(median(guard).Nanoseconds()), "guard-p50-ns")
}

// stepTime is the time an answer spent in the steps called name.
func stepTime(a *pipeline.Answer, name string) time.Duration {
	var d time.Duration
	for _, s := range a.Steps {
		if s.Name == name {
			d += s.Duration
		}
	}
	return d
}

func median(ds []time.Duration) time.Duration {
	slices.Sort(ds)
	return ds[len(ds)/2]
}
