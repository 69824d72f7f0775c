package pipeline

import (
	"context"
	"fmt"

	"github.com/askdb/askdb/internal/knowledge"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/text"
	"github.com/askdb/askdb/internal/trace"
)

// EngineMetric marks answers computed from the metrics dictionary.
const EngineMetric = "metric"

// fillerWords may surround a metric's name in a question that asks for
// nothing but the metric's value ("what is our current revenue?").
var fillerWords = map[string]bool{
	"what": true, "whats": true, "is": true, "are": true, "was": true, "the": true, "our": true, "my": true,
	"current": true, "overall": true, "total": true, "in": true, "for": true, "of": true, "show": true,
	"me": true, "give": true, "tell": true, "please": true, "value": true, "a": true, "s": true, "how": true,
	"much": true, "do": true, "we": true, "have": true, "domain": true, "metric": true, "today": true,
}

// bareMetric reports whether q asks for a metric's value and nothing else:
// once the metric's name and synonyms, the domains' names and aliases and
// filler words are removed, no word is left. A question with anything
// more ("revenue by month", "revenue in 2024") needs a query, not the
// dictionary's expression alone.
func bareMetric(q string, m knowledge.Metric, domains []knowledge.Domain) bool {
	known := map[string]bool{}
	add := func(s string) {
		for _, w := range text.Words(s) {
			known[w], known[text.Stem(w)] = true, true
		}
	}
	add(m.Name)
	for _, s := range m.Synonyms {
		add(s)
	}
	for _, d := range domains {
		add(d.Name)
		for _, a := range d.Aliases {
			add(a)
		}
	}
	for _, w := range text.Words(q) {
		if !known[w] && !fillerWords[w] && !known[text.Stem(w)] {
			return false
		}
	}
	return true
}

// fromMetric answers a question that asks for one metric's value with the
// dictionary's own SQL (its expression, tables and required filters),
// guarded, verified and run like any other; no model is called.
func (r *run) fromMetric(ctx context.Context, q string, dryRun bool) (*source.Result, bool, error) {
	k := r.p.opts.Knowledge[r.ans.Source]
	if k == nil {
		return nil, false, nil
	}
	metrics := r.metrics // found by understand
	if len(metrics) != 1 || metrics[0].SQL == "" || !bareMetric(q, metrics[0], r.domains) {
		return nil, false, nil
	}
	m := metrics[0]
	step := r.rec.Started(trace.StepGenerate)
	sql := m.Query()
	step.Detail(map[string]any{"engine": EngineMetric, "metric": m.Name, "domain": m.Domain, "sql": sql})
	step.Done(fmt.Sprintf("the metrics dictionary defines %q%s", m.Name, inDomain(m.Domain)))
	r.ans.Engine, r.ans.Explanation = EngineMetric, m.Definition
	res, err := r.checkAndRun(ctx, sql, dryRun)
	if r.ans.Outcome == Refused || r.ans.Outcome == Failed {
		r.ans.Message = fmt.Sprintf("The metric %q%s is defined with SQL that no longer passes: %s (fix it in %s)", m.Name, inDomain(m.Domain), r.ans.Message, m.Pos)
	}
	return res, true, err
}

func inDomain(d string) string {
	if d == "" {
		return ""
	}
	return " (" + d + ")"
}
