package anthropic_test

import (
	"encoding/json"
	"testing"

	"github.com/askdb/askdb/internal/llm/llmtest"
)

// TestJSONSchema checks that a structured request is one forced tool whose
// input schema is the request's, and that the tool input is the answer.
func TestJSONSchema(t *testing.T) {
	srv := llmtest.NewAnthropic(t, llmtest.Text(`{"intent":"out_of_scope"}`, 20, 4))
	resp := llmtest.ChatRoute(t, open(t, srv, nil), question)
	if resp.Text != `{"intent":"out_of_scope"}` || resp.StopReason != "tool_use" {
		t.Errorf("Text = %q, StopReason = %q", resp.Text, resp.StopReason)
	}
	var body struct {
		Tools []struct {
			Name        string `json:"name"`
			InputSchema struct {
				Type                 string         `json:"type"`
				Properties           map[string]any `json:"properties"`
				Required             []string       `json:"required"`
				AdditionalProperties *bool          `json:"additionalProperties"`
			} `json:"input_schema"`
		} `json:"tools"`
		ToolChoice struct {
			Type string `json:"type"`
			Name string `json:"name"`
		} `json:"tool_choice"`
	}
	if err := json.Unmarshal(srv.Last().Body, &body); err != nil {
		t.Fatal(err)
	}
	if len(body.Tools) != 1 || body.Tools[0].Name != "route" {
		t.Fatalf("tools = %+v, want one named route", body.Tools)
	}
	s := body.Tools[0].InputSchema
	if s.Type != "object" || s.Properties["intent"] == nil || len(s.Required) != 1 || s.AdditionalProperties == nil || *s.AdditionalProperties {
		t.Errorf("input_schema = %+v", s)
	}
	if body.ToolChoice.Type != "tool" || body.ToolChoice.Name != "route" {
		t.Errorf("tool_choice = %+v, want tool route", body.ToolChoice)
	}
}
