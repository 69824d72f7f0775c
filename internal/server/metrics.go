package server

import (
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/askdb/askdb/internal/pipeline"
	"github.com/askdb/askdb/internal/sqlguard"
	"github.com/askdb/askdb/internal/trace"
)

// metrics is a small Prometheus text-format registry: counters and
// histograms keyed by label values. It avoids a dependency for the
// handful of series askdb exports.
type metrics struct {
	mu       sync.Mutex
	counters map[string]map[string]float64 // metric → labels → value
	hists    map[string]*histogram         // labels → histogram (request latency)
}

type histogram struct {
	counts []uint64 // per bucket, cumulative at render time
	sum    float64
	n      uint64
}

// latencyBuckets are request-latency bucket bounds in seconds.
var latencyBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60}

var counterHelp = map[string]string{
	"askdb_http_requests_total":       "HTTP requests by route, method and status code.",
	"askdb_answers_total":             "Answers by outcome.",
	"askdb_model_calls_total":         "Model calls made to answer questions.",
	"askdb_model_tokens_total":        "Model tokens spent, by direction.",
	"askdb_guard_rejections_total":    "SQL refused by the guard, by rule.",
	"askdb_rate_limited_total":        "Requests refused by the per-client rate or concurrency limit.",
	"askdb_feedback_total":            "Feedback votes.",
	"askdb_step_duration_seconds_sum": "Time spent in each pipeline step.",
}

func newMetrics() *metrics {
	return &metrics{counters: map[string]map[string]float64{}, hists: map[string]*histogram{}}
}

func labels(kv ...string) string {
	var b strings.Builder
	for i := 0; i+1 < len(kv); i += 2 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%s=%s", kv[i], strconv.Quote(kv[i+1]))
	}
	return b.String()
}

func (m *metrics) add(name, lbls string, v float64) {
	c := m.counters[name]
	if c == nil {
		c = map[string]float64{}
		m.counters[name] = c
	}
	c[lbls] += v
}

func (m *metrics) request(route string, status int, d time.Duration) {
	method, path, _ := strings.Cut(route, " ")
	if path == "" {
		method, path = "", route
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.add("askdb_http_requests_total", labels("route", path, "method", method, "code", strconv.Itoa(status)), 1)
	key := labels("route", path)
	h := m.hists[key]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(latencyBuckets))}
		m.hists[key] = h
	}
	secs := d.Seconds()
	for i, b := range latencyBuckets {
		if secs <= b {
			h.counts[i]++
			break
		}
	}
	h.sum += secs
	h.n++
}

// answer counts an answer's outcome, model use and guard rejections.
func (m *metrics) answer(a *pipeline.Answer) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.add("askdb_answers_total", labels("outcome", string(a.Outcome)), 1)
	m.add("askdb_model_calls_total", "", float64(a.ModelCalls))
	m.add("askdb_model_tokens_total", labels("direction", "input"), float64(a.Tokens.Input))
	m.add("askdb_model_tokens_total", labels("direction", "output"), float64(a.Tokens.Output))
	for _, st := range a.Steps {
		m.add("askdb_step_duration_seconds_sum", labels("step", st.Name), st.Duration.Seconds())
		if v, ok := st.Detail.(sqlguard.Verdict); ok && st.Name == trace.StepGuard && !v.Accepted {
			m.add("askdb_guard_rejections_total", labels("rule", string(v.Rule)), 1)
		}
	}
}

func (m *metrics) limited() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.add("askdb_rate_limited_total", "", 1)
}

func (m *metrics) feedback(vote string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.add("askdb_feedback_total", labels("vote", vote), 1)
}

// write renders the registry in the Prometheus text exposition format.
func (m *metrics) write(w io.Writer) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, name := range slices.Sorted(maps.Keys(counterHelp)) {
		series := m.counters[name]
		typ := "counter"
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n", name, counterHelp[name], name, typ)
		if len(series) == 0 && !strings.Contains(name, "duration") {
			fmt.Fprintf(w, "%s 0\n", name)
		}
		for _, l := range slices.Sorted(maps.Keys(series)) {
			fmt.Fprintf(w, "%s%s %s\n", name, braces(l), strconv.FormatFloat(series[l], 'g', -1, 64))
		}
	}
	const hn = "askdb_http_request_duration_seconds"
	fmt.Fprintf(w, "# HELP %s HTTP request latency by route.\n# TYPE %s histogram\n", hn, hn)
	for _, l := range slices.Sorted(maps.Keys(m.hists)) {
		h := m.hists[l]
		var cum uint64
		for i, b := range latencyBuckets {
			cum += h.counts[i]
			fmt.Fprintf(w, "%s_bucket{%s,le=%q} %d\n", hn, l, strconv.FormatFloat(b, 'g', -1, 64), cum)
		}
		fmt.Fprintf(w, "%s_bucket{%s,le=\"+Inf\"} %d\n", hn, l, h.n)
		fmt.Fprintf(w, "%s_sum{%s} %s\n%s_count{%s} %d\n", hn, l, strconv.FormatFloat(h.sum, 'g', -1, 64), hn, l, h.n)
	}
}

func braces(l string) string {
	if l == "" {
		return ""
	}
	return "{" + l + "}"
}

func (s *Server) handleMetrics(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	s.metrics.write(w)
}

// routeLabel names a request's series from the mux pattern it matched:
// "GET /api/answers/{id}". A pattern without a method (the UI's "/", a
// mount such as "/mcp") takes the request's method, one of the standard
// ones so that clients cannot mint series; no pattern at all is "other".
func routeLabel(r *http.Request) string {
	if r.Pattern == "" {
		return metricMethod(r.Method) + " other"
	}
	if strings.Contains(r.Pattern, " ") {
		return r.Pattern
	}
	return metricMethod(r.Method) + " " + r.Pattern
}

func metricMethod(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return m
	}
	return "OTHER"
}
