package sagemaker_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/llm"
	"github.com/askdb/askdb/internal/llm/llmtest"
	"github.com/askdb/askdb/internal/llm/sagemaker"
	"github.com/google/go-cmp/cmp"
)

const endpoint = "jumpstart-dft-llama-3-1-8b-instruct"

func open(t *testing.T, srv *llmtest.Server, edit func(*config.Model)) llm.Model {
	t.Helper()
	llmtest.AWSEnv(t)
	cfg := config.Model{Kind: sagemaker.Kind, Model: endpoint, Region: "eu-west-1", BaseURL: srv.BaseURL(),
		Timeout: config.Duration(5 * time.Second)}
	if edit != nil {
		edit(&cfg)
	}
	m, err := llm.Open(context.Background(), "sql", cfg, llm.Options{RetryBaseDelay: time.Millisecond})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return m
}

var question = llm.Request{
	System:   "You write SQL.",
	Messages: []llm.Message{{Role: llm.RoleUser, Content: "how many orders?"}, {Role: llm.RoleAssistant, Content: "SELECT"}, {Role: llm.RoleUser, Content: "go on"}},
	Stop:     []string{"```"},
}

var sigV4 = regexp.MustCompile(`^AWS4-HMAC-SHA256 Credential=AKIDTEST/\d{8}/eu-west-1/sagemaker/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$`)

// invokeBody returns the JSON body of an InvokeEndpoint request, and
// catches a request that is not InvokeEndpoint on the named endpoint,
// signed for sagemaker in the configured region.
func invokeBody(t *testing.T, got llmtest.Request, name string) map[string]any {
	t.Helper()
	if want := "/endpoints/" + name + "/invocations"; got.Method != http.MethodPost || got.RawPath != want {
		t.Errorf("request = %s %s, want POST %s", got.Method, got.RawPath, want)
	}
	if auth := got.Header.Get("Authorization"); !sigV4.MatchString(auth) {
		t.Errorf("Authorization = %q, want SigV4 for sagemaker in eu-west-1", auth)
	}
	if ct := got.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	var body map[string]any
	if err := json.Unmarshal(got.Body, &body); err != nil {
		t.Fatalf("body %s: %v", got.Body, err)
	}
	return body
}

func TestChatMessagesPayload(t *testing.T) {
	tests := []struct {
		name     string
		payload  string
		temp     *float64
		wantTemp any
	}{
		{"default payload, greedy", "", ptr(0.0), 0.0},
		{"explicit messages, sampled", "messages", ptr(0.7), 0.7},
		{"no temperature", "Messages", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := llmtest.NewSageMaker(t, llmtest.Text("SELECT count(*) FROM orders", 42, 7))
			m := open(t, srv, func(c *config.Model) { c.Payload = tt.payload; c.MaxTokens = 512; c.Temperature = tt.temp })
			resp, err := m.Chat(context.Background(), question)
			if err != nil {
				t.Fatalf("Chat: %v", err)
			}
			want := &llm.Response{Text: "SELECT count(*) FROM orders", Model: endpoint, StopReason: "stop",
				Usage: llm.Usage{InputTokens: 42, OutputTokens: 7}, Attempts: 1}
			if diff := cmp.Diff(want, resp); diff != "" {
				t.Errorf("response (-want +got):\n%s", diff)
			}
			body := invokeBody(t, srv.Last(), endpoint)
			wantBody := map[string]any{
				"messages": []any{
					map[string]any{"role": "system", "content": "You write SQL."},
					map[string]any{"role": "user", "content": "how many orders?"},
					map[string]any{"role": "assistant", "content": "SELECT"},
					map[string]any{"role": "user", "content": "go on"},
				},
				"max_tokens": 512.0,
				"stop":       []any{"```"},
			}
			if tt.wantTemp != nil {
				wantBody["temperature"] = tt.wantTemp
			}
			if diff := cmp.Diff(wantBody, body); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
		})
	}
}

