package openai_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/askdb/askdb/internal/llm/llmtest"
	"github.com/google/go-cmp/cmp"
)

// TestJSONSchema checks that a structured request goes out as
// response_format json_schema, and that the answer is the JSON text.
func TestJSONSchema(t *testing.T) {
	srv := llmtest.NewOpenAI(t, llmtest.Text(`{"intent":"query"}`, 20, 4))
	resp := llmtest.ChatRoute(t, open(t, srv.BaseURL(), nil), question)
	if resp.Text != `{"intent":"query"}` {
		t.Errorf("Text = %q", resp.Text)
	}
	var body struct {
		ResponseFormat struct {
			Type       string `json:"type"`
			JSONSchema struct {
				Name   string         `json:"name"`
				Schema map[string]any `json:"schema"`
			} `json:"json_schema"`
		} `json:"response_format"`
	}
	if err := json.Unmarshal(srv.Last().Body, &body); err != nil {
		t.Fatal(err)
	}
	rf := body.ResponseFormat
	if rf.Type != "json_schema" || rf.JSONSchema.Name != "route" {
		t.Errorf("response_format = %+v, want json_schema named route", rf)
	}
	want := map[string]any{"type": "object", "additionalProperties": false, "required": []any{"intent"},
		"properties": map[string]any{"intent": map[string]any{"type": "string", "enum": []any{"query", "out_of_scope"}}}}
	if d := cmp.Diff(want, rf.JSONSchema.Schema); d != "" {
		t.Errorf("schema (-want +got):\n%s", d)
	}
	// Without a schema no response_format is sent.
	if _, err := open(t, srv.BaseURL(), nil).Chat(context.Background(), question); err != nil {
		t.Fatal(err)
	}
	var plain map[string]any
	_ = json.Unmarshal(srv.Last().Body, &plain)
	if _, ok := plain["response_format"]; ok {
		t.Errorf("plain request has response_format: %s", srv.Last().Body)
	}
}
