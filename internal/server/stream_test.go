package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/askdb/askdb/internal/llm/llmtest"
)

func postStream(t *testing.T, e *env, path, body string) (*http.Response, []sseEvent, int) {
	t.Helper()
	req, _ := http.NewRequest("POST", e.ts.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	resp, err := e.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	events, comments := readSSE(t, resp.Body)
	return resp, events, comments
}

func TestStreamSteps(t *testing.T) {
	slow := sqlReply(countrySQL)
	slow.Delay = 50 * time.Millisecond
	e := newEnv(t, []llmtest.Reply{slow})
	e.srv.opts.Heartbeat = 5 * time.Millisecond
	resp, events, comments := postStream(t, e, "/api/ask", `{"question":"customers per country"}`)
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("status %d, Content-Type %q", resp.StatusCode, ct)
	}
	if comments == 0 {
		t.Error("no heartbeat while the model was slow")
	}
	var names []string
	for _, ev := range events[:len(events)-1] {
		if ev.name != "step" {
			t.Fatalf("event %q before the answer", ev.name)
		}
		var st struct{ Name, Status string }
		if err := json.Unmarshal([]byte(ev.data), &st); err != nil {
			t.Fatal(err)
		}
		names = append(names, st.Name+":"+st.Status)
	}
	var want, core []string
	for _, n := range coreSteps {
		core = append(core, n+":running", n+":done")
	}
	// Every step streams twice, running then done, in the answer's order.
	for _, st := range decodeAs[answerJSON](t, []byte(events[len(events)-1].data)).Steps {
		want = append(want, st.Name+":running", st.Name+":done")
	}
	if diff := cmp.Diff(want, names); diff != "" || !subsequence(core, names) {
		t.Errorf("step events (-answer steps +streamed):\n%s", diff)
	}
	last := events[len(events)-1]
	a := decodeAs[answerJSON](t, []byte(last.data))
	if last.name != "answer" || a.Outcome != "answered" || 2*len(a.Steps) != len(names) || a.Chart.Kind != "bar" {
		t.Errorf("last event %q: %+v", last.name, a)
	}
	if _, err := e.store.Answer(t.Context(), a.ID); err != nil {
		t.Errorf("streamed answer not stored: %v", err)
	}
}

func TestStreamErrorEvent(t *testing.T) {
	e := newEnv(t, []llmtest.Reply{llmtest.Status(400, "the model refuses to work")})
	resp, events, _ := postStream(t, e, "/api/ask", `{"question":"customers per country"}`)
	if resp.StatusCode != 200 || len(events) == 0 {
		t.Fatalf("status %d, %d events", resp.StatusCode, len(events))
	}
	last := events[len(events)-1]
	got := decodeAs[errorJSON](t, []byte(last.data))
	if last.name != "error" || got.Error.Code == "" || got.Error.AnswerID == "" {
		t.Fatalf("last event %q %s", last.name, last.data)
	}
	// The failed answer and its trace are in the audit log.
	if rec, err := e.store.Answer(t.Context(), got.Error.AnswerID); err != nil || rec.Outcome != "failed" {
		t.Errorf("failed answer record %+v, %v", rec, err)
	}
}

func TestStreamRejectsBadInputBeforeStreaming(t *testing.T) {
	e := newEnv(t, nil)
	resp, body := e.do("POST", "/api/ask", `{"question":"hi","source":"nope"}`, "Accept", "text/event-stream")
	if resp.StatusCode != 404 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") ||
		decodeAs[errorJSON](t, body).Error.Code != "unknown_source" {
		t.Errorf("status %d, %s: %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
}
