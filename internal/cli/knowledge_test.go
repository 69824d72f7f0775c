package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/enrich"
	"github.com/askdb/askdb/internal/store"
)

const knowledgeConfig = `sources:
  sample:
    kind: sample
    knowledge: [kn/sample.yaml]
store:
  path: data/askdb.db
`

// knowledgeEnv writes askdb.yaml with the example knowledge file beside it.
func knowledgeEnv(t *testing.T) string {
	t.Helper()
	dir := sampleEnv(t)
	writeConfig(t, dir, knowledgeConfig)
	data, err := os.ReadFile(filepath.Join("..", "..", "examples", "sample-knowledge.yaml"))
	if err != nil {
		// sampleEnv changed directory; find the file from the module root.
		data, err = os.ReadFile(filepath.Join(repoRoot(t), "examples", "sample-knowledge.yaml"))
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, "kn"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "kn", "sample.yaml"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

var moduleRoot string

func init() {
	if wd, err := os.Getwd(); err == nil {
		moduleRoot = filepath.Join(wd, "..", "..")
	}
}

func repoRoot(t *testing.T) string {
	t.Helper()
	if moduleRoot == "" {
		t.Skip("cannot locate the repository root")
	}
	return moduleRoot
}

func TestKnowledgeCheck(t *testing.T) {
	dir := knowledgeEnv(t)
	code, out, errOut := run(t, "", "knowledge", "check")
	if code != 0 || !strings.Contains(out, "consistent with the database") {
		t.Fatalf("check of the example file: code %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	path := filepath.Join(dir, "kn", "sample.yaml")
	data, _ := os.ReadFile(path)
	broken := strings.Replace(string(data), "  departments:\n    synonyms: [teams, units]", "  divisions:\n    synonyms: [teams, units]", 1)
	if broken == string(data) {
		t.Fatal("test setup: departments entry not found in the example file")
	}
	if err := os.WriteFile(path, []byte(broken), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, _ = run(t, "", "knowledge", "check", "--source", "sample")
	if code != 1 || !strings.Contains(out, filepath.Join("kn", "sample.yaml")+":") || !strings.Contains(out, `table "divisions"`) {
		t.Errorf("check of a broken file: code %d, want 1 with file:line of divisions\nstdout:\n%s", code, out)
	}
}

// TestKnowledgeCheckBuiltIn checks that the built-in sample, with no
// config, has the sample's knowledge and that it fits the database.
func TestKnowledgeCheckBuiltIn(t *testing.T) {
	sampleEnv(t)
	code, out, errOut := run(t, "", "knowledge", "check")
	if code != 0 || !strings.Contains(out, "consistent with the database") || !strings.Contains(out, "sample-knowledge.yaml (built in)") {
		t.Errorf("code %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
}

func TestKnowledgeCheckWithoutFiles(t *testing.T) {
	dir := sampleEnv(t)
	writeConfig(t, dir, "sources:\n  shop:\n    kind: sqlite\n    path: shop.db\n")
	if code, _, errOut := run(t, "", "knowledge", "check"); code != 2 || !strings.Contains(errOut, "no knowledge files") {
		t.Errorf("code %d, stderr %q; want 2 and a hint", code, errOut)
	}
}

// TestAskMetricWithNoConfig follows the questions on the built-in
// sample with no config and no model: the metric answers, and says which
// definition it used.
func TestAskMetricWithNoConfig(t *testing.T) {
	sampleEnv(t)
	for _, tc := range []struct{ question, want string }{
		{"What is the headcount?", "chosen by: metric: headcount (hr): employees who still work here"},
		{"What is the return rate?", "chosen by: metric: return rate (returns-processing)"},
		{"revenue by month in 2024", "GROUP BY strftime('%Y-%m', orders.order_date)"},
	} {
		code, out, errOut := run(t, "", "ask", "-q", tc.question)
		if code != 0 || !strings.Contains(out, tc.want) || !strings.Contains(out, "SQL (read-only query, EXPLAIN passed)") || !strings.Contains(out, "Definition used: ") {
			t.Errorf("%q: code %d\nstdout:\n%s\nstderr:\n%s", tc.question, code, out, errOut)
		}
	}
}

func TestEnrichAndFeedback(t *testing.T) {
	dir := knowledgeEnv(t)
	code, out, errOut := run(t, "", "enrich", "--top-k", "3")
	if code != 0 || !strings.Contains(out, "orders: ") || !strings.Contains(out, "status (5 values)") {
		t.Fatalf("enrich: code %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	ctx := context.Background()
	st, err := store.Open(ctx, config.Store{Path: filepath.Join(dir, "data", "askdb.db")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	snap, err := enrich.Load(ctx, st, "sample")
	if err != nil {
		t.Fatalf("snapshot saved by askdb enrich (store path relative to askdb.yaml): %v", err)
	}
	if snap.Options.TopK != 3 {
		t.Errorf("snapshot top-k = %d, want the flag's 3", snap.Options.TopK)
	}
	if err := st.SaveAnswer(ctx, store.AnswerRecord{ID: "ans1", Source: "sample", Question: "q"}); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name     string
		args     []string
		wantCode int
	}{
		{"up with comment", []string{"feedback", "ans1", "up", "--comment", "spot on", "--user", "ann"}, 0},
		{"down", []string{"feedback", "ans1", "down"}, 0},
		{"unknown answer", []string{"feedback", "nope", "up"}, 1},
		{"bad vote", []string{"feedback", "ans1", "sideways"}, 2},
		{"missing vote", []string{"feedback", "ans1"}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if code, out, errOut := run(t, "", tc.args...); code != tc.wantCode {
				t.Errorf("askdb %v: code %d, want %d\nstdout:\n%s\nstderr:\n%s", tc.args, code, tc.wantCode, out, errOut)
			}
		})
	}
	fb, err := st.FeedbackFor(ctx, "ans1")
	if err != nil {
		t.Fatal(err)
	}
	if len(fb) != 2 || fb[0].Vote != "up" || fb[0].Comment != "spot on" || fb[0].User != "ann" || fb[1].Vote != "down" {
		t.Errorf("stored feedback = %+v", fb)
	}
}
