package llmtest

import "github.com/askdb/askdb/internal/llm"

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
