package llmtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
)

// NewAnthropic starts a server speaking the Anthropic messages API at
// POST /v1/messages, as JSON or, when the request sets "stream", as SSE
// events message_start, content_block_start, content_block_delta,
// content_block_stop, message_delta (with usage) and message_stop. Point
// the anthropic provider's base_url at BaseURL().
func NewAnthropic(t testing.TB, replies ...Reply) *Server {
	return newServer(t, "anthropic", replies, serveAnthropic)
}

func serveAnthropic(s *Server, w http.ResponseWriter, r *http.Request, req *Request, reply Reply) {
	var in struct {
		Model      string `json:"model"`
		Stream     bool   `json:"stream"`
		ToolChoice struct {
			Name string `json:"name"`
		} `json:"tool_choice"`
	}
	_ = json.Unmarshal(req.Body, &in)
	req.Model, req.Stream = in.Model, in.Stream
	switch {
	case reply.Status != 0:
		writeAnthropicError(w, reply)
	case r.URL.Path != "/v1/messages":
		writeAnthropicError(w, Reply{Status: http.StatusNotFound, Message: "no route " + r.URL.Path})
	case in.Stream:
		streamAnthropic(w, in.Model, reply)
	default:
		content, end := []any{map[string]any{"type": "text", "text": reply.Text}}, "end_turn"
		if in.ToolChoice.Name != "" && json.Valid([]byte(reply.Text)) {
			// A forced tool call: the scripted text is the tool's input.
			content = []any{map[string]any{"type": "tool_use", "id": "toolu_1", "name": in.ToolChoice.Name,
				"input": json.RawMessage(reply.Text)}}
			end = "tool_use"
		}
		writeJSON(w, map[string]any{
			"id": "msg_1", "type": "message", "role": "assistant", "model": in.Model,
			"content":     content,
			"stop_reason": stop(reply, end), "stop_sequence": nil,
			"usage": map[string]any{"input_tokens": reply.InputTokens, "output_tokens": reply.OutputTokens},
		})
	}
}

func streamAnthropic(w http.ResponseWriter, model string, reply Reply) {
	w.Header().Set("Content-Type", "text/event-stream")
	event := func(typ string, v map[string]any) {
		v["type"] = typ
		b, _ := json.Marshal(v)
		fmt.Fprintf(w, "event: %s\ndata: %s\n\n", typ, b)
		flush(w)
	}
	event("message_start", map[string]any{"message": map[string]any{
		"id": "msg_1", "type": "message", "role": "assistant", "model": model, "content": []any{},
		"stop_reason": nil, "stop_sequence": nil,
		"usage": map[string]any{"input_tokens": reply.InputTokens, "output_tokens": 1}}})
	event("content_block_start", map[string]any{"index": 0, "content_block": map[string]any{"type": "text", "text": ""}})
	for _, c := range reply.chunks() {
		event("content_block_delta", map[string]any{"index": 0, "delta": map[string]any{"type": "text_delta", "text": c}})
	}
	event("content_block_stop", map[string]any{"index": 0})
	event("message_delta", map[string]any{
		"delta": map[string]any{"stop_reason": stop(reply, "end_turn"), "stop_sequence": nil},
		"usage": map[string]any{"output_tokens": reply.OutputTokens}})
	event("message_stop", map[string]any{})
}

func writeAnthropicError(w http.ResponseWriter, r Reply) {
	code := r.Code
	if code == "" {
		code = map[int]string{400: "invalid_request_error", 401: "authentication_error", 403: "permission_error",
			404: "not_found_error", 429: "rate_limit_error", 529: "overloaded_error"}[r.Status]
		if code == "" {
			code = "api_error"
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(r.Status)
	_ = json.NewEncoder(w).Encode(map[string]any{"type": "error",
		"error": map[string]any{"type": code, "message": r.Message}})
}
