package llmtest

import (
	"context"
	"testing"

	"github.com/askdb/askdb/internal/llm"
)

// RouteSchema is a small structured-answer schema for provider tests.
var RouteSchema = &llm.JSONSchema{
	Name:        "route",
	Description: "The intent of a question.",
	Schema: map[string]any{
		"type":                 "object",
		"properties":           map[string]any{"intent": map[string]any{"type": "string", "enum": []string{"query", "out_of_scope"}}},
		"required":             []string{"intent"},
		"additionalProperties": false,
	},
}

// ChatRoute sends req with RouteSchema to m and fails the test on an error.
func ChatRoute(t testing.TB, m llm.Model, req llm.Request) *llm.Response {
	t.Helper()
	req.JSONSchema = RouteSchema
	resp, err := m.Chat(context.Background(), req)
	if err != nil {
		t.Fatalf("Chat: %v", err)
	}
	return resp
}
