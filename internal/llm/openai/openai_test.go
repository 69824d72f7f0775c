package openai_test

import (
	"context"
	"encoding/json"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/llm"
	"github.com/askdb/askdb/internal/llm/llmtest"
	"github.com/askdb/askdb/internal/llm/openai"
	"github.com/google/go-cmp/cmp"
)

func open(t *testing.T, baseURL string, edit func(*config.Model)) llm.Model {
	t.Helper()
	t.Setenv("OPENAI_API_KEY", "")
	cfg := config.Model{Kind: openai.Kind, Model: "llama3.1:8b", BaseURL: baseURL, Timeout: config.Duration(5 * time.Second)}
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
	Messages: []llm.Message{{Role: llm.RoleUser, Content: "how many orders?"}},
	Stop:     []string{";"},
}

type chatBody struct {
	Model    string `json:"model"`
	Messages []struct {
		Role    string `json:"role"`
		Content string `json:"content"`
	} `json:"messages"`
	MaxTokens     int      `json:"max_tokens"`
	Temperature   *float64 `json:"temperature"`
	Stop          []string `json:"stop"`
	Stream        bool     `json:"stream"`
	StreamOptions *struct {
		IncludeUsage bool `json:"include_usage"`
	} `json:"stream_options"`
}

func TestChat(t *testing.T) {
	srv := llmtest.NewOpenAI(t, llmtest.Text("SELECT count(*) FROM orders", 30, 8))
	m := open(t, srv.BaseURL(), func(c *config.Model) { c.APIKey = "sk-test"; c.MaxTokens = 256 })
	resp, err := m.Chat(context.Background(), question)
	if err != nil {
		t.Fatalf("Chat: %v", err)
	}
	want := &llm.Response{Text: "SELECT count(*) FROM orders", Model: "llama3.1:8b", StopReason: "stop", Usage: llm.Usage{InputTokens: 30, OutputTokens: 8}, Attempts: 1}
	if diff := cmp.Diff(want, resp); diff != "" {
		t.Errorf("response (-want +got):\n%s", diff)
	}
	got := srv.Last()
	if got.Path != "/v1/chat/completions" || got.Header.Get("Authorization") != "Bearer sk-test" {
		t.Errorf("path %q auth %q", got.Path, got.Header.Get("Authorization"))
	}
	var body chatBody
	if err := json.Unmarshal(got.Body, &body); err != nil {
		t.Fatal(err)
	}
	var turns []string
	for _, msg := range body.Messages {
		turns = append(turns, msg.Role+":"+msg.Content)
	}
	if diff := cmp.Diff([]string{"system:You write SQL.", "user:how many orders?"}, turns); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
	if body.Model != "llama3.1:8b" || body.MaxTokens != 256 || body.Temperature != nil || !cmp.Equal(body.Stop, []string{";"}) || body.Stream {
		t.Errorf("body = %+v", body)
	}
}

func TestPlaceholderKey(t *testing.T) {
	srv := llmtest.NewOpenAI(t, llmtest.Text("ok", 1, 1))
	if _, err := open(t, srv.BaseURL(), nil).Chat(context.Background(), question); err != nil {
		t.Fatal(err)
	}
	if auth := srv.Last().Header.Get("Authorization"); auth != "Bearer askdb-no-key" {
		t.Errorf("Authorization = %q, want the placeholder key for a local server", auth)
	}
}

func TestChatStream(t *testing.T) {
	srv := llmtest.NewOpenAI(t, llmtest.Reply{Text: "SELECT 1", Chunks: []string{"SEL", "ECT", " 1"}, InputTokens: 9, OutputTokens: 3})
	var deltas []string
	resp, err := open(t, srv.BaseURL(), nil).(llm.Streamer).ChatStream(context.Background(), question, func(s string) { deltas = append(deltas, s) })
	if err != nil {
		t.Fatalf("ChatStream: %v", err)
	}
	if diff := cmp.Diff([]string{"SEL", "ECT", " 1"}, deltas); diff != "" {
		t.Errorf("deltas (-want +got):\n%s", diff)
	}
	want := &llm.Response{Text: "SELECT 1", Model: "llama3.1:8b", StopReason: "stop", Usage: llm.Usage{InputTokens: 9, OutputTokens: 3}, Attempts: 1}
	if diff := cmp.Diff(want, resp); diff != "" {
		t.Errorf("response (-want +got):\n%s", diff)
	}
	var body chatBody
	_ = json.Unmarshal(srv.Last().Body, &body)
	if !body.Stream || body.StreamOptions == nil || !body.StreamOptions.IncludeUsage {
		t.Errorf("request did not ask for a stream with usage: %s", srv.Last().Body)
	}
}