func TestChatTGIPayload(t *testing.T) {
	tests := []struct {
		name       string
		temp       *float64
		wantParams map[string]any
	}{
		{"greedy at temperature 0", ptr(0.0), map[string]any{"do_sample": false}},
		{"sampled", ptr(0.5), map[string]any{"do_sample": true, "temperature": 0.5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := llmtest.NewSageMaker(t, llmtest.Reply{Text: " SELECT 1 ", OutputTokens: 4})
			m := open(t, srv, func(c *config.Model) { c.Payload = "tgi"; c.Temperature = tt.temp })
			resp, err := m.Chat(context.Background(), question)
			if err != nil {
				t.Fatalf("Chat: %v", err)
			}
			want := &llm.Response{Text: "SELECT 1", Model: endpoint, StopReason: "eos_token", Usage: llm.Usage{OutputTokens: 4}, Attempts: 1}
			if diff := cmp.Diff(want, resp); diff != "" {
				t.Errorf("response (-want +got):\n%s", diff)
			}
			body := invokeBody(t, srv.Last(), endpoint)
			params := map[string]any{"max_new_tokens": float64(sagemaker.DefaultMaxTokens), "stop": []any{"```", "\nUser:"},
				"return_full_text": false, "details": true}
			for k, v := range tt.wantParams {
				params[k] = v
			}
			wantBody := map[string]any{
				"inputs":     "You write SQL.\n\nUser: how many orders?\nAssistant: SELECT\nUser: go on\nAssistant:",
				"parameters": params,
			}
			if diff := cmp.Diff(wantBody, body); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
		})
	}
}

func TestUnknownPayload(t *testing.T) {
	llmtest.AWSEnv(t)
	_, err := llm.Open(context.Background(), "sql", config.Model{Kind: sagemaker.Kind, Model: endpoint, Payload: "djl"}, llm.Options{})
	if err == nil || !strings.Contains(err.Error(), `payload: "djl" is not a SageMaker payload (known: messages, tgi)`) {
		t.Errorf("err = %v, want it to name the payload and the known ones", err)
	}
}

func TestRetries(t *testing.T) {
	tests := []struct {
		name      string
		replies   []llmtest.Reply
		wantCalls int
		wantKind  llm.ErrorKind // "" means success
		retryable bool
	}{
		{"throttled (status 400) then ok", []llmtest.Reply{{Status: 400, Code: "ThrottlingException", Message: "Rate exceeded"}, llmtest.Text("ok", 1, 1)}, 2, "", false},
		{"not ready, internal, then ok", []llmtest.Reply{llmtest.Status(429, "still loading"), llmtest.Status(500, "oops"), llmtest.Text("ok", 1, 1)}, 3, "", false},
		{"unavailable, dependency, then ok", []llmtest.Reply{llmtest.Status(503, "down"), llmtest.Status(530, "dependency"), llmtest.Text("ok", 1, 1)}, 3, "", false},
		{"container overloaded is retried", []llmtest.Reply{{Status: 429, Code: "ModelError", Message: "Model is overloaded"}, llmtest.Text("ok", 1, 1)}, 2, "", false},
		{"container rejects the input", []llmtest.Reply{{Status: 422, Code: "ModelError", Message: "Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096"}}, 1, llm.InvalidRequest, false},
		{"container fails", []llmtest.Reply{{Status: 500, Code: "ModelError", Message: "CUDA out of memory"}}, 1, llm.Unavailable, false},
		{"validation is not retried", []llmtest.Reply{llmtest.Status(400, "1 validation error detected")}, 1, llm.InvalidRequest, false},
		{"throttled past max retries", []llmtest.Reply{{Status: 400, Code: "ThrottlingException", Message: "Rate exceeded"}}, 3, llm.Throttled, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := llmtest.NewSageMaker(t, tt.replies...)
			m := open(t, srv, func(c *config.Model) { c.MaxRetries = ptr(2) })
			resp, err := m.Chat(context.Background(), question)
			if srv.Count() != tt.wantCalls {
				t.Errorf("server saw %d calls, want %d", srv.Count(), tt.wantCalls)
			}
			if tt.wantKind == "" {
				if err != nil {
					t.Fatalf("Chat: %v", err)
				}
				if resp.Attempts != tt.wantCalls || resp.Text != "ok" {
					t.Errorf("resp = %+v, want ok after %d attempts", resp, tt.wantCalls)
				}
				return
			}
			if got := llm.KindOf(err); got != tt.wantKind {
				t.Errorf("kind = %q, want %q (err: %v)", got, tt.wantKind, err)
			}
			if llm.IsRetryable(err) != tt.retryable {
				t.Errorf("retryable = %v, want %v (err: %v)", llm.IsRetryable(err), tt.retryable, err)
			}
		})
	}
}

