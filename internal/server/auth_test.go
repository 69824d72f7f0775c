package server

import (
	"strings"
	"testing"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/llm/llmtest"
)

func TestAPIKeys(t *testing.T) {
	e := newEnv(t, nil, withServer(func(c *config.Server) { c.APIKeys = []string{"s3cret", "other"} }))
	tests := []struct {
		name, method, path, auth string
		status                   int
	}{
		{"no key", "GET", "/api/sources", "", 401},
		{"wrong key", "GET", "/api/sources", "Bearer nope", 401},
		{"not bearer", "GET", "/api/sources", "Basic s3cret", 401},
		{"right key", "GET", "/api/sources", "Bearer s3cret", 200},
		{"second key", "GET", "/api/sources", "Bearer other", 200},
		{"metrics need a key", "GET", "/metrics", "", 401},
		{"health is open", "GET", "/healthz", "", 200},
		{"openapi is open", "GET", "/api/openapi.json", "", 200},
		{"UI is open", "GET", "/", "", 200},
	}
	e.key = ""
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h []string
			if tt.auth != "" {
				h = []string{"Authorization", tt.auth}
			}
			resp, body := e.do(tt.method, tt.path, "", h...)
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d: %s", resp.StatusCode, tt.status, body)
			}
			if tt.status == 401 && resp.Header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		})
	}
	_, body := e.do("POST", "/api/sql", `{"sql":"SELECT 1 AS one"}`, "Authorization", "Bearer s3cret")
	a := decodeAs[answerJSON](t, body)
	rec, err := e.store.Answer(t.Context(), a.ID)
	if err != nil || rec.User == Anonymous || rec.User == "" || rec.User == "s3cret" {
		t.Errorf("stored user %q (%v): want the key's user, never the key", rec.User, err)
	}
}

func TestAPIKeysOffByDefault(t *testing.T) {
	e := newEnv(t, nil)
	if resp, _ := e.do("GET", "/api/sources", ""); resp.StatusCode != 200 {
		t.Errorf("status %d without keys configured", resp.StatusCode)
	}
}

// TestAnswersScopedToCaller checks that with API keys an answer, its CSV,
// its feedback and its conversation belong to the key that asked: another
// key gets the same 404 as for an id that does not exist.
func TestAnswersScopedToCaller(t *testing.T) {
	replies := []llmtest.Reply{sqlReply(countrySQL)}
	e := newEnv(t, replies, withServer(func(c *config.Server) { c.APIKeys = []string{"alice-key", "bob-key"} }))
	alice, bob := []string{"Authorization", "Bearer alice-key"}, []string{"Authorization", "Bearer bob-key"}
	_, body := e.do("POST", "/api/ask", `{"question":"how many customers per country?","conversation_id":"c1"}`, alice...)
	id := decodeAs[answerJSON](t, body).ID
	if id == "" {
		t.Fatalf("no answer: %s", body)
	}
	_, missing := e.do("GET", "/api/answers/0123456789abcdef", "", bob...)
	tests := []struct {
		name, method, path, body string
		who                      []string
		status                   int
	}{
		{"owner reads", "GET", "/api/answers/" + id, "", alice, 200},
		{"owner downloads", "GET", "/api/answers/" + id + ".csv", "", alice, 200},
		{"other key reads", "GET", "/api/answers/" + id, "", bob, 404},
		{"other key downloads", "GET", "/api/answers/" + id + ".csv", "", bob, 404},
		{"other key votes", "POST", "/api/answers/" + id + "/feedback", `{"vote":"down"}`, bob, 404},
		{"owner votes", "POST", "/api/answers/" + id + "/feedback", `{"vote":"up"}`, alice, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := e.do(tt.method, tt.path, tt.body, tt.who...)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, body)
			}
			if tt.status == 404 {
				got, want := decodeAs[errorJSON](t, body).Error, decodeAs[errorJSON](t, missing).Error
				if got.Code != want.Code || strings.Contains(string(body), "alice") {
					t.Errorf("404 %+v differs from an unknown id's %+v", got, want)
				}
			}
		})
	}
	fbs, err := e.store.FeedbackFor(t.Context(), id)
	if err != nil || len(fbs) != 1 || fbs[0].Vote != "up" {
		t.Errorf("stored feedback %+v, %v: want only the owner's up vote", fbs, err)
	}

	// A conversation id is no key to another caller's history: the owner's
	// follow-up shows the model the earlier turn, another key's does not.
	const history = "Earlier in this conversation"
	e.do("POST", "/api/ask", `{"question":"customers per country, again","conversation_id":"c1"}`, alice...)
	if !strings.Contains(string(e.model.Last().Body), history) {
		t.Fatalf("the owner's follow-up has no history; the check below would prove nothing")
	}
	e.do("POST", "/api/ask", `{"question":"customers per country, again","conversation_id":"c1"}`, bob...)
	// (The owner's up vote above put the question in the shared question
	// bank, where every caller's prompt may see it as a verified example.)
	if last := string(e.model.Last().Body); strings.Contains(last, history) {
		t.Errorf("another key's question saw the owner's conversation:\n%s", last)
	}
}

func TestAnswersSharedWithoutKeys(t *testing.T) {
	e := newEnv(t, nil)
	_, body := e.do("POST", "/api/sql", `{"sql":"SELECT 1 AS one"}`)
	id := decodeAs[answerJSON](t, body).ID
	if resp, body := e.do("GET", "/api/answers/"+id, "", "Authorization", "Bearer anything"); resp.StatusCode != 200 {
		t.Errorf("without keys an answer is everyone's: %d %s", resp.StatusCode, body)
	}
}

// TestProbesLeakNothingWithoutKey checks that with API keys /healthz and
// /readyz answer a probe with a bare status, naming no source, and that
// only a right key sees the state of each source.
func TestProbesLeakNothingWithoutKey(t *testing.T) {
	e := newEnv(t, nil, func(o *Options, c *config.Config) {
		o.Config.APIKeys = []string{"s3cret"}
		c.Sources["down"] = config.Source{Kind: "postgres", DSN: "postgres://u@" + closedAddr(t) + "/db?connect_timeout=1"}
		c.DefaultSource = "sample"
	})
	e.key = ""
	tests := []struct {
		name, path, auth string
		status           int
		want             string
	}{
		{"health", "/healthz", "", 200, `{"status":"ok"}`},
		{"ready without a key", "/readyz", "", 503, `{"status":"not ready"}`},
		{"ready with a wrong key", "/readyz", "Bearer nope", 503, `{"status":"not ready"}`},
		{"ready with the key", "/readyz", "Bearer s3cret", 503, `{"sources":{"down":"unreachable","sample":"ok"},"status":"not ready"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h []string
			if tt.auth != "" {
				h = []string{"Authorization", tt.auth}
			}
			resp, body := e.do("GET", tt.path, "", h...)
			if got := strings.TrimSpace(string(body)); resp.StatusCode != tt.status || got != tt.want {
				t.Errorf("%d %s, want %d %s", resp.StatusCode, got, tt.status, tt.want)
			}
		})
	}
	ready := newEnv(t, nil, withServer(func(c *config.Server) { c.APIKeys = []string{"s3cret"} }))
	ready.key = ""
	if resp, body := ready.do("GET", "/readyz", ""); resp.StatusCode != 200 || strings.TrimSpace(string(body)) != `{"status":"ready"}` {
		t.Errorf("ready without a key: %d %s", resp.StatusCode, body)
	}
}
