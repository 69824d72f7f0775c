package trinofake_test

import (
	"database/sql"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/askdb/askdb/internal/dbtest"
	"github.com/askdb/askdb/internal/source/trino/trinofake"
)

// post submits sql with headers and returns the status and the decoded
// QueryResults (nil when the body is not JSON).
func post(t *testing.T, url, sql string, headers map[string]string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url+"/v1/statement", strings.NewReader(sql))
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	return do(t, req)
}

func do(t *testing.T, req *http.Request) (int, map[string]any) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	if json.NewDecoder(resp.Body).Decode(&body) != nil {
		body = nil
	}
	return resp.StatusCode, body
}

// errorName follows nextUri until the query fails or finishes and returns
// its error name ("" when it finished).
func errorName(t *testing.T, body map[string]any) string {
	t.Helper()
	for i := 0; i < 100; i++ {
		if e, ok := body["error"].(map[string]any); ok {
			return e["errorName"].(string)
		}
		next, _ := body["nextUri"].(string)
		if next == "" {
			return ""
		}
		req, _ := http.NewRequest(http.MethodGet, next, nil)
		_, body = do(t, req)
	}
	t.Fatal("the query never ended")
	return ""
}

// TestIntegrationProtocol checks what the fake enforces of Trino's
// protocol, so that the kind's tests can rely on it.
func TestIntegrationProtocol(t *testing.T) {
	db, err := sql.Open("pgx", dbtest.Postgres(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec("CREATE TABLE t (id integer)"); err != nil {
		t.Fatal(err)
	}
	fake := trinofake.New(t, trinofake.Options{DB: db, Catalog: "c", Rules: &trinofake.Rules{
		Catalogs: []trinofake.CatalogRule{{User: "reader", Allow: "read-only"}, {User: "admin", Allow: "all"}},
	}})
	user := func(u string, extra ...string) map[string]string {
		h := map[string]string{"X-Trino-User": u, "X-Trino-Catalog": "c", "X-Trino-Schema": "public"}
		for i := 0; i+1 < len(extra); i += 2 {
			h[extra[i]] = extra[i+1]
		}
		return h
	}
	if code, _ := post(t, fake.URL, "SELECT 1", map[string]string{}); code != http.StatusBadRequest {
		t.Errorf("no X-Trino-User: HTTP %d, want 400", code)
	}
	tests := []struct {
		name, sql string
		headers   map[string]string
		want      string
	}{
		{"select", "SELECT count(*) FROM t", user("reader"), ""},
		{"write denied by the rules", "INSERT INTO t VALUES (1)", user("reader"), "PERMISSION_DENIED"},
		{"no such user rule", "SELECT 1", user("stranger"), "PERMISSION_DENIED"},
		{"unknown catalog", "SELECT 1", user("admin", "X-Trino-Catalog", "other"), "CATALOG_NOT_FOUND"},
		{"no session schema", "SELECT * FROM t", user("admin", "X-Trino-Schema", ""), "TABLE_NOT_FOUND"},
		{"unknown session property", "SELECT 1", user("admin", "X-Trino-Session", "no_such=1"), "INVALID_SESSION_PROPERTY"},
		{"Go duration syntax", "SELECT 1", user("admin", "X-Trino-Session", "query_max_run_time=1m30s"), "INVALID_SESSION_PROPERTY"},
		{"time limit", "SELECT pg_sleep(5)", user("admin", "X-Trino-Session", "query_max_run_time=100ms"), "EXCEEDED_TIME_LIMIT"},
		{"transaction without the header", "START TRANSACTION READ ONLY", user("admin"), "NOT_SUPPORTED"},
		{"unknown transaction", "SELECT 1", user("admin", "X-Trino-Transaction-Id", "nope"), "UNKNOWN_TRANSACTION"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, body := post(t, fake.URL, tc.sql, tc.headers)
			if code != http.StatusOK || body == nil {
				t.Fatalf("HTTP %d", code)
			}
			if got := errorName(t, body); got != tc.want {
				t.Errorf("error %q, want %q", got, tc.want)
			}
		})
	}
	t.Run("token not issued", func(t *testing.T) {
		_, body := post(t, fake.URL, "SELECT 1", user("admin"))
		next := body["nextUri"].(string)
		req, _ := http.NewRequest(http.MethodGet, next[:strings.LastIndex(next, "/")]+"/7", nil)
		if code, _ := do(t, req); code != http.StatusGone {
			t.Errorf("a token the coordinator did not issue: HTTP %d, want 410", code)
		}
		req, _ = http.NewRequest(http.MethodGet, strings.Replace(next, "/executing/", "/executing/x", 1), nil)
		if code, _ := do(t, req); code != http.StatusNotFound {
			t.Errorf("an unknown query: HTTP %d, want 404", code)
		}
	})
}
