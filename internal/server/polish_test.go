package server

import (
	"strings"
	"testing"

	"github.com/askdb/askdb/internal/llm/llmtest"
)

// TestFeedbackOmitsUnsetFields catches "promoted":{"id":"","created_at":"0001-01-01T00:00:00Z"}.
func TestFeedbackOmitsUnsetFields(t *testing.T) {
	e := newEnv(t, []llmtest.Reply{sqlReply(countrySQL)})
	_, body := e.do("POST", "/api/ask", `{"question":"how many customers per country?"}`)
	id := decodeAs[answerJSON](t, body).ID
	resp, body := e.do("POST", "/api/answers/"+id+"/feedback", `{"vote":"up"}`)
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"promoted"`) {
		t.Fatalf("feedback %d: %s", resp.StatusCode, body)
	}
	for _, zero := range []string{`"id":""`, `0001-01-01T00:00:00Z`} {
		if strings.Contains(string(body), zero) {
			t.Errorf("feedback response carries the zero value %s:\n%s", zero, body)
		}
	}
}

// TestMetricsLabelEveryRoute catches route="other",method="" series for
// requests the mux did route (the UI, mounts).
func TestMetricsLabelEveryRoute(t *testing.T) {
	e := newEnv(t, nil)
	e.do("GET", "/", "")
	e.do("GET", "/no/such/page", "")
	_, body := e.do("GET", "/metrics", "")
	if strings.Contains(string(body), `method=""`) {
		t.Errorf("series without a method:\n%s", body)
	}
	if !strings.Contains(string(body), `askdb_http_requests_total{route="/",method="GET"`) {
		t.Errorf("the UI route is not labelled from its pattern:\n%s", body)
	}
}
