package llmtest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// NewSageMaker starts a server speaking the sagemaker-runtime API:
// InvokeEndpoint at POST /endpoints/{EndpointName}/invocations. It answers
// in the shape the request body asks for: a chat completion (choices and
// usage) to {"messages": ...}, and TGI's [{"generated_text", "details"}]
// to {"inputs": ...}. Errors carry the exception name in X-Amzn-ErrorType
// and "__type". A reply with Code "ModelError" is the model container
// failing: the server answers 424 ModelError with OriginalStatusCode set
// to the reply's Status, as SageMaker does. Point the sagemaker provider's
// base_url at BaseURL() and call AWSEnv first.
func NewSageMaker(t testing.TB, replies ...Reply) *Server {
	return newServer(t, "sagemaker", replies, serveSageMaker)
}

var sageMakerErrors = map[int]string{
	400: "ValidationError", 403: "AccessDeniedException", 424: "ModelError", 429: "ModelNotReadyException",
	500: "InternalFailure", 503: "ServiceUnavailable", 530: "InternalDependencyException",
}

func serveSageMaker(s *Server, w http.ResponseWriter, r *http.Request, req *Request, reply Reply) {
	parts := strings.Split(strings.TrimPrefix(r.URL.EscapedPath(), "/"), "/")
	if len(parts) != 3 || parts[0] != "endpoints" || parts[2] != "invocations" || r.Method != http.MethodPost {
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
