package eval

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/askdb/askdb/internal/dbtest"
)

// TestThresholds checks the threshold search on a made-up run: the lowest
// confidence whose answers at or above it reach the target, never one
// resting on fewer than minThresholdSupport answers.
func TestThresholds(t *testing.T) {
	var as []scored
	add := func(n int, conf float64, wrong int) {
		for k := 0; k < n; k++ {
			as = append(as, scored{conf: conf, correct: k >= wrong})
		}
	}
	add(10, 0.99, 0) // too few alone to set a threshold
	add(90, 0.9, 1)  // with the above: 99 of 100
	add(100, 0.8, 8) // with the above: 191 of 200
	add(50, 0.5, 25)
	got := map[float64]Threshold{}
	for _, th := range thresholds(as, 1000) {
		got[th.Target] = th
	}
	if th := got[0.99]; !th.Found || th.Confidence != 0.9 || th.Answered != 100 || th.Correct != 99 || th.Coverage != 0.1 {
		t.Errorf("0.99: %+v; want confidence 0.9 over 100 answers, 99 correct, coverage 0.1", th)
	}
	if th := got[0.95]; !th.Found || th.Confidence != 0.8 || th.Answered != 200 {
		t.Errorf("0.95: %+v; want confidence 0.8 over 200 answers", th)
	}
	b := reliability(as)
	if b[len(b)-1].Answered != 10 || b[len(b)-2].Answered != 90 || b[len(b)-2].Correct != 89 {
		t.Errorf("top buckets %+v, %+v; want 10 at 0.95+ and 89 of 90 at 0.90-0.95", b[len(b)-1], b[len(b)-2])
	}
}

// TestLoadSpiderSplit checks that a Spider folder is read by split, and
// that one holding only train.json is read without being told.
func TestLoadSpiderSplit(t *testing.T) {
	dir := dbtest.Dataset(t, "spider-train")
	dbtest.DatasetFile(t, "spider-train", "train.json")
	ds, err := LoadSpider(dir)
	if err != nil || len(ds.Questions) < 1000 {
		t.Fatalf("LoadSpider(train folder): %v, %d questions", err, len(ds.Questions))
	}
	if _, err := LoadSpiderSplit(dir, SplitDev); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("split dev of the train folder: %v; want a missing-file error", err)
	}
	if _, err := LoadSpiderSplit(dir, "test"); err == nil {
		t.Error("split test: no error")
	}
}

// TestExecSpiderTrainSlice runs the offline engine at its default
// threshold on three spider-train databases (the full run is the
// eval-offline-train make target): a regression floor on precision, not a
// measurement.
func TestExecSpiderTrainSlice(t *testing.T) {
	dir := dbtest.Dataset(t, "spider-train")
	dbtest.DatasetFile(t, "spider-train", "train.json")
	ds, err := LoadSpider(dir)
	if err != nil {
		t.Fatal(err)
	}
	answered, correct := 0, 0
	for _, db := range []string{"election", "farm", "flight_1"} {
		rep, err := EvaluateExec(context.Background(), ds, ExecOptions{Engine: ExecOffline, DatabaseDir: filepath.Join(dir, "database"), DB: db, Items: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range rep.Items {
			if it.Answered && !it.Correct {
				t.Logf("wrong: %q\n  ours: %s\n  gold: %s", it.Question, it.SQL, it.Gold)
			}
		}
		answered, correct = answered+rep.Answered, correct+rep.Correct
	}
	if answered < 10 || ratio(correct, answered) < 0.95 {
		t.Errorf("answered %d, correct %d; want at least 10 answers at precision >= 0.95", answered, correct)
	}
}
