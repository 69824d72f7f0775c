package bedrock_test

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/llm"
	"github.com/askdb/askdb/internal/llm/bedrock"
	"github.com/askdb/askdb/internal/llm/llmtest"
	"github.com/google/go-cmp/cmp"
)

const haiku = "anthropic.claude-3-haiku-20240307-v1:0"

func open(t *testing.T, srv *llmtest.Server, edit func(*config.Model)) llm.Model {
	t.Helper()
	llmtest.AWSEnv(t)
	cfg := config.Model{Kind: bedrock.Kind, Model: haiku, Region: "us-west-2", BaseURL: srv.BaseURL(),
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
}

var sigV4 = regexp.MustCompile(`^AWS4-HMAC-SHA256 Credential=AKIDTEST/\d{8}/us-west-2/bedrock/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$`)

func TestChatRequestShape(t *testing.T) {
	tests := []struct {
		name, model, rawPath string
	}{
		{"model id with colon", haiku, "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse"},
		{"inference profile", "us.anthropic.claude-3-5-sonnet-20240620-v1:0", "/model/us.anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse"},
		{"llama", "meta.llama3-70b-instruct-v1:0", "/model/meta.llama3-70b-instruct-v1%3A0/converse"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := llmtest.NewBedrock(t, llmtest.Text("SELECT count(*) FROM orders", 42, 7))
			temp := 0.2
			m := open(t, srv, func(c *config.Model) { c.Model = tt.model; c.MaxTokens = 512; c.Temperature = &temp })
			resp, err := m.Chat(context.Background(), question)
			if err != nil {
				t.Fatalf("Chat: %v", err)
			}
			want := &llm.Response{Text: "SELECT count(*) FROM orders", Model: tt.model, StopReason: "end_turn",
				Usage: llm.Usage{InputTokens: 42, OutputTokens: 7}, Attempts: 1}
			if diff := cmp.Diff(want, resp); diff != "" {
				t.Errorf("response (-want +got):\n%s", diff)
			}
			got := srv.Last()
			if got.RawPath != tt.rawPath {
				t.Errorf("path = %q, want %q", got.RawPath, tt.rawPath)
			}
			if got.Model != tt.model {
				t.Errorf("model = %q, want %q", got.Model, tt.model)
			}
			if auth := got.Header.Get("Authorization"); !sigV4.MatchString(auth) {
				t.Errorf("Authorization = %q, want SigV4 for bedrock in us-west-2", auth)
			}
			var body struct {
				System   []map[string]string `json:"system"`
				Messages []struct {
					Role    string              `json:"role"`
					Content []map[string]string `json:"content"`
				} `json:"messages"`
				InferenceConfig map[string]float64 `json:"inferenceConfig"`
			}
			if err := json.Unmarshal(got.Body, &body); err != nil {
				t.Fatalf("body %s: %v", got.Body, err)
			}
			if diff := cmp.Diff([]map[string]string{{"text": "You write SQL."}}, body.System); diff != "" {
				t.Errorf("system (-want +got):\n%s", diff)
			}
			var turns []string
			for _, msg := range body.Messages {
				turns = append(turns, msg.Role+":"+msg.Content[0]["text"])
			}
			if diff := cmp.Diff([]string{"user:how many orders?", "assistant:SELECT", "user:go on"}, turns); diff != "" {
				t.Errorf("messages (-want +got):\n%s", diff)
			}
			if body.InferenceConfig["maxTokens"] != 512 || float32(body.InferenceConfig["temperature"]) != float32(0.2) {
				t.Errorf("inferenceConfig = %v, want maxTokens 512 and temperature 0.2", body.InferenceConfig)
			}
		})
	}
}

