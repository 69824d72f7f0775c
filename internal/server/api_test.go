package server

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/llm/llmtest"
)

const countrySQL = "SELECT country, COUNT(*) AS customers FROM customers GROUP BY country ORDER BY country"

func TestAskAnswersAndStores(t *testing.T) {
	e := newEnv(t, []llmtest.Reply{sqlReply(countrySQL)})
	resp, body := e.do("POST", "/api/ask", `{"question":"how many customers per country?","conversation_id":"c1"}`)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	a := decodeAs[answerJSON](t, body)
	if a.Outcome != "answered" || !a.Verified || a.RowCount == 0 || a.ConversationID != "c1" {
		t.Fatalf("answer = %+v", a)
	}
	if a.Chart.Kind != "bar" || a.Chart.X != "country" || !cmp.Equal(a.Chart.Y, []string{"customers"}) {
		t.Errorf("chart = %+v, want bars of customers by country", a.Chart)
	}
	var names []string
	for _, s := range a.Steps {
		names = append(names, s.Name)
	}
	if want := coreSteps; !subsequence(want, names) {
		t.Errorf("steps %v lack %v in order", names, want)
	}

	resp, body = e.do("GET", "/api/answers/"+a.ID, "")
	if got := decodeAs[answerJSON](t, body); resp.StatusCode != 200 || got.ID != a.ID || got.RowCount != a.RowCount || got.Chart.Kind != "bar" {
		t.Errorf("GET answer: %d %+v", resp.StatusCode, got)
	}
	rec, err := e.store.Answer(t.Context(), a.ID)
	if err != nil || rec.User != Anonymous || rec.Outcome != "answered" || !cmp.Equal(rec.Verdicts, []string{"accepted"}) || rec.ModelCalls != 1 {
		t.Errorf("stored record = %+v, %v", rec, err)
	}

	resp, body = e.do("GET", "/api/answers/"+a.ID+".csv", "")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("CSV: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	recs, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
	if err != nil || len(recs) != a.RowCount+1 || !cmp.Equal(recs[0], []string{"country", "customers"}) {
		t.Errorf("CSV has %d records (want %d), header %v, err %v", len(recs), a.RowCount+1, recs[0], err)
	}
}

func TestFeedback(t *testing.T) {
	e := newEnv(t, nil)
	_, body := e.do("POST", "/api/sql", `{"sql":"SELECT 1 AS one"}`)
	id := decodeAs[answerJSON](t, body).ID
	tests := []struct {
		name, path, body string
		status           int
		code             string
	}{
		{"up", "/api/answers/" + id + "/feedback", `{"vote":"up"}`, 200, ""},
		{"down with comment", "/api/answers/" + id + "/feedback", `{"vote":"down","comment":"wrong year"}`, 200, ""},
		{"bad vote", "/api/answers/" + id + "/feedback", `{"vote":"meh"}`, 400, "bad_vote"},
		{"unknown answer", "/api/answers/nope/feedback", `{"vote":"up"}`, 404, "answer_not_found"},
		{"unknown field", "/api/answers/" + id + "/feedback", `{"vote":"up","stars":5}`, 400, "unknown_field"},
		{"comment too long", "/api/answers/" + id + "/feedback", `{"vote":"up","comment":"` + strings.Repeat("x", maxCommentRunes+1) + `"}`, 400, "comment_too_long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := e.do("POST", tt.path, tt.body)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, body)
			}
			if tt.code != "" {
				if got := decodeAs[errorJSON](t, body).Error.Code; got != tt.code {
					t.Errorf("code %q, want %q", got, tt.code)
				}
			}
		})
	}
	fbs, err := e.store.FeedbackFor(t.Context(), id)
	if err != nil || len(fbs) != 2 || fbs[0].Vote != "up" || fbs[1].Comment != "wrong year" || fbs[0].User != Anonymous {
		t.Errorf("stored feedback = %+v, %v", fbs, err)
	}
}

