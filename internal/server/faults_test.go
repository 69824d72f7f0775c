package server

import (
	"context"
	"database/sql"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/dbtest"
	"github.com/askdb/askdb/internal/llm/llmtest"
)

// wantFault checks that a request fails with status and code both as JSON
// and as the error event of an SSE stream, and that the failure names the
// stored answer where one was made.
func wantFault(t *testing.T, e *env, path, body string, status int, code string) {
	t.Helper()
	wantDocumented(t, e, "POST", path, status)
	resp, out := e.do("POST", path, body)
	got := decodeAs[errorJSON](t, out)
	if resp.StatusCode != status || got.Error.Code != code {
		t.Errorf("JSON: status %d code %q, want %d %q: %s", resp.StatusCode, got.Error.Code, status, code, out)
	}
	resp, events, _ := postStream(t, e, path, body)
	if resp.StatusCode != 200 || len(events) == 0 {
		t.Fatalf("SSE: status %d, %d events", resp.StatusCode, len(events))
	}
	last := events[len(events)-1]
	if ev := decodeAs[errorJSON](t, []byte(last.data)); last.name != "error" || ev.Error.Code != code {
		t.Errorf("SSE: last event %q code %q, want error %q: %s", last.name, ev.Error.Code, code, last.data)
	}
}

// TestModelOutage checks that a model that is down, throttled after its
// retries or too slow is a 502/503/504 naming the model, not a 500.
func TestModelOutage(t *testing.T) {
	tests := []struct {
		name   string
		reply  llmtest.Reply
		down   bool // the model server is not listening at all
		slow   bool // the model's timeout is shorter than its answer
		status int
		code   string
	}{
		{name: "provider 5xx", reply: llmtest.Status(503, "overloaded"), status: 502, code: "model_unavailable"},
		{name: "throttled after retries", reply: llmtest.Status(429, "slow down"), status: 503, code: "model_unavailable"},
		{name: "unreachable", down: true, status: 502, code: "model_unavailable"},
		{name: "model timeout", reply: llmtest.Delayed(2*time.Second, "```sql\nSELECT 1\n```"), slow: true, status: 504, code: "timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			zero := 0
			e := newEnv(t, []llmtest.Reply{tt.reply}, func(_ *Options, c *config.Config) {
				m := c.Models["sql"]
				m.MaxRetries = &zero
				if tt.slow {
					m.Timeout = config.Duration(100 * time.Millisecond)
				}
				c.Models["sql"] = m
			})
			if tt.down {
				e.model.Close()
			}
			wantFault(t, e, "/api/ask", `{"question":"customers per country"}`, tt.status, tt.code)
		})
	}
}

// closedAddr returns a loopback address nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// TestDatabaseUnreachable checks that a source whose server is gone is a
// 503 source_unavailable on every route that uses it.
func TestDatabaseUnreachable(t *testing.T) {
	addr := closedAddr(t)
	e := newEnv(t, []llmtest.Reply{sqlReply("SELECT 1 AS one")}, func(_ *Options, c *config.Config) {
		c.Sources["down"] = config.Source{Kind: "postgres", DSN: "postgres://u@" + addr + "/db?connect_timeout=2"}
		c.DefaultSource = "sample"
	})
	wantFault(t, e, "/api/sql", `{"sql":"SELECT 1 AS one","source":"down"}`, 503, "source_unavailable")
	wantFault(t, e, "/api/ask", `{"question":"customers per country","source":"down"}`, 503, "source_unavailable")
	wantDocumented(t, e, "GET", "/api/sources/{name}/schema", 503)
	resp, body := e.do("GET", "/api/sources/down/schema", "")
	if got := decodeAs[errorJSON](t, body); resp.StatusCode != 503 || got.Error.Code != "source_unavailable" {
		t.Errorf("schema: %d %s", resp.StatusCode, body)
	}
}

// TestResultTooLarge: a query that builds a value past max_bytes is
// stopped inside the engine (SQLite's length limit) and is the user's to
// narrow: 422 result_too_large, not 500.
func TestResultTooLarge(t *testing.T) {
	e := newEnv(t, []llmtest.Reply{sqlReply("SELECT 1 AS one")})
	wantFault(t, e, "/api/sql", `{"sql":"SELECT printf('%.*c', 900000000, 'x') AS x"}`, 422, "result_too_large")
}

// TestIntegrationPostgresConnectionDropped kills the backend of a query in
// flight with pg_terminate_backend from another session: the request is a
// 503 source_unavailable, not a 500.
func TestIntegrationPostgresConnectionDropped(t *testing.T) {
	dsn := dbtest.Postgres(t)
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	e := newEnv(t, nil, func(_ *Options, c *config.Config) {
		c.Sources = map[string]config.Source{"pg": {Kind: "postgres", DSN: withAppName(dsn, "askdb_dropped")}}
	})
	const slow = `{"sql":"SELECT count(*) AS n FROM generate_series(1, 100000000000) AS g"}`
	for _, stream := range []bool{false, true} {
		var wg sync.WaitGroup
		ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
		wg.Go(func() { terminateWhenRunning(ctx, t, admin, "generate_series") })
		// A stream has sent its 200 already; its error event carries the code.
		status, code := 503, ""
		if stream {
			_, events, _ := postStream(t, e, "/api/sql", slow)
			if n := len(events); n > 0 && events[n-1].name == "error" {
				code = decodeAs[errorJSON](t, []byte(events[n-1].data)).Error.Code
			}
		} else {
			resp, body := e.do("POST", "/api/sql", slow)
			status, code = resp.StatusCode, decodeAs[errorJSON](t, body).Error.Code
		}
		wg.Wait() // the killed backend is gone before the next round looks
		cancel()
		if status != 503 || code != "source_unavailable" {
			t.Errorf("stream %v: status %d code %q, want 503 source_unavailable", stream, status, code)
		}
	}
}

// terminateWhenRunning waits for a query containing marker to run, then
// terminates its backend and waits until that backend is gone, so that a
// dying backend is not mistaken for the next query. The EXPLAIN that
// verifies the query first is left alone: killing it once it is done would
// only make database/sql retry the query on a fresh connection.
func terminateWhenRunning(ctx context.Context, t *testing.T, admin *sql.DB, marker string) {
	for ctx.Err() == nil {
		var pid int
		err := admin.QueryRowContext(ctx, `SELECT pid FROM pg_stat_activity
			WHERE application_name = 'askdb_dropped' AND state = 'active'
			AND query LIKE '%' || $1 || '%' AND query NOT ILIKE 'EXPLAIN%' LIMIT 1`, marker).Scan(&pid)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			time.Sleep(20 * time.Millisecond)
			continue
		case err != nil:
			if ctx.Err() == nil {
				t.Errorf("find the query: %v", err)
			}
			return
		}
		if _, err := admin.ExecContext(ctx, `SELECT pg_terminate_backend($1)`, pid); err != nil {
			t.Errorf("terminate: %v", err)
			return
		}
		for ctx.Err() == nil {
			var n int
			if err := admin.QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity WHERE pid = $1`, pid).Scan(&n); err != nil || n == 0 {
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
		return
	}
}

// withAppName sets application_name on a URL or keyword/value DSN, so
// that the test finds its own backends.
func withAppName(dsn, name string) string {
	switch {
	case !strings.Contains(dsn, "://"):
		return dsn + " application_name=" + name
	case strings.Contains(dsn, "?"):
		return dsn + "&application_name=" + name
	}
	return dsn + "?application_name=" + name
}
