package cli_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/askdb/askdb/internal/llm/llmtest"
	"github.com/askdb/askdb/internal/sample"
	"github.com/askdb/askdb/internal/source/sourcetest"
)

// TestAskWithSageMakerEndpoint follows docs/aws.md: a model of kind
// sagemaker in askdb.yaml (payload: tgi) answers a question on the sample
// database, through the real SDK client and a local sagemaker-runtime.
func TestAskWithSageMakerEndpoint(t *testing.T) {
	dir := sampleEnv(t)
	llmtest.AWSEnv(t)
	srv := llmtest.NewSageMaker(t,
		llmtest.Text("```sql\nSELECT count(*) AS hired_before_1990 FROM employees WHERE hire_date < '1990-01-01'\n```\nCounts early hires.", 900, 30),
		llmtest.Text("35 employees were hired before 1990.", 80, 10),
	)
	db := filepath.Join(dir, "sample.db")
	if err := sample.EnsureSQLite(context.Background(), db, sourcetest.Options()); err != nil {
		t.Fatal(err)
	}
	t.Setenv("ASKDB_CONFIG", writeConfig(t, dir, `sources:
  sample:
    kind: sqlite
    path: `+db+`
models:
  sql:
    kind: sagemaker
    model: jumpstart-dft-llama-3-1-8b-instruct
    payload: tgi
    region: eu-west-1
    base_url: `+srv.BaseURL()+`
ask:
  sql_model: sql
  engine: model
`))
	code, out, errOut := run(t, "", "ask", "--json", "-q", "Roughly how many of our people started before 1990?")
	var ans struct {
		Outcome    string
		SQL        string
		ModelCalls int `json:"model_calls"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &ans) != nil || ans.Outcome != "answered" || !strings.Contains(ans.SQL, "hire_date < '1990-01-01'") {
		t.Fatalf("exit %d, answer %+v\nstdout:\n%s\nstderr:\n%s", code, ans, out, errOut)
	}
	reqs := srv.Requests()
	if len(reqs) == 0 || reqs[0].Model != "jumpstart-dft-llama-3-1-8b-instruct" || !strings.Contains(string(reqs[0].Body), `"inputs":`) {
		t.Errorf("requests %+v: want InvokeEndpoint calls with a TGI body on the configured endpoint", reqs)
	}
}
