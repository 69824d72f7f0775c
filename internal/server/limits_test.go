package server

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/llm/llmtest"
)

func TestRateLimit(t *testing.T) {
	e := newEnv(t, nil, withServer(func(c *config.Server) { c.RequestsPerMinute = 2 }))
	for i, want := range []int{200, 200, 429} {
		resp, body := e.do("POST", "/api/sql", `{"sql":"SELECT 1 AS one"}`)
		if resp.StatusCode != want {
			t.Fatalf("request %d: status %d, want %d: %s", i+1, resp.StatusCode, want, body)
		}
		if want == 429 {
			if resp.Header.Get("Retry-After") == "" || decodeAs[errorJSON](t, body).Error.Code != "rate_limited" {
				t.Errorf("429 without Retry-After or code: %v %s", resp.Header, body)
			}
		}
	}
	// Unlimited routes still answer.
	if resp, _ := e.do("GET", "/api/sources", ""); resp.StatusCode != 200 {
		t.Errorf("sources %d after the limit", resp.StatusCode)
	}
}

func TestConcurrencyLimit(t *testing.T) {
	slow := sqlReply("SELECT 1 AS one")
	slow.Delay = 400 * time.Millisecond
	e := newEnv(t, []llmtest.Reply{slow}, withServer(func(c *config.Server) { c.MaxConcurrent = 1 }))
	var wg sync.WaitGroup
	first := make(chan int, 1)
	started := make(chan struct{})
	wg.Go(func() {
		req, _ := http.NewRequest("POST", e.ts.URL+"/api/ask", strings.NewReader(`{"question":"one"}`))
		req.Header.Set("Accept", "text/event-stream")
		resp, err := e.ts.Client().Do(req)
		if err != nil {
			t.Error(err)
			close(started)
			return
		}
		defer resp.Body.Close()
		close(started) // headers arrive once the request holds its slot
		readSSE(t, resp.Body)
		first <- resp.StatusCode
	})
	<-started
	resp, body := e.do("POST", "/api/ask", `{"question":"two"}`)
	if resp.StatusCode != 429 || !strings.Contains(string(body), "in flight") {
		t.Errorf("second request: %d %s", resp.StatusCode, body)
	}
	wg.Wait()
	if got := <-first; got != 200 {
		t.Errorf("first request %d", got)
	}
	if resp, body := e.do("POST", "/api/sql", `{"sql":"SELECT 1 AS one"}`); resp.StatusCode != 200 {
		t.Errorf("after the first finished: %d %s", resp.StatusCode, body)
	}
}

func TestClientLimitsForgetIdleClients(t *testing.T) {
	now := time.Unix(0, 0)
	l := newClientLimits(60, 1, func() time.Time { return now })
	release, _, _ := l.acquire("a")
	release()
	release() // twice is harmless
	if _, reason, _ := l.acquire("a"); reason != "" {
		t.Fatalf("second acquire refused: %s", reason)
	}
	now = now.Add(idleAfter + 2*time.Minute)
	l.acquire("b")
	if _, ok := l.clients["a"]; !ok {
		t.Fatal("a client with a request in flight was forgotten")
	}
}

// TestClientIDBehindProxy checks that X-Forwarded-For names the client only
// when the request comes from a trusted proxy, and that a client cannot
// choose its own identity by writing the header itself.
func TestClientIDBehindProxy(t *testing.T) {
	proxies, err := parseProxies([]string{"10.0.0.0/8", "192.0.2.7"})
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{proxies: proxies}
	tests := []struct{ remote, xff, want string }{
		{"198.51.100.4:5000", "1.2.3.4", "198.51.100.4"},           // untrusted peer: header ignored
		{"10.1.2.3:5000", "203.0.113.9", "203.0.113.9"},            // trusted proxy
		{"10.1.2.3:5000", "6.6.6.6, 203.0.113.9", "203.0.113.9"},   // the client's own prefix is ignored
		{"10.1.2.3:5000", "203.0.113.9, 192.0.2.7", "203.0.113.9"}, // two trusted hops
		{"192.0.2.7:5000", "", "192.0.2.7"},                        // no header
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/api/sources", nil)
		r.RemoteAddr = tt.remote
		if tt.xff != "" {
			r.Header.Set("X-Forwarded-For", tt.xff)
		}
		if got := s.clientID(r); got != tt.want {
			t.Errorf("remote %s, X-Forwarded-For %q: client %q, want %q", tt.remote, tt.xff, got, tt.want)
		}
	}
	if _, err := parseProxies([]string{"not-an-ip"}); err == nil {
		t.Error("a bad proxy address must be an error")
	}
}
