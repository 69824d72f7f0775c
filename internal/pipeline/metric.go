package pipeline

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"github.com/askdb/askdb/internal/knowledge"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/text"
	"github.com/askdb/askdb/internal/trace"
)

// EngineMetric marks answers computed from the metrics dictionary.
const EngineMetric = "metric"

// fillerWords may surround a metric's name in a question that asks for
// nothing but the metric's value ("what is our current revenue?") or its
// breakdown ("how much revenue did we make by month?").
var fillerWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`a all an are current did do does domain for from give have how i in is list
		make made me metric much my number of on our overall please s see show shown tell the there time today
		total value was we were what whats which with has had`) {
		fillerWords[w] = true
	}
}

// splitWords is the shared analyser's word split (text.Words).
func splitWords(s string) []string { return text.Words(s) }

func notWordRune(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

// fromMetric answers a question that names one metric and asks for its
// value, or its value by a time grain, in a period or by a dimension, with
// the dictionary's own SQL: its expression, tables and required filters,
// guarded, verified and run like any other; no model is called. A question
// that asks for more than that is left to the other engines.
func (r *run) fromMetric(ctx context.Context, q string, dryRun bool) (*source.Result, bool, error) {
	k := r.p.opts.Knowledge[r.ans.Source]
	if k == nil || len(r.metrics) != 1 || r.metrics[0].SQL == "" {
		return nil, false, nil
	}
	m := r.metrics[0]
	ask, unread, ok := parseMetricAsk(q, m, r.domains, r.cat, k, r.src.Dialect(), r.p.opts.Now())
	if !ok {
		r.declined = fmt.Sprintf("The question names the metric %q%s, but askdb could not read %s in it. %s", m.Name, inDomain(m.Domain), unread, metricHelp(m))
		return nil, false, nil
	}
	sql := m.Query()
	if !ask.empty() {
		sql = metricSQL(m, ask, r.src.Dialect())
	}
	step := r.rec.Started(trace.StepGenerate)
	chosen := metricChoice(m)
	step.Detail(map[string]any{"engine": EngineMetric, "metric": m.Name, "domain": m.Domain, "sql": sql})
	step.Done(fmt.Sprintf("the metrics dictionary defines %q%s%s; SQL chosen by %s", m.Name, inDomain(m.Domain), ask.describe(), chosen.Label))
	r.ans.Engine, r.ans.Explanation, r.ans.ChosenBy = EngineMetric, strings.TrimSpace(m.Definition+" Shown"+ask.describe()+"."), chosen
	if ask.empty() {
		r.ans.Explanation = m.Definition
	}
	r.definition = "Definition used: " + metricName(m) + "."
	res, err := r.checkAndRun(ctx, sql, dryRun)
	if r.ans.Outcome == Refused || r.ans.Outcome == Failed {
		if !ask.empty() && err == nil {
			// The breakdown, not the definition, may be what does not fit
			// this schema: a model may do better, the offline engine not.
			r.declined = fmt.Sprintf("The metric %q%s%s gave SQL that did not pass: %s", m.Name, inDomain(m.Domain), ask.describe(), r.ans.Message)
			r.ans.Engine, r.ans.Explanation, r.ans.ChosenBy, r.ans.Outcome, r.ans.Message, r.ans.SQL, r.definition = "", "", nil, "", "", "", ""
			return nil, false, nil
		}
		r.ans.Message = fmt.Sprintf("The metric %q%s is defined with SQL that no longer passes: %s (fix it in %s)", m.Name, inDomain(m.Domain), r.ans.Message, m.Pos)
	}
	return res, true, err
}

// metricHelp says what the dictionary path reads, to try instead.
func metricHelp(m knowledge.Metric) string {
	return fmt.Sprintf("From the definition alone it answers the metric by day, month or year, for a year or a month, for a value stored in its tables, and by a column of its table or of one it refers to, as in %q.", m.Name+" by month")
}

// metricDeclined settles a question that names a metric the dictionary
// path could not read, unless a model can take it (with the definition in
// its prompt). The offline engine is not asked: it knows no definitions,
// so its "revenue" would count cancelled orders.
func (r *run) metricDeclined() bool {
	hasModel := r.p.opts.SQLModel != nil
	step := r.rec.Started(trace.StepGenerate)
	if hasModel && r.p.opts.Engine != EngineOffline {
		step.Done(r.declined + " The model writes the SQL, with the definition in its prompt.")
		return false
	}
	step.Done(r.declined + " The offline engine knows no metric definitions, so it is not asked.")
	r.ans.Engine, r.ans.Outcome, r.ans.Message = EngineMetric, NoSQL, r.declined
	if !hasModel {
		r.ans.Message += "\n" + ErrNoModel.Error()
	}
	return true
}

// withDefinition appends to the summary the definition a metric answer
// used or, for a count that another engine wrote, the count metric of the
// same table with its required filters: "how many employees" counts every
// row while "headcount" counts the active ones, and an answer must say
// which of the two readings it is.
func (r *run) withDefinition() {
	if r.ans.Summary == "" {
		return
	}
	note := r.definition
	if note == "" {
		note = r.otherReading()
	}
	if note != "" {
		r.ans.Summary = strings.TrimSpace(r.ans.Summary) + " " + note
	}
}

// otherReading names a count metric over the one table an answer counted
// whole, when the metric's required filters make it a different number.
// A count with conditions of its own asked about a subset, not the total.
func (r *run) otherReading() string {
	k, v, sql := r.p.opts.Knowledge[r.ans.Source], r.ans.Verdict, strings.ToLower(r.ans.SQL)
	if k == nil || v == nil || len(v.Tables) != 1 || !strings.Contains(sql, "count(") || strings.Contains(sql, "where") {
		return ""
	}
	for _, m := range k.AllMetrics() {
		if len(m.Tables) == 1 && m.From == "" && len(m.Filters) > 0 && strings.EqualFold(bareName(m.Tables[0]), bareName(v.Tables[0])) &&
			strings.HasPrefix(strings.ToUpper(strings.TrimSpace(m.SQL)), "COUNT(") {
			return fmt.Sprintf("Every row of %s is counted; the metric %s counts only %s.", bareName(v.Tables[0]), m.Name+inDomain(m.Domain), lowerFirst(strings.TrimSuffix(m.Definition, ".")))
		}
	}
	return ""
}

func inDomain(d string) string {
	if d == "" {
		return ""
	}
	return " (" + d + ")"
}

// bareName is a table name without its schema.
func bareName(table string) string {
	return table[strings.LastIndexByte(table, '.')+1:]
}