func TestRefusals(t *testing.T) {
	e := newEnv(t, []llmtest.Reply{sqlReply("DELETE FROM customers")})
	tests := []struct {
		name, path, body, wantMsg string
	}{
		{"write request in words", "/api/ask", `{"question":"delete all customers"}`, "delete"},
		{"write SQL", "/api/sql", `{"sql":"DELETE FROM customers"}`, "refused"},
		{"model writes a write", "/api/ask", `{"question":"tidy up the customer list"}`, "refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := e.do("POST", tt.path, tt.body)
			a := decodeAs[answerJSON](t, body)
			if resp.StatusCode != 200 || a.Outcome != "refused" || !strings.Contains(strings.ToLower(a.Message), tt.wantMsg) {
				t.Errorf("status %d, answer %+v", resp.StatusCode, a)
			}
			if a.RowCount != 0 || a.Rows != nil {
				t.Errorf("a refusal returned rows")
			}
		})
	}
	_, body := e.do("GET", "/metrics", "")
	if !strings.Contains(string(body), `askdb_guard_rejections_total{rule="`) || !strings.Contains(string(body), `askdb_answers_total{outcome="refused"} 3`) {
		t.Errorf("metrics miss the refusals:\n%s", body)
	}
}

func TestRequestErrors(t *testing.T) {
	e := newEnv(t, nil, withServer(func(c *config.Server) { c.MaxQuestionLength = 50 }))
	e.srv.opts.MaxBodyBytes = 4096
	tests := []struct {
		name, method, path, body string
		header                   []string
		status                   int
		code, mention            string
	}{
		{name: "unknown field", method: "POST", path: "/api/ask", body: `{"question":"hi","bogus":1}`, status: 400, code: "unknown_field", mention: `"bogus"`},
		{name: "wrong type", method: "POST", path: "/api/ask", body: `{"question":42}`, status: 400, code: "bad_field", mention: "question"},
		{name: "not JSON", method: "POST", path: "/api/ask", body: `question=hi`, status: 400, code: "bad_json"},
		{name: "two objects", method: "POST", path: "/api/ask", body: `{"question":"a"}{"question":"b"}`, status: 400, code: "bad_json"},
		{name: "empty body", method: "POST", path: "/api/sql", status: 400, code: "bad_json"},
		{name: "body over the cap", method: "POST", path: "/api/ask", body: `{"question":"` + strings.Repeat("a", 5000) + `"}`, status: 413, code: "body_too_large"},
		{name: "question over the cap", method: "POST", path: "/api/ask", body: `{"question":"` + strings.Repeat("é", 51) + `"}`, status: 400, code: "question_too_long", mention: "51"},
		{name: "empty question", method: "POST", path: "/api/ask", body: `{"question":"  "}`, status: 400, code: "bad_question"},
		{name: "empty SQL", method: "POST", path: "/api/sql", body: `{"sql":""}`, status: 400, code: "bad_sql"},
		{name: "unknown source", method: "POST", path: "/api/ask", body: `{"question":"hi","source":"nope"}`, status: 404, code: "unknown_source", mention: "nope"},
		{name: "unknown schema source", method: "GET", path: "/api/sources/nope/schema", status: 404, code: "unknown_source"},
		{name: "unknown answer", method: "GET", path: "/api/answers/nope", status: 404, code: "answer_not_found"},
		{name: "wrong content type", method: "POST", path: "/api/ask", body: `{"question":"hi"}`, header: []string{"Content-Type", "text/plain"}, status: 415, code: "unsupported_media_type"},
		{name: "unknown route", method: "GET", path: "/api/nothing", status: 404, code: "route_not_found"},
		{name: "wrong method", method: "DELETE", path: "/api/ask", status: 405, code: "method_not_allowed"},
		{name: "wrong method on a GET route", method: "POST", path: "/api/sources", body: `{}`, status: 405, code: "method_not_allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := e.do(tt.method, tt.path, tt.body, tt.header...)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, body)
			}
			got := decodeAs[errorJSON](t, body)
			if got.Error.Code != tt.code || !strings.Contains(got.Error.Message, tt.mention) {
				t.Errorf("error = %+v, want code %q mentioning %q", got.Error, tt.code, tt.mention)
			}
			if tt.status == 405 && resp.Header.Get("Allow") == "" {
				t.Error("405 without Allow")
			}
		})
	}
	if e.model.Count() != 0 {
		t.Errorf("bad requests reached the model %d times", e.model.Count())
	}
}

