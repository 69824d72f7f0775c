package eval

import (
	"context"
	"github.com/askdb/askdb/internal/dbtest"
	"os"
	"testing"
)

// sharedDatasets locates ../shared/datasets from the repository root, or
// skips the test: a fresh clone has no datasets beside it.
func sharedDatasets(t *testing.T, name string) string {
	t.Helper()
	return dbtest.Dataset(t, name)
}

// TestLinkingRecall runs the retriever on a bounded slice of each dataset
// and fails when recall drops below floors set slightly under the measured
// figures (see internal/retrieve/doc.go), or the prompt grows past them.
func TestLinkingRecall(t *testing.T) {
	tests := []struct {
		name                string
		load                func(string) (*Dataset, error)
		dir                 string
		limit               int
		minTable, minStrict float64
		maxRatio            float64
	}{
		{name: "bird", load: LoadBIRD, dir: "bird-minidev", limit: 100, minTable: 0.95, minStrict: 0.89, maxRatio: 0.27},
		{name: "spider", load: LoadSpider, dir: "spider-dev", limit: 100, minTable: 0.96, minStrict: 0.81, maxRatio: 0.62},
		{name: "spider with samples", load: func(dir string) (*Dataset, error) {
			return LoadSpiderWith(context.Background(), dir, LoadOptions{Samples: 50})
		}, dir: "spider-dev", limit: 100, minTable: 0.98, minStrict: 0.83, maxRatio: 0.63},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ds, err := tc.load(sharedDatasets(t, tc.dir))
			if err != nil {
				t.Fatal(err)
			}
			limit := tc.limit
			if os.Getenv("ASKDB_EVAL_ALL") != "" {
				limit = 0
			}
			rep, err := EvaluateLinking(context.Background(), ds, LinkingOptions{Limit: limit, Misses: os.Getenv("ASKDB_EVAL_MISSES") != ""})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("\n%s", rep.Summary())
			for _, m := range rep.Misses {
				t.Logf("miss %s #%d: %s\n   missing %v linked %v", m.DB, m.ID, m.Question, m.Missing, m.Linked)
			}
			if rep.TableRecall < tc.minTable || rep.StrictRecall < tc.minStrict || rep.TokenRatio > tc.maxRatio {
				t.Errorf("table recall %.3f (floor %.2f), strict %.3f (floor %.2f), token ratio %.3f (ceiling %.2f)",
					rep.TableRecall, tc.minTable, rep.StrictRecall, tc.minStrict, rep.TokenRatio, tc.maxRatio)
			}
			if rep.Unresolved > rep.Questions/20 {
				t.Errorf("%d of %d gold queries resolved to no table: the SQL tokenizer is failing", rep.Unresolved, rep.Questions)
			}
		})
	}
}
