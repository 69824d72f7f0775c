package server

import (
	"testing"

	"github.com/askdb/askdb/internal/config"
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