func TestChatStream(t *testing.T) {
	srv := llmtest.NewBedrock(t, llmtest.Reply{Text: "SELECT 1 AS one", Chunks: []string{"SELECT ", "1 ", "AS one"}, InputTokens: 11, OutputTokens: 5})
	m := open(t, srv, nil)
	var deltas []string
	resp, err := m.(llm.Streamer).ChatStream(context.Background(), question, func(s string) { deltas = append(deltas, s) })
	if err != nil {
		t.Fatalf("ChatStream: %v", err)
	}
	if diff := cmp.Diff([]string{"SELECT ", "1 ", "AS one"}, deltas); diff != "" {
		t.Errorf("deltas (-want +got):\n%s", diff)
	}
	want := &llm.Response{Text: "SELECT 1 AS one", Model: haiku, StopReason: "end_turn", Usage: llm.Usage{InputTokens: 11, OutputTokens: 5}, Attempts: 1}
	if diff := cmp.Diff(want, resp); diff != "" {
		t.Errorf("response (-want +got):\n%s", diff)
	}
	if got := srv.Last().RawPath; got != "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse-stream" {
		t.Errorf("path = %q", got)
	}
}

func TestRetries(t *testing.T) {
	tests := []struct {
		name      string
		replies   []llmtest.Reply
		retries   int
		wantCalls int
		wantKind  llm.ErrorKind // "" means success
	}{
		{"throttled then ok", []llmtest.Reply{llmtest.Status(429, "Too many requests"), llmtest.Text("ok", 1, 1)}, 3, 2, ""},
		{"unavailable, not ready, then ok", []llmtest.Reply{llmtest.Status(503, "down"), {Status: 429, Code: "ModelNotReadyException"}, llmtest.Text("ok", 1, 1)}, 3, 3, ""},
		{"internal and model timeout then ok", []llmtest.Reply{llmtest.Status(500, "oops"), llmtest.Status(408, "slow"), llmtest.Text("ok", 1, 1)}, 3, 3, ""},
		{"validation is not retried", []llmtest.Reply{llmtest.Status(400, "messages: must start with user")}, 3, 1, llm.InvalidRequest},
		{"throttled past max retries", []llmtest.Reply{llmtest.Status(429, "Too many requests")}, 2, 3, llm.Throttled},
		{"no retries when max_retries is 0", []llmtest.Reply{llmtest.Status(503, "down")}, 0, 1, llm.Unavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := llmtest.NewBedrock(t, tt.replies...)
			m := open(t, srv, func(c *config.Model) { c.MaxRetries = &tt.retries })
			resp, err := m.Chat(context.Background(), question)
			if srv.Count() != tt.wantCalls {
				t.Errorf("server saw %d calls, want %d", srv.Count(), tt.wantCalls)
			}
			if tt.wantKind == "" {
				if err != nil {
					t.Fatalf("Chat: %v", err)
				}
				if resp.Attempts != tt.wantCalls {
					t.Errorf("Attempts = %d, want %d", resp.Attempts, tt.wantCalls)
				}
				return
			}
			if got := llm.KindOf(err); got != tt.wantKind {
				t.Errorf("kind = %q, want %q (err: %v)", got, tt.wantKind, err)
			}
		})
	}
}

func TestFallback(t *testing.T) {
	const llama = "meta.llama3-70b-instruct-v1:0"
	tests := []struct {
		name      string
		first     llmtest.Reply
		wantModel []string
		wantErr   llm.ErrorKind
	}{
		{"access denied", llmtest.Status(403, "You don't have access to the model"), []string{haiku, llama}, ""},
		{"not found", llmtest.Status(404, "model not found"), []string{haiku, llama}, ""},
		{"bad request does not fall back", llmtest.Status(400, "bad"), []string{haiku}, llm.InvalidRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := llmtest.NewBedrock(t, tt.first, llmtest.Text("fallback answer", 3, 2))
			m := open(t, srv, func(c *config.Model) { c.Fallback = []string{llama} })
			resp, err := m.Chat(context.Background(), question)
			var models []string
			for _, r := range srv.Requests() {
				models = append(models, r.Model)
			}
			if diff := cmp.Diff(tt.wantModel, models); diff != "" {
				t.Errorf("models called (-want +got):\n%s", diff)
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
			if resp.Model != llama || resp.Text != "fallback answer" || resp.Attempts != 2 {
				t.Errorf("resp = %+v, want answer from %s after 2 attempts", resp, llama)
			}
		})
	}
}

