package llmtest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"

	"github.com/askdb/askdb/internal/awstest"
)

// NewBedrock starts a server speaking the Bedrock runtime API: Converse at
// POST /model/{modelId}/converse, ConverseStream at
// /model/{modelId}/converse-stream in AWS event-stream framing (messageStart,
// contentBlockDelta, contentBlockStop, messageStop, metadata with usage),
// and InvokeModel at /model/{modelId}/invoke for Titan embeddings. Errors
// carry the exception name in X-Amzn-ErrorType. Point the bedrock
// provider's base_url at BaseURL() and call AWSEnv first.
func NewBedrock(t testing.TB, replies ...Reply) *Server {
	return newServer(t, "bedrock", replies, serveBedrock)
}

// AWSEnv sets static test credentials and a region, and keeps the AWS SDK
// from reading the developer's files or asking the EC2 metadata service.
func AWSEnv(t testing.TB) { awstest.Env(t) }

var bedrockErrors = map[int]string{
	400: "ValidationException", 403: "AccessDeniedException", 404: "ResourceNotFoundException",
	408: "ModelTimeoutException", 424: "ModelErrorException", 429: "ThrottlingException",
	500: "InternalServerException", 503: "ServiceUnavailableException",
}

func serveBedrock(s *Server, w http.ResponseWriter, r *http.Request, req *Request, reply Reply) {
	parts := strings.Split(strings.TrimPrefix(r.URL.EscapedPath(), "/"), "/")
	if len(parts) != 3 || parts[0] != "model" {
		writeBedrockError(w, Reply{Status: http.StatusNotFound, Message: "no route " + r.URL.Path})
		return
	}
	req.Model, _ = url.PathUnescape(parts[1])
	req.Stream = parts[2] == "converse-stream"
	if reply.Status != 0 {
		writeBedrockError(w, reply)
		return
	}
	switch parts[2] {
	case "converse":
		content, end := []any{map[string]any{"text": reply.Text}}, "end_turn"
		if tool := BedrockToolChoice(req.Body); tool != "" && json.Valid([]byte(reply.Text)) {
			// A forced tool call: the scripted text is the tool's input.
			content = []any{map[string]any{"toolUse": map[string]any{"toolUseId": "tooluse_1", "name": tool,
				"input": json.RawMessage(reply.Text)}}}
			end = "tool_use"
		}
		writeJSON(w, map[string]any{
			"output":     map[string]any{"message": map[string]any{"role": "assistant", "content": content}},
			"stopReason": stop(reply, end),
			"usage":      bedrockUsage(reply),
			"metrics":    map[string]any{"latencyMs": 1},
		})
	case "converse-stream":
		streamBedrock(s, w, reply)
	case "invoke":
		writeJSON(w, map[string]any{"embedding": reply.Embedding, "inputTextTokenCount": reply.InputTokens})
	default:
		writeBedrockError(w, Reply{Status: http.StatusNotFound, Message: "no route " + r.URL.Path})
	}
}

// BedrockToolChoice is the tool a Converse request body forces, if any.
func BedrockToolChoice(body []byte) string {
	var in struct {
		ToolConfig struct {
			ToolChoice struct {
				Tool struct {
					Name string `json:"name"`
				} `json:"tool"`
			} `json:"toolChoice"`
		} `json:"toolConfig"`
	}
	_ = json.Unmarshal(body, &in)
	return in.ToolConfig.ToolChoice.Tool.Name
}

func bedrockUsage(r Reply) map[string]any {
	return map[string]any{"inputTokens": r.InputTokens, "outputTokens": r.OutputTokens,
		"totalTokens": r.InputTokens + r.OutputTokens}
}

func streamBedrock(s *Server, w http.ResponseWriter, reply Reply) {
	w.Header().Set("Content-Type", "application/vnd.amazon.eventstream")
	enc := eventstream.NewEncoder()
	event := func(typ string, v any) {
		payload, _ := json.Marshal(v)
		msg := eventstream.Message{Payload: payload}
		msg.Headers.Set(":message-type", eventstream.StringValue("event"))
		msg.Headers.Set(":event-type", eventstream.StringValue(typ))
		msg.Headers.Set(":content-type", eventstream.StringValue("application/json"))
		if err := enc.Encode(w, msg); err != nil {
			s.t.Errorf("llmtest: encode %s event: %v", typ, err)
		}
		flush(w)
	}
	event("messageStart", map[string]any{"role": "assistant"})
	for _, c := range reply.chunks() {
		event("contentBlockDelta", map[string]any{"contentBlockIndex": 0, "delta": map[string]any{"text": c}})
	}
	event("contentBlockStop", map[string]any{"contentBlockIndex": 0})
	event("messageStop", map[string]any{"stopReason": stop(reply, "end_turn")})
	event("metadata", map[string]any{"usage": bedrockUsage(reply), "metrics": map[string]any{"latencyMs": 1}})
}

func writeBedrockError(w http.ResponseWriter, r Reply) {
	code := r.Code
	if code == "" {
		code = bedrockErrors[r.Status]
		if code == "" {
			code = "InternalServerException"
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-ErrorType", code+":http://internal.amazon.com/coral/com.amazon.bedrock/")
	w.WriteHeader(r.Status)
	_ = json.NewEncoder(w).Encode(map[string]any{"message": r.Message})
}
