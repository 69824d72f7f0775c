package awslambda_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/askdb/askdb/internal/awslambda"
	"github.com/askdb/askdb/internal/llm/llmtest"
)

func event(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// startFunction runs askdb lambda against a local Runtime API.
func startFunction(t *testing.T) *runtimeAPI {
	t.Helper()
	rt := newRuntimeAPI(t)
	model := llmtest.NewOpenAI(t, llmtest.Text("```sql\nSELECT count(*) AS n FROM employees\n```", 10, 5))
	cmd := askdbCmd(t, map[string]string{
		"AWS_LAMBDA_RUNTIME_API": rt.hostPort(),
		"ASKDB_MODEL":            "openai:m", "OPENAI_BASE_URL": model.BaseURL(), "OPENAI_API_KEY": "test",
		"ASKDB_DATA_DIR": t.TempDir(),
	}, "lambda")
	var logs strings.Builder
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("start askdb lambda: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("function output:\n%s", logs.String())
		}
	})
	return rt
}

func TestLambdaEndToEnd(t *testing.T) {
	rt := startFunction(t)

	t.Run("API Gateway REST", func(t *testing.T) {
		var resp struct {
			StatusCode        int                 `json:"statusCode"`
			Headers           map[string]string   `json:"headers"`
			MultiValueHeaders map[string][]string `json:"multiValueHeaders"`
			Body              string              `json:"body"`
			IsBase64Encoded   bool                `json:"isBase64Encoded"`
		}
		rt.invokeJSON(t, event(t, "apigw-v1-sources.json"), &resp)
		if resp.StatusCode != 200 || resp.IsBase64Encoded || !strings.HasPrefix(resp.Headers["Content-Type"], "application/json") {
			t.Fatalf("response = %+v", resp)
		}
		if !strings.Contains(resp.Body, `"sample"`) || len(resp.MultiValueHeaders["Content-Type"]) != 1 {
			t.Errorf("body = %s, want the sample source", resp.Body)
		}
	})
	t.Run("HTTP API with a stage and a base64 body", func(t *testing.T) {
		var resp struct {
			StatusCode int               `json:"statusCode"`
			Headers    map[string]string `json:"headers"`
			Body       string            `json:"body"`
		}
		rt.invokeJSON(t, event(t, "apigw-v2-sql.json"), &resp)
		var ans struct {
			Outcome string  `json:"outcome"`
			Rows    [][]any `json:"rows"`
		}
		if err := json.Unmarshal([]byte(resp.Body), &ans); err != nil || resp.StatusCode != 200 {
			t.Fatalf("status %d body %s", resp.StatusCode, resp.Body)
		}
		if diff := cmp.Diff([][]any{{float64(9)}}, ans.Rows); diff != "" || ans.Outcome != "answered" {
			t.Errorf("outcome %q rows (-want +got):\n%s", ans.Outcome, diff)
		}
	})
	t.Run("function URL", func(t *testing.T) {
		var resp struct {
			StatusCode int `json:"statusCode"`
		}
		rt.invokeJSON(t, event(t, "function-url-healthz.json"), &resp)
		if resp.StatusCode != 200 {
			t.Errorf("healthz status = %d", resp.StatusCode)
		}
	})
	t.Run("agent function execute-sql", func(t *testing.T) {
		var resp awslambda.AgentResponse
		rt.invokeJSON(t, event(t, "agent-function-execute-sql.json"), &resp)
		body := checkFunctionResponse(t, resp, "execute-sql", "execute-sql", "")
		if diff := cmp.Diff([]any{[]any{float64(9)}}, body["rows"]); diff != "" || body["executed"] != true {
			t.Errorf("rows (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(map[string]string{"team": "finance"}, resp.SessionAttributes); diff != "" {
			t.Errorf("session attributes not echoed (-want +got):\n%s", diff)
		}
	})
	t.Run("agent function refuses a write", func(t *testing.T) {
		var resp awslambda.AgentResponse
		rt.invokeJSON(t, event(t, "agent-function-execute-sql-delete.json"), &resp)
		body := checkFunctionResponse(t, resp, "execute-sql", "execute-sql", awslambda.StateReprompt)
		if msg, _ := body["error"].(string); !strings.Contains(msg, "refused") {
			t.Errorf("error = %q, want it to say the query was refused", msg)
		}
		// The database is unchanged.
		ev := strings.Replace(string(event(t, "agent-function-execute-sql.json")), "SELECT count(*) AS n FROM departments", "SELECT count(*) AS n FROM customers", 1)
		var after awslambda.AgentResponse
		rt.invokeJSON(t, []byte(ev), &after)
		body = checkFunctionResponse(t, after, "execute-sql", "execute-sql", "")
		if diff := cmp.Diff([]any{[]any{float64(500)}}, body["rows"]); diff != "" {
			t.Errorf("customers after the refused DELETE (-want +got):\n%s", diff)
		}
	})
	t.Run("agent function ask", func(t *testing.T) {
		var resp awslambda.AgentResponse
		rt.invokeJSON(t, event(t, "agent-function-ask.json"), &resp)
		body := checkFunctionResponse(t, resp, "generate-sql", "ask", "")
		if body["executed"] != true || !strings.Contains(body["sql"].(string), "employees") {
			t.Errorf("body = %v", body)
		}
	})
	t.Run("agent OpenAPI generate-sql", func(t *testing.T) {
		var resp awslambda.AgentResponse
		rt.invokeJSON(t, event(t, "agent-openapi-generate-sql.json"), &resp)
		body := checkAPIResponse(t, resp, "generate-sql", "/generate-sql", 200, "")
		if body["executed"] != false || body["verified"] != true || !strings.Contains(body["sql"].(string), "FROM employees") || body["rows"] != nil {
			t.Errorf("body = %v, want verified SQL that was not run", body)
		}
	})
	t.Run("agent OpenAPI refuses a write", func(t *testing.T) {
		var resp awslambda.AgentResponse
		rt.invokeJSON(t, event(t, "agent-openapi-execute-sql-delete.json"), &resp)
		body := checkAPIResponse(t, resp, "execute-sql", "/execute-sql", 400, awslambda.StateReprompt)
		if msg, _ := body["error"].(string); !strings.Contains(msg, "refused") {
			t.Errorf("error = %q", msg)
		}
	})
	t.Run("unknown event", func(t *testing.T) {
		if res := rt.invoke(t, []byte(`{"hello":"world"}`)); !res.error || !strings.Contains(string(res.body), "unrecognised event") {
			t.Errorf("unknown event answered %s (error %v)", res.body, res.error)
		}
	})
}

// checkFunctionResponse checks a function-details response field by field
// and returns its decoded TEXT body.
func checkFunctionResponse(t *testing.T, resp awslambda.AgentResponse, group, function, state string) map[string]any {
	t.Helper()
	r := resp.Response
	if resp.MessageVersion != "1.0" || r.ActionGroup != group || r.Function != function || r.FunctionResponse == nil ||
		r.APIPath != "" || r.HTTPStatusCode != 0 || r.ResponseBody != nil {
		t.Fatalf("response = %+v", resp)
	}
	if r.FunctionResponse.ResponseState != state {
		t.Errorf("responseState = %q, want %q", r.FunctionResponse.ResponseState, state)
	}
	text, ok := r.FunctionResponse.ResponseBody["TEXT"]
	if !ok || len(r.FunctionResponse.ResponseBody) != 1 {
		t.Fatalf("responseBody = %v, want only TEXT", r.FunctionResponse.ResponseBody)
	}
	return decodeBody(t, text.Body)
}

func checkAPIResponse(t *testing.T, resp awslambda.AgentResponse, group, path string, status int, state string) map[string]any {
	t.Helper()
	r := resp.Response
	if resp.MessageVersion != "1.0" || r.ActionGroup != group || r.APIPath != path || r.HTTPMethod != "POST" ||
		r.HTTPStatusCode != status || r.ResponseState != state || r.Function != "" || r.FunctionResponse != nil {
		t.Fatalf("response = %+v", resp)
	}
	body, ok := r.ResponseBody["application/json"]
	if !ok {
		t.Fatalf("responseBody = %v, want application/json", r.ResponseBody)
	}
	return decodeBody(t, body.Body)
}

func decodeBody(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("body %q is not JSON: %v", s, err)
	}
	return m
}
