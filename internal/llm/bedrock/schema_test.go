package bedrock_test

import (
	"encoding/json"
	"testing"

	"github.com/askdb/askdb/internal/llm/llmtest"
)

// TestJSONSchema checks that a structured request carries one tool spec
// with the request's schema and a toolChoice naming it, and that the
// toolUse input is the answer.
func TestJSONSchema(t *testing.T) {
	srv := llmtest.NewBedrock(t, llmtest.Text(`{"intent":"query"}`, 20, 4))
	resp := llmtest.ChatRoute(t, open(t, srv, nil), question)
	var got map[string]any
	if err := json.Unmarshal([]byte(resp.Text), &got); err != nil || got["intent"] != "query" || resp.StopReason != "tool_use" {
		t.Errorf("Text = %q (%v), StopReason = %q", resp.Text, err, resp.StopReason)
	}
	var body struct {
		ToolConfig struct {
			Tools []struct {
				ToolSpec struct {
					Name        string `json:"name"`
					InputSchema struct {
						JSON map[string]any `json:"json"`
					} `json:"inputSchema"`
				} `json:"toolSpec"`
			} `json:"tools"`
		} `json:"toolConfig"`
	}
	if err := json.Unmarshal(srv.Last().Body, &body); err != nil {
		t.Fatal(err)
	}
	tc := body.ToolConfig
	if len(tc.Tools) != 1 || tc.Tools[0].ToolSpec.Name != "route" || tc.Tools[0].ToolSpec.InputSchema.JSON["type"] != "object" {
		t.Fatalf("toolConfig = %+v, want one tool named route with an object schema", tc)
	}
	if name := llmtest.BedrockToolChoice(srv.Last().Body); name != "route" {
		t.Errorf("toolChoice names %q, want route", name)
	}
}