func TestSourcesAndSchema(t *testing.T) {
	e := newEnv(t, nil)
	resp, body := e.do("GET", "/api/sources", "")
	type src struct {
		Name, Kind, Description string
		Default                 bool
	}
	got := decodeAs[struct{ Sources []src }](t, body)
	want := []src{{Name: "sample", Kind: "sqlite", Description: "the sample", Default: true}}
	if diff := cmp.Diff(want, got.Sources); resp.StatusCode != 200 || diff != "" {
		t.Errorf("sources %d (-want +got):\n%s", resp.StatusCode, diff)
	}
	resp, body = e.do("GET", "/api/sources/sample/schema", "")
	cat := decodeAs[struct{ Tables []struct{ Name string } }](t, body)
	if resp.StatusCode != 200 || len(cat.Tables) < 5 {
		t.Errorf("schema %d with %d tables", resp.StatusCode, len(cat.Tables))
	}
}

func TestHealthReadyMetrics(t *testing.T) {
	e := newEnv(t, nil, func(_ *Options, c *config.Config) {
		c.Sources["down"] = config.Source{Kind: "postgres", DSN: "postgres://u@127.0.0.1:1/db?connect_timeout=1"}
		c.DefaultSource = "sample"
	})
	if resp, _ := e.do("GET", "/healthz", ""); resp.StatusCode != 200 {
		t.Errorf("healthz %d", resp.StatusCode)
	}
	resp, body := e.do("GET", "/readyz", "")
	ready := decodeAs[struct {
		Status  string
		Sources map[string]string
	}](t, body)
	if resp.StatusCode != http.StatusServiceUnavailable || ready.Sources["sample"] != "ok" || ready.Sources["down"] != "unreachable" {
		t.Errorf("readyz %d %+v", resp.StatusCode, ready)
	}
	e.do("POST", "/api/sql", `{"sql":"SELECT 1 AS one"}`)
	_, body = e.do("GET", "/metrics", "")
	for _, want := range []string{
		`askdb_http_requests_total{route="/api/sql",method="POST",code="200"} 1`,
		`askdb_http_request_duration_seconds_count{route="/api/sql"} 1`,
		`askdb_answers_total{outcome="answered"} 1`,
		`# TYPE askdb_http_request_duration_seconds histogram`,
		`askdb_http_requests_total{route="/readyz",method="GET",code="503"} 1`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %q:\n%s", want, body)
		}
	}
}

func TestSecurityHeadersAndUI(t *testing.T) {
	e := newEnv(t, nil)
	for _, path := range []string{"/", "/api/sources", "/healthz"} {
		resp, body := e.do("GET", path, "")
		h := resp.Header
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" ||
			h.Get("Referrer-Policy") != "no-referrer" || !strings.Contains(h.Get("Content-Security-Policy"), "script-src 'self'") {
			t.Errorf("%s: security headers missing: %v", path, h)
		}
		if path == "/" && (resp.StatusCode != 200 || !strings.Contains(string(body), "askdb")) {
			t.Errorf("UI index: %d %q", resp.StatusCode, body)
		}
	}
	if resp, _ := e.do("POST", "/", `{}`); resp.StatusCode != 405 {
		t.Errorf("POST / = %d, want 405", resp.StatusCode)
	}
}