func TestRetryAndFallback(t *testing.T) {
	zero := 0
	tests := []struct {
		name       string
		replies    []llmtest.Reply
		maxRetries *int
		wantModels []string
		wantKind   llm.ErrorKind
	}{
		{"429 then ok", []llmtest.Reply{llmtest.Status(429, "slow down"), llmtest.Text("ok", 1, 1)}, nil, []string{"llama3.1:8b", "llama3.1:8b"}, ""},
		{"500 then ok", []llmtest.Reply{llmtest.Status(500, "boom"), llmtest.Text("ok", 1, 1)}, nil, []string{"llama3.1:8b", "llama3.1:8b"}, ""},
		{"400 not retried", []llmtest.Reply{llmtest.Status(400, "bad stop")}, nil, []string{"llama3.1:8b"}, llm.InvalidRequest},
		{"404 falls back", []llmtest.Reply{llmtest.Status(404, "model not found"), llmtest.Text("ok", 1, 1)}, nil, []string{"llama3.1:8b", "qwen2.5:7b"}, ""},
		{"403 falls back", []llmtest.Reply{llmtest.Status(403, "no"), llmtest.Text("ok", 1, 1)}, nil, []string{"llama3.1:8b", "qwen2.5:7b"}, ""},
		{"429 without retries falls back", []llmtest.Reply{llmtest.Status(429, "slow"), llmtest.Text("ok", 1, 1)}, &zero, []string{"llama3.1:8b", "qwen2.5:7b"}, ""},
		{"401 stops", []llmtest.Reply{llmtest.Status(401, "bad key")}, nil, []string{"llama3.1:8b"}, llm.Auth},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := llmtest.NewOpenAI(t, tt.replies...)
			m := open(t, srv.BaseURL(), func(c *config.Model) { c.Fallback = []string{"qwen2.5:7b"}; c.MaxRetries = tt.maxRetries })
			resp, err := m.Chat(context.Background(), question)
			var models []string
			for _, r := range srv.Requests() {
				models = append(models, r.Model)
			}
			if diff := cmp.Diff(tt.wantModels, models); diff != "" {
				t.Errorf("models called (-want +got):\n%s", diff)
			}
			if tt.wantKind != "" {
				if llm.KindOf(err) != tt.wantKind {
					t.Errorf("err = %v, want kind %q", err, tt.wantKind)
				}
				return
			}
			if err != nil {
				t.Fatalf("Chat: %v", err)
			}
			if resp.Model != tt.wantModels[len(tt.wantModels)-1] || resp.Attempts != len(tt.wantModels) {
				t.Errorf("resp = %+v", resp)
			}
		})
	}
}

func TestTimeout(t *testing.T) {
	srv := llmtest.NewOpenAI(t, llmtest.Delayed(3*time.Second, "late"))
	m := open(t, srv.BaseURL(), func(c *config.Model) { c.Timeout = config.Duration(100 * time.Millisecond) })
	_, err := m.Chat(context.Background(), question)
	if llm.KindOf(err) != llm.Timeout || srv.Count() != 1 {
		t.Errorf("err = %v after %d calls, want one timeout", err, srv.Count())
	}
}

func TestErrorMessages(t *testing.T) {
	// A port nothing listens on: bind, note the address, close.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + ln.Addr().String() + "/v1"
	ln.Close()

	srv401 := llmtest.NewOpenAI(t, llmtest.Status(401, "Incorrect API key provided"))
	srv400 := llmtest.NewOpenAI(t, llmtest.Status(400, "max_tokens is too large"))
	tests := []struct {
		name, base, want string
		kind             llm.ErrorKind
	}{
		{"not reachable", dead, "OpenAI-compatible server at " + dead + " is not reachable: is the server running", llm.Unavailable},
		{"bad key", srv401.BaseURL(), "rejected the API key: set OPENAI_API_KEY", llm.Auth},
		{"bad request keeps server detail", srv400.BaseURL(), `rejected the request to model "llama3.1:8b" (HTTP 400): max_tokens is too large`, llm.InvalidRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := open(t, tt.base, nil).Chat(context.Background(), question)
			if llm.KindOf(err) != tt.kind || err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v (kind %q)\nwant kind %q containing %q", err, llm.KindOf(err), tt.kind, tt.want)
			}
		})
	}
}

func TestEmbed(t *testing.T) {
	srv := llmtest.NewOpenAI(t, llmtest.Reply{Embedding: []float32{1, 0.5}, InputTokens: 6})
	m := open(t, srv.BaseURL(), func(c *config.Model) { c.Model = "nomic-embed-text" })
	vecs, u, err := m.(llm.Embedder).Embed(context.Background(), []string{"a", "b"})
	if err != nil {
		t.Fatalf("Embed: %v", err)
	}
	if diff := cmp.Diff([][]float32{{1, 0.5}, {1, 0.5}}, vecs); diff != "" || u.InputTokens != 6 {
		t.Errorf("vectors (-want +got):\n%s usage %+v", diff, u)
	}
	if got := srv.Last(); got.Path != "/v1/embeddings" || got.Model != "nomic-embed-text" {
		t.Errorf("request %s %s", got.Path, got.Body)
	}
}

// TestChatChoices checks that Request.N goes out as n and that every
// choice comes back, and that without N no n is sent and Choices stay nil.
func TestChatChoices(t *testing.T) {
	texts := []string{"SELECT 1", "SELECT 2", "SELECT 3"}
	for _, tc := range []struct {
		name     string
		n        int
		wantN    any
		wantText []string
	}{
		{name: "three", n: 3, wantN: float64(3), wantText: texts},
		{name: "one", n: 1, wantN: nil, wantText: nil},
		{name: "unset", n: 0, wantN: nil, wantText: nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := llmtest.NewOpenAI(t, llmtest.Reply{Text: texts[0], Choices: texts, InputTokens: 30, OutputTokens: 24})
			m := open(t, srv.BaseURL(), nil)
			req := question
			req.N = tc.n
			resp, err := m.Chat(context.Background(), req)
			if err != nil {
				t.Fatalf("Chat: %v", err)
			}
			var body map[string]any
			if err := json.Unmarshal(srv.Last().Body, &body); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.wantN, body["n"]); diff != "" {
				t.Errorf("n sent (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantText, resp.Choices); diff != "" {
				t.Errorf("Choices (-want +got):\n%s", diff)
			}
			if resp.Text != texts[0] || srv.Count() != 1 {
				t.Errorf("Text %q after %d calls, want %q after 1", resp.Text, srv.Count(), texts[0])
			}
		})
	}
}
