package eval

import (
	"context"
	"testing"
)

// TestRouteAccuracy routes every question of each dataset with all its
// databases configured at once, and fails when accuracy drops below the
// issue's targets (top1 ≥ 0.95, top3 ≥ 0.99, wrong ≤ 0.02) on the
// validation sets, or below floors just under the measured figures on
// Spider's train split (138 databases, where the thresholds were tuned).
func TestRouteAccuracy(t *testing.T) {
	tests := []struct {
		name              string
		dir               string
		load              func(string) (*Dataset, error)
		minTop1, minTop3  float64
		maxWrong, maxClar float64
	}{
		{name: "spider dev", dir: "spider-dev", minTop1: 0.95, minTop3: 0.99, maxWrong: 0.02, maxClar: 0.10},
		{name: "bird mini-dev", dir: "bird-minidev", load: LoadBIRD, minTop1: 0.95, minTop3: 0.99, maxWrong: 0.02, maxClar: 0.10},
		{name: "spider train", dir: "spider-train", minTop1: 0.78, minTop3: 0.91, maxWrong: 0.02, maxClar: 0.40},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := sharedDatasets(t, tc.dir)
			load := tc.load
			if load == nil {
				load = func(dir string) (*Dataset, error) {
					return LoadSpiderWith(context.Background(), dir, LoadOptions{Samples: 20})
				}
			}
			ds, err := load(dir)
			if err != nil {
				t.Fatal(err)
			}
			rep := EvaluateRoute(context.Background(), ds, RouteOptions{})
			t.Logf("%s: %d questions, %d sources: top1 %.3f top3 %.3f clarified %.3f wrong %.3f p50 %.3f ms",
				tc.name, rep.Questions, rep.Sources, rep.Top1, rep.Top3, rep.Clarified, rep.Wrong, rep.P50ms)
			if rep.Questions != len(ds.Questions) || rep.Sources != len(ds.Databases) {
				t.Fatalf("routed %d of %d questions over %d of %d sources", rep.Questions, len(ds.Questions), rep.Sources, len(ds.Databases))
			}
			if rep.Top1 < tc.minTop1 || rep.Top3 < tc.minTop3 || rep.Wrong > tc.maxWrong || rep.Clarified > tc.maxClar {
				t.Errorf("top1 %.3f (min %.2f), top3 %.3f (min %.2f), wrong %.3f (max %.2f), clarified %.3f (max %.2f)",
					rep.Top1, tc.minTop1, rep.Top3, tc.minTop3, rep.Wrong, tc.maxWrong, rep.Clarified, tc.maxClar)
			}
			if sum := rep.Correct + rep.Clarified + rep.Wrong + rep.NoMatch; sum < 0.999 || sum > 1.001 {
				t.Errorf("correct, clarified, wrong and no match should partition the questions: they sum to %f", sum)
			}
		})
	}
}
