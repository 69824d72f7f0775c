package server

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/askdb/askdb/internal/llm/llmtest"
)

// TestShutdownDrainsInFlight cancels Serve's context while a question is
// waiting on a slow model: the question still gets its 200 answer, Serve
// returns nil, and new connections are refused.
func TestShutdownDrainsInFlight(t *testing.T) {
	slow := sqlReply("SELECT 1 AS one")
	slow.Delay = 300 * time.Millisecond
	e := newEnv(t, []llmtest.Reply{slow})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	served := make(chan error, 1)
	go func() { served <- e.srv.Serve(ctx, ln) }()
	url := "http://" + ln.Addr().String()

	type result struct {
		status int
		body   string
		err    error
	}
	got := make(chan result, 1)
	inFlight := make(chan struct{})
	go func() {
		req, _ := http.NewRequest("POST", url+"/api/ask", strings.NewReader(`{"question":"one"}`))
		req.Header.Set("Accept", "text/event-stream")
		resp, err := http.DefaultClient.Do(req)
		close(inFlight)
		if err != nil {
			got <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		got <- result{resp.StatusCode, string(b), err}
	}()
	<-inFlight // the stream's headers are out: the request is being served
	cancel()

	r := <-got
	if r.err != nil || r.status != 200 || !strings.Contains(r.body, "event: answer") {
		t.Fatalf("in-flight request: status %d, err %v, body %q", r.status, r.err, r.body)
	}
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("Serve returned %v after a clean shutdown", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after shutdown")
	}
	if _, err := http.Get(url + "/healthz"); err == nil {
		t.Error("the server still accepts connections after shutdown")
	}
}
