package server

import (
	"net/http"
	"net/http/httptest"
	"strconv"
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
	l := newClientLimits(60, 0, 1, func() time.Time { return now })
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

// TestWrongKeysRateLimited checks that wrong API keys are limited per
// client address: past the budget the address gets 429 with Retry-After,
// even with the right key (so a right guess is not told apart), while
// other addresses and right keys elsewhere are served; the budget refills.
func TestWrongKeysRateLimited(t *testing.T) {
	var mu sync.Mutex
	now := time.Unix(1_700_000_000, 0)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	e := newEnv(t, nil, func(o *Options, _ *config.Config) {
		o.Now = clock
		o.Config.APIKeys = []string{"good-key"}
		o.Config.TrustedProxies = []string{"127.0.0.1"} // the test client is the proxy
		o.Config.AuthFailuresPerMinute = 3
	})
	e.key = ""
	from := func(addr, key string) (*http.Response, []byte) {
		h := []string{"X-Forwarded-For", addr}
		if key != "" {
			h = append(h, "Authorization", "Bearer "+key)
		}
		return e.do("GET", "/api/sources", "", h...)
	}
	for i := range 3 {
		if resp, body := from("203.0.113.1", "guess"); resp.StatusCode != 401 {
			t.Fatalf("wrong key %d: %d %s", i+1, resp.StatusCode, body)
		}
	}
	for _, key := range []string{"guess", "good-key", ""} {
		resp, body := from("203.0.113.1", key)
		if resp.StatusCode != 429 || decodeAs[errorJSON](t, body).Error.Code != "rate_limited" || resp.Header.Get("Retry-After") != "20" {
			t.Errorf("key %q past the budget: %d Retry-After %q %s", key, resp.StatusCode, resp.Header.Get("Retry-After"), body)
		}
	}
	if resp, body := from("203.0.113.2", "good-key"); resp.StatusCode != 200 {
		t.Errorf("another address with the right key: %d %s", resp.StatusCode, body)
	}
	if resp, _ := from("203.0.113.2", "guess"); resp.StatusCode != 401 {
		t.Errorf("another address's first wrong key: %d, want 401", resp.StatusCode)
	}
	for range 5 { // no key is no guess
		if resp, _ := from("203.0.113.3", ""); resp.StatusCode != 401 {
			t.Fatalf("no key: %d, want 401", resp.StatusCode)
		}
	}
	mu.Lock()
	now = now.Add(20 * time.Second)
	mu.Unlock()
	if resp, body := from("203.0.113.1", "good-key"); resp.StatusCode != 200 {
		t.Errorf("after the budget refilled: %d %s", resp.StatusCode, body)
	}
	wantDocumented(t, e, "GET", "/api/sources", 429)
}

// TestAuthFailuresBounded checks that the table of failing addresses stays
// within its bound under a flood from many addresses, that the flood locks
// out nobody who sends right keys, and that an address still knocking is
// not the one forgotten.
func TestAuthFailuresBounded(t *testing.T) {
	now := time.Unix(0, 0)
	a := newAuthFailures(2, 100, func() time.Time { return now })
	a.fail("attacker")
	a.fail("attacker")
	for i := range 10_000 {
		addr := "10.0." + strconv.Itoa(i/256) + "." + strconv.Itoa(i%256)
		a.fail(addr)
		a.fail(addr)
		if _, ok := a.blocked("attacker"); !ok {
			t.Fatalf("the knocking attacker was forgotten after %d other addresses", i)
		}
	}
	if n := a.lru.Len(); n > 100 || len(a.addrs) != n {
		t.Errorf("%d addresses remembered (%d in the map), bound 100", n, len(a.addrs))
	}
	if _, ok := a.blocked("good"); ok {
		t.Error("an address that never failed is blocked")
	}
	now = now.Add(2 * time.Minute)
	a.fail("late")
	if n := a.lru.Len(); n != 1 {
		t.Errorf("%d addresses remembered after every budget refilled; want only the new one", n)
	}
}

func TestAddrKey(t *testing.T) {
	for in, want := range map[string]string{
		"203.0.113.9":          "203.0.113.9",
		"::ffff:203.0.113.9":   "203.0.113.9",
		"2001:db8:1:2:3:4:5:6": "2001:db8:1:2::/64",
		"2001:db8:1:2:ff::1":   "2001:db8:1:2::/64",
		"not-an-ip":            "not-an-ip",
	} {
		if got := addrKey(in); got != want {
			t.Errorf("addrKey(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestBurstScalesWithRate checks that a client may send a third of a
// minute's requests at once however high the rate (the burst was capped
// at 20), that low rates keep their old burst, and that server.burst
// overrides it.
func TestBurstScalesWithRate(t *testing.T) {
	tests := []struct {
		name                        string
		perMinute, burst, wantBurst int
	}{
		{"low rate: the whole rate", 2, 0, 2},
		{"default rate", 60, 0, 20},
		{"high rate", 6000, 0, 2000},
		{"configured", 6000, 5, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := time.Unix(0, 0)
			l := newClientLimits(tt.perMinute, tt.burst, 1, func() time.Time { return now })
			admitted := 0
			for range tt.wantBurst + 1 {
				release, _, _ := l.acquire("c")
				if release == nil {
					break
				}
				release()
				admitted++
			}
			if admitted != tt.wantBurst {
				t.Errorf("%d requests at once admitted, want %d", admitted, tt.wantBurst)
			}
		})
	}
}

// TestConfiguredBurst checks server.burst through the handler stack.
func TestConfiguredBurst(t *testing.T) {
	e := newEnv(t, nil, func(o *Options, _ *config.Config) {
		stopped := time.Unix(1_700_000_000, 0) // no token comes back between requests
		o.Now = func() time.Time { return stopped }
		o.Config.RequestsPerMinute, o.Config.Burst = 6000, 3
	})
	for i, want := range []int{200, 200, 200, 429} {
		if resp, body := e.do("POST", "/api/sql", `{"sql":"SELECT 1 AS one"}`); resp.StatusCode != want {
			t.Fatalf("request %d: %d, want %d: %s", i+1, resp.StatusCode, want, body)
		}
	}
}
