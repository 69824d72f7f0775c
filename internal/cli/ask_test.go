package cli_test

import (
	"encoding/json"
	"github.com/askdb/askdb/internal/dbtest"
	"strings"
	"testing"

	"github.com/askdb/askdb/internal/llm/llmtest"
)

// TestAskWithOpenAICompatibleServer follows the README's path for a new
// user with only an OpenAI-compatible server: ASKDB_MODEL and
// OPENAI_BASE_URL, no config file, the built-in sample database.
func TestAskWithOpenAICompatibleServer(t *testing.T) {
	sampleEnv(t)
	srv := scriptedOpenAI(t)

	code, out, errOut := run(t, "", "ask", "--trace", "Roughly how many of our people started before 1990?")
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for _, w := range []string{"SQL (read-only query, EXPLAIN passed)", "chosen by: model: qwen2.5-coder:7b", "hire_date < '1990-01-01'", "hired_before_1990", "35 employees were hired before 1990.", "2 model calls"} {
		if !strings.Contains(out, w) {
			t.Errorf("stdout lacks %q:\n%s", w, out)
		}
	}
	for _, w := range []string{"finding tables…", "writing SQL…", "checking…", "running…"} {
		if !strings.Contains(errOut, w) {
			t.Errorf("progress on stderr lacks %q:\n%s", w, errOut)
		}
	}
	if got := srv.Requests()[0].Model; got != "qwen2.5-coder:7b" {
		t.Errorf("model sent = %q", got)
	}

	scriptedOpenAI(t)
	code, out, _ = run(t, "", "ask", "--json", "-q", "Roughly how many of our people started before 1990?")
	var ans struct {
		Outcome    string
		SQL        string
		Rows       [][]any
		ModelCalls int `json:"model_calls"`
		Steps      []struct{ Name string }
	}
	if code != 0 || json.Unmarshal([]byte(out), &ans) != nil || ans.Outcome != "answered" || len(ans.Steps) < 7 {
		t.Fatalf("--json (exit %d):\n%s", code, out)
	}
}

// scriptedOpenAI starts a scripted OpenAI-compatible server for one
// question and points ASKDB_MODEL at it.
func scriptedOpenAI(t *testing.T) *llmtest.Server {
	srv := llmtest.NewOpenAI(t,
		llmtest.Text("```sql\nSELECT count(*) AS hired_before_1990 FROM employees WHERE hire_date < '1990-01-01'\n```\nCounts early hires.", 900, 30),
		llmtest.Text("35 employees were hired before 1990.", 80, 10),
	)
	t.Setenv("ASKDB_MODEL", "openai:qwen2.5-coder:7b")
	t.Setenv("OPENAI_BASE_URL", srv.BaseURL())
	return srv
}

// TestAskOfflineFirst checks auto mode: a question the offline engine can
// answer is answered without writing SQL with the model (only the summary
// uses it), and the answer says which engine answered.
func TestAskOfflineFirst(t *testing.T) {
	sampleEnv(t)
	srv := scriptedOpenAI(t)
	code, out, _ := run(t, "", "ask", "--json", "-q", "How many customers are there?")
	var ans struct {
		Outcome    string
		Engine     string
		ModelCalls int `json:"model_calls"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &ans) != nil || ans.Outcome != "answered" || ans.Engine != "offline" {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	for _, r := range srv.Requests() {
		if strings.Contains(string(r.Body), "Answer the user's question with exactly ONE read-only SQL query") {
			t.Errorf("the model was asked to write SQL for a question the offline engine answers")
		}
	}
}

// TestEvalExecWithModel runs the execution-accuracy harness with a model
// (a scripted OpenAI-compatible server) on a slice of Spider.
func TestEvalExecWithModel(t *testing.T) {
	data := dbtest.Dataset(t, "spider-dev")
	dbtest.DatasetFile(t, "spider-dev", "dev.json")
	sampleEnv(t)
	srv := llmtest.NewOpenAI(t, llmtest.Text("```sql\nSELECT count(*) FROM singer\n```", 50, 10))
	t.Setenv("ASKDB_MODEL", "openai:m")
	t.Setenv("OPENAI_BASE_URL", srv.BaseURL())
	code, out, errOut := run(t, "", "eval", "exec", "--dataset", "spider", "--data", data, "--engine", "model", "--db", "concert_singer", "--limit", "3", "--json")
	var rep struct {
		Questions  int `json:"questions"`
		Answered   int `json:"answered"`
		ModelCalls int `json:"model_calls"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &rep) != nil || rep.Questions != 3 || rep.ModelCalls < 3 || srv.Count() < 3 {
		t.Fatalf("exit %d, report %+v, server calls %d\n%s\n%s", code, rep, srv.Count(), out, errOut)
	}
	t.Setenv("ASKDB_MODEL", "")
	if code, _, errOut := run(t, "", "eval", "exec", "--dataset", "spider", "--data", data, "--engine", "model", "--limit", "1"); code != 2 || !strings.Contains(errOut, "needs a model") {
		t.Errorf("without a model: exit %d, %s", code, errOut)
	}
}
