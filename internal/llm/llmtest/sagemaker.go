package llmtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
)

// NewSageMaker starts a server speaking the sagemaker-runtime API:
// InvokeEndpoint at POST /endpoints/{EndpointName}/invocations and
// InvokeEndpointWithResponseStream at .../invocations-response-stream. It
// answers in the shape the request body asks for: a chat completion
// (choices and usage) to {"messages": ...}, and TGI's
// [{"generated_text", "details"}] to {"inputs": ...}; streamed, the same
// as server-sent events ("data: {...}" chat deltas or TGI tokens) cut
// into PayloadPart events every few bytes, in AWS event-stream framing.
// Errors carry the exception name in X-Amzn-ErrorType and "__type". A
// reply with Code "ModelError" is the model container failing: the server
// answers 424 ModelError with OriginalStatusCode set to the reply's
// Status, as SageMaker does. A streamed reply with Code
// "ModelStreamError" and no Status sends its chunks, then that exception.
// Point the sagemaker provider's base_url at BaseURL() and call AWSEnv
// first.
func NewSageMaker(t testing.TB, replies ...Reply) *Server {
	return newServer(t, "sagemaker", replies, serveSageMaker)
}

var sageMakerErrors = map[int]string{
	400: "ValidationError", 403: "AccessDeniedException", 424: "ModelError", 429: "ModelNotReadyException",
	500: "InternalFailure", 503: "ServiceUnavailable", 530: "InternalDependencyException",
}

func serveSageMaker(s *Server, w http.ResponseWriter, r *http.Request, req *Request, reply Reply) {
	parts := strings.Split(strings.TrimPrefix(r.URL.EscapedPath(), "/"), "/")
	if len(parts) != 3 || parts[0] != "endpoints" || r.Method != http.MethodPost ||
		parts[2] != "invocations" && parts[2] != "invocations-response-stream" {
		writeSageMakerError(w, Reply{Status: http.StatusNotFound, Code: "UnknownOperationException", Message: "no route " + r.URL.Path})
		return
	}
	req.Model, _ = url.PathUnescape(parts[1])
	if reply.Status != 0 {
		writeSageMakerError(w, reply)
		return
	}
	var in struct {
		Inputs   *string         `json:"inputs"`
		Messages json.RawMessage `json:"messages"`
	}
	if err := json.Unmarshal(req.Body, &in); err != nil || (in.Inputs == nil && in.Messages == nil) {
		writeSageMakerError(w, Reply{Status: 424, Code: "ModelError", Message: "Input validation error: body has neither inputs nor messages"})
		return
	}
	w.Header().Set("X-Amzn-Invoked-Production-Variant", "AllTraffic")
	if req.Stream = parts[2] == "invocations-response-stream"; req.Stream {
		streamSageMaker(s, w, in.Inputs != nil, reply)
		return
	}
	if in.Inputs != nil {
		writeJSON(w, []any{map[string]any{"generated_text": reply.Text,
			"details": map[string]any{"finish_reason": stop(reply, "eos_token"), "generated_tokens": reply.OutputTokens}}})
		return
	}
	writeJSON(w, map[string]any{
		"id": "chatcmpl-1", "object": "chat.completion", "model": "tgi",
		"choices": []any{map[string]any{"index": 0, "finish_reason": stop(reply, "stop"),
			"message": map[string]any{"role": "assistant", "content": reply.Text}}},
		"usage": openAIUsage(reply),
	})
}

func writeSageMakerError(w http.ResponseWriter, r Reply) {
	code := r.Code
	if code == "" {
		code = sageMakerErrors[r.Status]
		if code == "" {
			code = "InternalFailure"
		}
	}
	status, body := r.Status, map[string]any{"__type": code, "Message": r.Message}
	if code == "ModelError" {
		status = http.StatusFailedDependency
		body["OriginalStatusCode"] = r.Status
		body["OriginalMessage"] = r.Message
		body["Message"] = "Received client error from primary with message \"" + r.Message + "\"."
		body["LogStreamArn"] = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/sagemaker/Endpoints/test"
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-ErrorType", code)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// streamSageMaker writes the reply as the container's server-sent events,
// cut into PayloadPart events of a few bytes so that lines straddle parts.
func streamSageMaker(s *Server, w http.ResponseWriter, tgi bool, reply Reply) {
	var sse strings.Builder
	data := func(v any) {
		b, _ := json.Marshal(v)
		fmt.Fprintf(&sse, "data:%s\n\n", b)
	}
	for _, c := range reply.chunks() {
		if tgi {
			data(map[string]any{"token": map[string]any{"id": 1, "text": c, "special": false}, "generated_text": nil, "details": nil})
		} else {
			data(map[string]any{"object": "chat.completion.chunk", "choices": []any{map[string]any{"index": 0, "delta": map[string]any{"content": c}, "finish_reason": nil}}})
		}
	}
	failing := reply.Code == "ModelStreamError"
	switch {
	case failing:
	case tgi:
		data(map[string]any{"token": map[string]any{"id": 2, "text": "</s>", "special": true}, "generated_text": reply.Text,
			"details": map[string]any{"finish_reason": stop(reply, "eos_token"), "generated_tokens": reply.OutputTokens}})
	default:
		data(map[string]any{"object": "chat.completion.chunk", "choices": []any{map[string]any{"index": 0, "delta": map[string]any{}, "finish_reason": stop(reply, "stop")}},
			"usage": openAIUsage(reply)})
		sse.WriteString("data: [DONE]\n\n")
	}
	w.Header().Set("Content-Type", "application/vnd.amazon.eventstream")
	enc := eventstream.NewEncoder()
	send := func(msg eventstream.Message) {
		if err := enc.Encode(w, msg); err != nil {
			s.t.Errorf("llmtest: encode sagemaker event: %v", err)
		}
		flush(w)
	}
	text := sse.String()
	const partSize = 7
	for i := 0; i < len(text); i += partSize {
		msg := eventstream.Message{Payload: []byte(text[i:min(i+partSize, len(text))])}
		msg.Headers.Set(":message-type", eventstream.StringValue("event"))
		msg.Headers.Set(":event-type", eventstream.StringValue("PayloadPart"))
		msg.Headers.Set(":content-type", eventstream.StringValue("application/octet-stream"))
		send(msg)
	}
	if failing {
		payload, _ := json.Marshal(map[string]any{"Message": reply.Message, "ErrorCode": "ModelStreamError"})
		msg := eventstream.Message{Payload: payload}
		msg.Headers.Set(":message-type", eventstream.StringValue("exception"))
		msg.Headers.Set(":exception-type", eventstream.StringValue("ModelStreamError"))
		msg.Headers.Set(":content-type", eventstream.StringValue("application/json"))
		send(msg)
	}
}
