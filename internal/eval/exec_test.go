package eval

import (
	"context"
	"encoding/json"
	"github.com/askdb/askdb/internal/dbtest"
	"os"
	"path/filepath"
	"testing"
)

// spiderDir locates the shared Spider dev set relative to the repo.
func spiderDir(t *testing.T) string {
	t.Helper()
	dir := dbtest.Dataset(t, "spider-dev")
	dbtest.DatasetFile(t, "spider-dev", "dev.json")
	return dir
}

// TestExecSpiderSlice runs the offline engine and the gold SQL through the
// real pipeline on two Spider databases. Gold must score 1.0 (the harness
// and guard accept every gold query); the offline engine must keep its
// answered precision above a floor while answering some questions.
func TestExecSpiderSlice(t *testing.T) {
	dir := spiderDir(t)
	ds, err := LoadSpider(dir)
	if err != nil {
		t.Fatal(err)
	}
	dbs := []string{"concert_singer", "pets_1"}
	if db := os.Getenv("ASKDB_EVAL_DB"); db != "" {
		dbs = []string{db}
		if db == "all" {
			dbs = []string{""}
		}
	}
	for _, db := range dbs {
		for _, engine := range []string{ExecGold, ExecOffline} {
			rep, err := EvaluateExec(context.Background(), ds, ExecOptions{Engine: engine, DatabaseDir: filepath.Join(dir, "database"), DB: db, Items: true})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s %s: %d questions, %d answered, %d correct, precision %.3f", db, engine, rep.Questions, rep.Answered, rep.Correct, rep.AnsweredPrecision)
			if out := os.Getenv("ASKDB_EVAL_DUMP"); out != "" && engine == ExecOffline {
				data, _ := json.MarshalIndent(rep, "", " ")
				_ = os.WriteFile(out, data, 0o644)
			}
			switch engine {
			case ExecGold:
				if rep.Correct != rep.Questions {
					for _, it := range rep.Items {
						if !it.Correct {
							t.Errorf("gold query %d not scored correct: %s (%s)", it.ID, it.Gold, it.Message)
						}
					}
				}
			case ExecOffline:
				if rep.Answered == 0 || rep.AnsweredPrecision < 0.85 {
					for _, it := range rep.Items {
						if it.Answered && !it.Correct {
							t.Logf("wrong: %q\n  ours: %s\n  gold: %s", it.Question, it.SQL, it.Gold)
						}
					}
					t.Errorf("%s offline: answered %d, precision %.3f; want some answers at precision >= 0.85", db, rep.Answered, rep.AnsweredPrecision)
				}
			}
		}
	}
}
