package server

import (
	"net/http"
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