func TestFallback(t *testing.T) {
	const other = "my-llama-endpoint"
	tests := []struct {
		name       string
		first      llmtest.Reply
		wantCalled []string
		wantErr    llm.ErrorKind
	}{
		{"endpoint not found", llmtest.Status(400, "Endpoint "+endpoint+" of account 123456789012 not found."), []string{endpoint, other}, ""},
		{"access denied", llmtest.Status(403, "not authorized to perform: sagemaker:InvokeEndpoint"), []string{endpoint, other}, ""},
		{"container failure", llmtest.Reply{Status: 500, Code: "ModelError", Message: "CUDA out of memory"}, []string{endpoint, other}, ""},
		{"bad input does not fall back", llmtest.Reply{Status: 422, Code: "ModelError", Message: "too long"}, []string{endpoint}, llm.InvalidRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := llmtest.NewSageMaker(t, tt.first, llmtest.Text("fallback answer", 3, 2))
			m := open(t, srv, func(c *config.Model) { c.Fallback = []string{other} })
			resp, err := m.Chat(context.Background(), question)
			var called []string
			for _, r := range srv.Requests() {
				called = append(called, r.Model)
			}
			if diff := cmp.Diff(tt.wantCalled, called); diff != "" {
				t.Errorf("endpoints called (-want +got):\n%s", diff)
			}
			if tt.wantErr != "" {
				if llm.KindOf(err) != tt.wantErr {
					t.Errorf("err = %v, want kind %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Chat: %v", err)
			}
			if resp.Model != other || resp.Text != "fallback answer" || resp.Attempts != 2 {
				t.Errorf("resp = %+v, want answer from %s after 2 attempts", resp, other)
			}
		})
	}
}

func TestErrorMessages(t *testing.T) {
	tests := []struct {
		name  string
		reply llmtest.Reply
		want  []string
	}{
		{"not found", llmtest.Status(400, "Endpoint x of account 1 not found."),
			[]string{`SageMaker has no endpoint "` + endpoint + `" in eu-west-1: check the endpoint name (model:) and region`}},
		{"throttled", llmtest.Reply{Status: 400, Code: "ThrottlingException", Message: "Rate exceeded"},
			[]string{`SageMaker is throttling endpoint "` + endpoint + `" in eu-west-1 (ThrottlingException)`}},
		{"bad credentials", llmtest.Reply{Status: 403, Code: "UnrecognizedClientException", Message: "The security token included in the request is invalid."},
			[]string{`SageMaker in eu-west-1 rejected the AWS credentials (UnrecognizedClientException)`}},
		{"container rejects input", llmtest.Reply{Status: 422, Code: "ModelError", Message: "Input validation error"},
			[]string{`the model container answered 422: Input validation error: lower max_tokens or check that payload: messages`,
				"(container logs: arn:aws:logs:us-east-1:123456789012:log-group:/aws/sagemaker/Endpoints/test)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := llmtest.NewSageMaker(t, tt.reply)
			_, err := open(t, srv, func(c *config.Model) { c.MaxRetries = ptr(0) }).Chat(context.Background(), question)
			for _, w := range tt.want {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("err = %v\nwant it to contain %q", err, w)
				}
			}
			var le *llm.Error
			if !errors.As(err, &le) || le.Provider != "sagemaker" || le.Region != "eu-west-1" || le.Model != endpoint {
				t.Errorf("err = %#v, want *llm.Error naming sagemaker, the endpoint and eu-west-1", err)
			}
		})
	}
}

