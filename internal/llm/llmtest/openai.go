package llmtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// NewOpenAI starts a server speaking the OpenAI chat completions and
// embeddings API at /v1. Point the openai provider's base_url at
// BaseURL(). Streaming answers are SSE "data:" lines ending in
// "data: [DONE]", with a final usage chunk when the request asked for
// stream_options.include_usage.
func NewOpenAI(t testing.TB, replies ...Reply) *Server {
	return newServer(t, "openai", replies, serveOpenAI)
}

// BaseURL is the server's URL with the API prefix the provider expects:
// "/v1" for OpenAI-compatible servers. For Anthropic and Bedrock it is the
// bare URL.
func (s *Server) BaseURL() string {
	if s.kind == "openai" {
		return s.URL + "/v1"
	}
	return s.URL
}

type openAIRequest struct {
	Model         string `json:"model"`
	Stream        bool   `json:"stream"`
	StreamOptions struct {
		IncludeUsage bool `json:"include_usage"`
	} `json:"stream_options"`
	Input []string `json:"input"`
	N     int      `json:"n"`
}

func serveOpenAI(s *Server, w http.ResponseWriter, r *http.Request, req *Request, reply Reply) {
	var in openAIRequest
	_ = json.Unmarshal(req.Body, &in)
	req.Model, req.Stream = in.Model, in.Stream
	if reply.Status != 0 {
		writeOpenAIError(w, reply)
		return
	}
	switch {
	case strings.HasSuffix(r.URL.Path, "/embeddings"):
		data := make([]map[string]any, len(in.Input))
		for i := range in.Input {
			vec := reply.Embedding
			if reply.Embed != nil {
				vec = reply.Embed(in.Input[i])
			}
			data[i] = map[string]any{"object": "embedding", "index": i, "embedding": vec}
		}
		writeJSON(w, map[string]any{"object": "list", "model": in.Model, "data": data,
			"usage": map[string]any{"prompt_tokens": reply.InputTokens, "total_tokens": reply.InputTokens}})
	case !strings.HasSuffix(r.URL.Path, "/chat/completions"):
		writeOpenAIError(w, Reply{Status: http.StatusNotFound, Message: "no route " + r.URL.Path})
	case in.Stream:
		streamOpenAI(w, in, reply)
	default:
		writeJSON(w, map[string]any{
			"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": in.Model,
			"choices": openAIChoices(in, reply),
			"usage":   openAIUsage(reply),
		})
	}
}

// openAIChoices answers the first n of reply.Choices when the request
// asked for n > 1, and reply.Text alone otherwise.
func openAIChoices(in openAIRequest, reply Reply) []any {
	texts := []string{reply.Text}
	if in.N > 1 && len(reply.Choices) > 0 {
		texts = reply.Choices[:min(in.N, len(reply.Choices))]
	}
	out := make([]any, len(texts))
	for i, t := range texts {
		out[i] = map[string]any{"index": i, "finish_reason": stop(reply, "stop"),
			"message": map[string]any{"role": "assistant", "content": t}}
	}
	return out
}

func openAIUsage(r Reply) map[string]any {
	return map[string]any{"prompt_tokens": r.InputTokens, "completion_tokens": r.OutputTokens,
		"total_tokens": r.InputTokens + r.OutputTokens}
}

func streamOpenAI(w http.ResponseWriter, in openAIRequest, reply Reply) {
	w.Header().Set("Content-Type", "text/event-stream")
	chunk := func(choices []any, usage any) {
		b, _ := json.Marshal(map[string]any{"id": "chatcmpl-1", "object": "chat.completion.chunk",
			"created": 1, "model": in.Model, "choices": choices, "usage": usage})
		fmt.Fprintf(w, "data: %s\n\n", b)
		flush(w)
	}
	chunk([]any{map[string]any{"index": 0, "delta": map[string]any{"role": "assistant", "content": ""}}}, nil)
	for _, c := range reply.chunks() {
		chunk([]any{map[string]any{"index": 0, "delta": map[string]any{"content": c}}}, nil)
	}
	chunk([]any{map[string]any{"index": 0, "delta": map[string]any{}, "finish_reason": stop(reply, "stop")}}, nil)
	if in.StreamOptions.IncludeUsage {
		chunk([]any{}, openAIUsage(reply))
	}
	fmt.Fprint(w, "data: [DONE]\n\n")
	flush(w)
}

func writeOpenAIError(w http.ResponseWriter, r Reply) {
	code := r.Code
	if code == "" {
		code = map[int]string{400: "invalid_request_error", 401: "invalid_api_key", 403: "permission_denied",
			404: "model_not_found", 429: "rate_limit_exceeded"}[r.Status]
		if code == "" {
			code = "server_error"
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(r.Status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
		"message": r.Message, "type": code, "code": code, "param": nil}})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func flush(w http.ResponseWriter) {
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
}

func stop(r Reply, def string) string {
	if r.StopReason != "" {
		return r.StopReason
	}
	return def
}
