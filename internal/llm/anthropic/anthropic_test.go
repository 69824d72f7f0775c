package anthropic_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/llm"
	"github.com/askdb/askdb/internal/llm/anthropic"
	"github.com/askdb/askdb/internal/llm/llmtest"
	"github.com/google/go-cmp/cmp"
)

const sonnet = "claude-sonnet-4-20250514"

func open(t *testing.T, srv *llmtest.Server, edit func(*config.Model)) llm.Model {
	t.Helper()
	t.Setenv("ANTHROPIC_API_KEY", "sk-ant-env")
	cfg := config.Model{Kind: anthropic.Kind, Model: sonnet, BaseURL: srv.BaseURL(), Timeout: config.Duration(5 * time.Second)}
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
	System:    "You write SQL.",
	Messages:  []llm.Message{{Role: llm.RoleUser, Content: "how many orders?"}},
	MaxTokens: 300,
}

func TestChat(t *testing.T) {
	srv := llmtest.NewAnthropic(t, llmtest.Text("SELECT count(*) FROM orders", 25, 9))
	temp := 0.0
	resp, err := open(t, srv, func(c *config.Model) { c.Temperature = &temp }).Chat(context.Background(), question)
	if err != nil {
		t.Fatalf("Chat: %v", err)
	}
	want := &llm.Response{Text: "SELECT count(*) FROM orders", Model: sonnet, StopReason: "end_turn", Usage: llm.Usage{InputTokens: 25, OutputTokens: 9}, Attempts: 1}
	if diff := cmp.Diff(want, resp); diff != "" {
		t.Errorf("response (-want +got):\n%s", diff)
	}
	got := srv.Last()
	if got.Path != "/v1/messages" || got.Header.Get("X-Api-Key") != "sk-ant-env" || got.Header.Get("Anthropic-Version") == "" {
		t.Errorf("path %q headers %v", got.Path, got.Header)
	}
	var body struct {
		Model     string              `json:"model"`
		MaxTokens int                 `json:"max_tokens"`
		System    []map[string]string `json:"system"`
		Messages  []struct {
			Role    string              `json:"role"`
			Content []map[string]string `json:"content"`
		} `json:"messages"`
		Temperature *float64 `json:"temperature"`
	}
	if err := json.Unmarshal(got.Body, &body); err != nil {
		t.Fatal(err)
	}
	if body.Model != sonnet || body.MaxTokens != 300 || len(body.System) != 1 || body.System[0]["text"] != "You write SQL." ||
		len(body.Messages) != 1 || body.Messages[0].Role != "user" || body.Messages[0].Content[0]["text"] != "how many orders?" ||
		body.Temperature == nil || *body.Temperature != 0 {
		t.Errorf("body = %s", got.Body)
	}
}

func TestChatStream(t *testing.T) {
	srv := llmtest.NewAnthropic(t, llmtest.Reply{Text: "SELECT 2", Chunks: []string{"SELECT", " 2"}, InputTokens: 12, OutputTokens: 4})
	var deltas []string
	resp, err := open(t, srv, nil).(llm.Streamer).ChatStream(context.Background(), question, func(s string) { deltas = append(deltas, s) })
	if err != nil {
		t.Fatalf("ChatStream: %v", err)
	}
	if diff := cmp.Diff([]string{"SELECT", " 2"}, deltas); diff != "" {
		t.Errorf("deltas (-want +got):\n%s", diff)
	}
	want := &llm.Response{Text: "SELECT 2", Model: sonnet, StopReason: "end_turn", Usage: llm.Usage{InputTokens: 12, OutputTokens: 4}, Attempts: 1}
	if diff := cmp.Diff(want, resp); diff != "" {
		t.Errorf("response (-want +got):\n%s", diff)
	}
}

func TestRetryAndFallback(t *testing.T) {
	const haiku = "claude-3-5-haiku-20241022"
	tests := []struct {
		name       string
		replies    []llmtest.Reply
		wantModels []string
		wantKind   llm.ErrorKind
	}{
		{"429 then ok", []llmtest.Reply{llmtest.Status(429, "rate"), llmtest.Text("ok", 1, 1)}, []string{sonnet, sonnet}, ""},
		{"529 overloaded then ok", []llmtest.Reply{llmtest.Status(529, "Overloaded"), llmtest.Text("ok", 1, 1)}, []string{sonnet, sonnet}, ""},
		{"400 not retried", []llmtest.Reply{llmtest.Status(400, "max_tokens: too big")}, []string{sonnet}, llm.InvalidRequest},
		{"404 falls back", []llmtest.Reply{llmtest.Status(404, "model: "+sonnet), llmtest.Text("ok", 1, 1)}, []string{sonnet, haiku}, ""},
		{"403 falls back", []llmtest.Reply{llmtest.Status(403, "no access"), llmtest.Text("ok", 1, 1)}, []string{sonnet, haiku}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := llmtest.NewAnthropic(t, tt.replies...)
			resp, err := open(t, srv, func(c *config.Model) { c.Fallback = []string{haiku} }).Chat(context.Background(), question)
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
	srv := llmtest.NewAnthropic(t, llmtest.Delayed(3*time.Second, "late"))
	_, err := open(t, srv, func(c *config.Model) { c.Timeout = config.Duration(100 * time.Millisecond) }).Chat(context.Background(), question)
	if llm.KindOf(err) != llm.Timeout || srv.Count() != 1 {
		t.Errorf("err = %v after %d calls, want one timeout", err, srv.Count())
	}
}

func TestBadKeyMessage(t *testing.T) {
	srv := llmtest.NewAnthropic(t, llmtest.Status(401, "invalid x-api-key"))
	_, err := open(t, srv, func(c *config.Model) { c.APIKey = "sk-ant-wrong" }).Chat(context.Background(), question)
	if llm.KindOf(err) != llm.Auth || !strings.Contains(err.Error(), "rejected the API key: set ANTHROPIC_API_KEY") {
		t.Errorf("err = %v", err)
	}
	if got := srv.Last().Header.Get("X-Api-Key"); got != "sk-ant-wrong" {
		t.Errorf("X-Api-Key = %q, want the configured key over the environment", got)
	}
}