func TestTimeout(t *testing.T) {
	srv := llmtest.NewBedrock(t, llmtest.Delayed(3*time.Second, "too late"))
	m := open(t, srv, func(c *config.Model) { c.Timeout = config.Duration(100 * time.Millisecond) })
	_, err := m.Chat(context.Background(), question)
	if llm.KindOf(err) != llm.Timeout {
		t.Fatalf("err = %v, want kind timeout", err)
	}
	if !strings.Contains(err.Error(), "did not answer within 100ms") {
		t.Errorf("message %q does not name the timeout", err)
	}
	if srv.Count() != 1 {
		t.Errorf("server saw %d calls, want 1 (a timeout is not retried)", srv.Count())
	}
}

func TestErrorMessages(t *testing.T) {
	tests := []struct {
		name  string
		reply llmtest.Reply
		want  string
	}{
		{"access denied", llmtest.Status(403, "You don't have access"),
			`Bedrock denied access to model "anthropic.claude-3-haiku-20240307-v1:0" in us-west-2: enable it in the Bedrock console (Model access)`},
		{"bad credentials", llmtest.Reply{Status: 403, Code: "UnrecognizedClientException", Message: "The security token included in the request is invalid."},
			`Bedrock in us-west-2 rejected the AWS credentials (UnrecognizedClientException)`},
		{"needs inference profile", llmtest.Status(400, "Invocation of model ID x with on-demand throughput isn't supported. Retry your request with the ID or ARN of an inference profile"),
			`it needs a cross-region inference profile id, e.g. "us.anthropic.claude-3-haiku-20240307-v1:0"`},
		{"invalid model id", llmtest.Status(400, "The provided model identifier is invalid."),
			`Bedrock has no model "anthropic.claude-3-haiku-20240307-v1:0" in us-west-2`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := llmtest.NewBedrock(t, tt.reply)
			_, err := open(t, srv, nil).Chat(context.Background(), question)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v\nwant it to contain %q", err, tt.want)
			}
			var le *llm.Error
			if !asError(err, &le) || le.Provider != "bedrock" || le.Region != "us-west-2" {
				t.Errorf("err = %#v, want *llm.Error naming bedrock and us-west-2", err)
			}
		})
	}
}

func TestNoCredentials(t *testing.T) {
	srv := llmtest.NewBedrock(t, llmtest.Text("never", 1, 1))
	llmtest.AWSEnv(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	cfg := config.Model{Kind: bedrock.Kind, Model: haiku, BaseURL: srv.BaseURL(), Timeout: config.Duration(5 * time.Second)}
	m, err := llm.Open(context.Background(), "sql", cfg, llm.Options{RetryBaseDelay: time.Millisecond, HTTPClient: &http.Client{}})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	_, err = m.Chat(context.Background(), question)
	if llm.KindOf(err) != llm.Auth || !strings.Contains(err.Error(), "no usable AWS credentials") {
		t.Errorf("err = %v, want an auth error about missing credentials", err)
	}
	if srv.Count() != 0 {
		t.Errorf("server saw %d calls, want none without credentials", srv.Count())
	}
}

func TestEmbed(t *testing.T) {
	srv := llmtest.NewBedrock(t, llmtest.Reply{Embedding: []float32{0.5, -0.25}, InputTokens: 4})
	m := open(t, srv, func(c *config.Model) { c.Model = bedrock.TitanEmbedV2 })
	vecs, u, err := m.(llm.Embedder).Embed(context.Background(), []string{"orders", "customers"})
	if err != nil {
		t.Fatalf("Embed: %v", err)
	}
	if diff := cmp.Diff([][]float32{{0.5, -0.25}, {0.5, -0.25}}, vecs); diff != "" {
		t.Errorf("vectors (-want +got):\n%s", diff)
	}
	if u.InputTokens != 8 {
		t.Errorf("usage = %+v, want 8 input tokens", u)
	}
	reqs := srv.Requests()
	if len(reqs) != 2 || reqs[1].RawPath != "/model/amazon.titan-embed-text-v2%3A0/invoke" || !strings.Contains(string(reqs[1].Body), `"inputText":"customers"`) {
		t.Errorf("requests = %+v", reqs)
	}
}
