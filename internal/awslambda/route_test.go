package awslambda_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/askdb/askdb/internal/awslambda"
	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/dbtest"
	"github.com/askdb/askdb/internal/llm"
	"github.com/askdb/askdb/internal/llm/llmtest"
	_ "github.com/askdb/askdb/internal/llm/openai"
	"github.com/askdb/askdb/internal/pipeline"
	"github.com/askdb/askdb/internal/source"
	_ "github.com/askdb/askdb/internal/source/sqlite"
)

// agentHandler serves Bedrock Agent calls over a clinic and a fleet, or
// two copies of the clinic when twins is set, with a scripted model.
func agentHandler(t *testing.T, twins bool, replies ...llmtest.Reply) *awslambda.Handler {
	t.Helper()
	clinic := dbtest.SQLiteFile(t, "CREATE TABLE pets (pet_id INTEGER PRIMARY KEY, pet_type TEXT, weight REAL)", "INSERT INTO pets VALUES (1, 'dog', 12.5)")
	fleet := dbtest.SQLiteFile(t, "CREATE TABLE vehicles (vehicle_id INTEGER PRIMARY KEY, plate TEXT, mileage INTEGER)")
	if twins {
		fleet = clinic
	}
	cfg := &config.Config{Sources: map[string]config.Source{"clinic": {Kind: "sqlite", Path: clinic}, "fleet": {Kind: "sqlite", Path: fleet}}}
	set := source.NewSet(cfg, nil)
	t.Cleanup(func() { set.Close() })
	srv := llmtest.NewOpenAI(t, replies...)
	m, err := llm.Open(context.Background(), "sql", config.Model{Kind: "openai", Model: "m", BaseURL: srv.BaseURL()}, llm.Options{RetryBaseDelay: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return awslambda.New(awslambda.Options{Pipeline: pipeline.New(pipeline.Options{Sources: set, SQLModel: m})})
}

// callAgent invokes function fn of the generate-sql action group with a
// question and no source, and returns the response state and body.
func callAgent(t *testing.T, h *awslambda.Handler, fn, question string) (string, map[string]any) {
	t.Helper()
	ev, _ := json.Marshal(map[string]any{
		"messageVersion": "1.0", "agent": map[string]string{"name": "a", "id": "A", "alias": "T", "version": "DRAFT"},
		"inputText": question, "sessionId": "s", "actionGroup": "generate-sql", "function": fn,
		"parameters": []map[string]string{{"name": "question", "type": "string", "value": question}},
	})
	out, err := h.Invoke(context.Background(), ev)
	if err != nil {
		t.Fatal(err)
	}
	var resp awslambda.AgentResponse
	if err := json.Unmarshal(out, &resp); err != nil || resp.Response.FunctionResponse == nil {
		t.Fatalf("response %s: %v", out, err)
	}
	var body map[string]any
	if err := json.Unmarshal([]byte(resp.Response.FunctionResponse.ResponseBody["TEXT"].Body), &body); err != nil {
		t.Fatalf("body %s: %v", out, err)
	}
	return resp.Response.FunctionResponse.ResponseState, body
}

func TestAgentRoutesWithoutSource(t *testing.T) {
	for _, fn := range []string{"generate-sql", "ask"} {
		t.Run(fn, func(t *testing.T) {
			h := agentHandler(t, false, llmtest.Text("```sql\nSELECT count(*) AS n FROM pets\n```", 10, 5))
			state, body := callAgent(t, h, fn, "how many pets are there")
			if state != "" || body["source"] != "clinic" || !strings.Contains(body["routed"].(string), "pets") {
				t.Fatalf("state %q body %v: want clinic, routed because of table pets", state, body)
			}
		})
	}
}

func TestAgentCloseCallReprompts(t *testing.T) {
	h := agentHandler(t, true, llmtest.Text("UNSURE", 10, 1))
	state, body := callAgent(t, h, "ask", "how many pets are there")
	choices, _ := body["choices"].([]any)
	if state != awslambda.StateReprompt || body["outcome"] != "clarification" || len(choices) != 2 {
		t.Fatalf("state %q body %v: want a reprompt with two choices", state, body)
	}
	for _, c := range choices {
		if src := c.(map[string]any)["source"]; src != "clinic" && src != "fleet" {
			t.Errorf("choice %v names no source", c)
		}
	}
}