func TestNoCredentials(t *testing.T) {
	srv := llmtest.NewSageMaker(t, llmtest.Text("never", 1, 1))
	llmtest.AWSEnv(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	cfg := config.Model{Kind: sagemaker.Kind, Model: endpoint, BaseURL: srv.BaseURL(), Timeout: config.Duration(5 * time.Second)}
	m, err := llm.Open(context.Background(), "sql", cfg, llm.Options{RetryBaseDelay: time.Millisecond, HTTPClient: &http.Client{}})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	_, err = m.Chat(context.Background(), question)
	if llm.KindOf(err) != llm.Auth || !strings.Contains(err.Error(), "SageMaker in us-east-1: no usable AWS credentials") {
		t.Errorf("err = %v, want an auth error about missing credentials", err)
	}
	if srv.Count() != 0 {
		t.Errorf("server saw %d calls, want none without credentials", srv.Count())
	}
}

func TestTimeout(t *testing.T) {
	srv := llmtest.NewSageMaker(t, llmtest.Delayed(3*time.Second, "too late"))
	m := open(t, srv, func(c *config.Model) { c.Timeout = config.Duration(100 * time.Millisecond) })
	_, err := m.Chat(context.Background(), question)
	if llm.KindOf(err) != llm.Timeout || srv.Count() != 1 {
		t.Errorf("err = %v after %d calls, want one timeout", err, srv.Count())
	}
}

func ptr[T any](v T) *T { return &v }

func TestChatStream(t *testing.T) {
	tests := []struct {
		name, payload, wantStop string
		wantUsage               llm.Usage
	}{
		{"messages deltas", "messages", "stop", llm.Usage{InputTokens: 11, OutputTokens: 5}},
		{"tgi tokens", "tgi", "eos_token", llm.Usage{OutputTokens: 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := llmtest.NewSageMaker(t, llmtest.Reply{Text: "SELECT 1 AS one", Chunks: []string{"SELECT ", "1 ", "AS one"}, InputTokens: 11, OutputTokens: 5})
			m := open(t, srv, func(c *config.Model) { c.Payload = tt.payload })
			var deltas []string
			resp, err := m.(llm.Streamer).ChatStream(context.Background(), question, func(s string) { deltas = append(deltas, s) })
			if err != nil {
				t.Fatalf("ChatStream: %v (deltas %q)", err, deltas)
			}
			if diff := cmp.Diff([]string{"SELECT ", "1 ", "AS one"}, deltas); diff != "" {
				t.Errorf("deltas (-want +got):\n%s", diff)
			}
			want := &llm.Response{Text: "SELECT 1 AS one", Model: endpoint, StopReason: tt.wantStop, Usage: tt.wantUsage, Attempts: 1}
			if diff := cmp.Diff(want, resp); diff != "" {
				t.Errorf("response (-want +got):\n%s", diff)
			}
			got := srv.Last()
			if got.RawPath != "/endpoints/"+endpoint+"/invocations-response-stream" || !got.Stream {
				t.Errorf("request to %s, want InvokeEndpointWithResponseStream", got.RawPath)
			}
			var body map[string]any
			if err := json.Unmarshal(got.Body, &body); err != nil || body["stream"] != true {
				t.Errorf("body %s: want \"stream\": true", got.Body)
			}
		})
	}
}

// TestChatStreamFailsMidAnswer catches a stream error swallowed (the
// answer would look complete) or retried after text was shown.
func TestChatStreamFailsMidAnswer(t *testing.T) {
	srv := llmtest.NewSageMaker(t, llmtest.Reply{Text: "SELECT", Code: "ModelStreamError", Message: "CUDA error"}, llmtest.Text("SELECT 2", 1, 1))
	m := open(t, srv, func(c *config.Model) { c.Fallback = []string{"other"} })
	var shown string
	_, err := m.(llm.Streamer).ChatStream(context.Background(), question, func(s string) { shown += s })
	if llm.KindOf(err) != llm.Unavailable || !strings.Contains(err.Error(), "ModelStreamError") {
		t.Errorf("err = %v, want the ModelStreamError as unavailable", err)
	}
	if shown != "SELECT" || srv.Count() != 1 {
		t.Errorf("shown %q after %d calls, want the partial text and no retry or fallback", shown, srv.Count())
	}
}

// TestInferenceComponent catches the component of "endpoint/component"
// sent as part of the endpoint name instead of in its own header.
func TestInferenceComponent(t *testing.T) {
	for _, stream := range []bool{false, true} {
		srv := llmtest.NewSageMaker(t, llmtest.Text("SELECT 1", 1, 1))
		m := open(t, srv, func(c *config.Model) { c.Model = "shared-endpoint/llama-3-1-8b-component" })
		var err error
		if stream {
			_, err = m.(llm.Streamer).ChatStream(context.Background(), question, nil)
		} else {
			_, err = m.Chat(context.Background(), question)
		}
		if err != nil {
			t.Fatalf("stream %v: %v", stream, err)
		}
		got := srv.Last()
		if got.Model != "shared-endpoint" || got.Header.Get("X-Amzn-Sagemaker-Inference-Component") != "llama-3-1-8b-component" {
			t.Errorf("stream %v: endpoint %q, component header %q", stream, got.Model, got.Header.Get("X-Amzn-Sagemaker-Inference-Component"))
		}
	}
}
