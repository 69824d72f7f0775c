package server

import (
	"encoding/json"
	"testing"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/llm/llmtest"
)

// TestAskNoCache: a repeat over the API comes from the cache with no
// model call, and "no_cache": true asks the model again.
func TestAskNoCache(t *testing.T) {
	withCache := func(_ *Options, cfg *config.Config) {
		on := true
		cfg.Ask.Cache.Enabled = &on
	}
	e := newEnv(t, []llmtest.Reply{sqlReply("SELECT count(*) FROM customers")}, withCache)
	tests := []struct {
		name, body string
		wantKind   string
		wantCalls  int
	}{
		{"first ask", `{"question":"how many customers are there?"}`, "model", 1},
		{"repeat", `{"question":"how many customers are there?"}`, "cache", 1},
		{"refused cache", `{"question":"how many customers are there?","no_cache":true}`, "model", 2},
	}
	for _, tt := range tests {
		resp, body := e.do("POST", "/api/ask", tt.body)
		var a struct {
			Outcome  string `json:"outcome"`
			ChosenBy struct {
				Kind string `json:"kind"`
			} `json:"chosen_by"`
		}
		if err := json.Unmarshal(body, &a); err != nil || resp.StatusCode != 200 || a.Outcome != "answered" {
			t.Fatalf("%s: status %d, %s, %v", tt.name, resp.StatusCode, body, err)
		}
		if a.ChosenBy.Kind != tt.wantKind || e.model.Count() != tt.wantCalls {
			t.Errorf("%s: chosen by %q after %d model calls; want %q after %d", tt.name, a.ChosenBy.Kind, e.model.Count(), tt.wantKind, tt.wantCalls)
		}
	}
}
