package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/askdb/askdb/internal/knowledge"
	"github.com/askdb/askdb/internal/llm"
	"github.com/askdb/askdb/internal/text"
	"github.com/askdb/askdb/internal/trace"
)

// routeIntents are the intents the routing call may answer, in the words
// of its schema; modelIntent maps them onto Intent.
var routeIntents = []string{"query", "metric", "schema_info", "out_of_scope", "clarification_needed"}

// routeSystem is the routing call's system prompt.
const routeSystem = `You route questions for a database assistant. Classify the user's latest question.
intent is one of:
- query: it needs a SQL query over the data (including a metric's value);
- metric: it asks what a business metric means or how it is computed;
- schema_info: it asks which tables or columns hold some data;
- out_of_scope: it is not about this data at all;
- clarification_needed: it is too vague to answer without asking the user; put the question to ask in clarification.
domain is the business domain the question is about, from the list: the conversation's current domain when the question does not change it, and "" when none applies.
Answer with one JSON object and nothing else: {"intent": "...", "domain": "...", "clarification": "..."}.`

// routeDecision is the routing call's answer.
type routeDecision struct {
	Intent        string `json:"intent"`
	Domain        string `json:"domain"`
	Clarification string `json:"clarification"`
}

// errBadRoute is a routing answer that is not the JSON the schema asks for.
var errBadRoute = errors.New("routing answer is not valid")

// routeSchema is the JSON schema of routeDecision for a source's domains.
func routeSchema(domains []knowledge.Domain) *llm.JSONSchema {
	names := []string{""}
	for _, d := range domains {
		names = append(names, d.Name)
	}
	return &llm.JSONSchema{
		Name:        "route",
		Description: "The intent and business domain of the user's latest question.",
		Schema: map[string]any{
			"type": "object",
			"properties": map[string]any{
				"intent":        map[string]any{"type": "string", "enum": routeIntents},
				"domain":        map[string]any{"type": "string", "enum": names},
				"clarification": map[string]any{"type": "string"},
			},
			"required":             []string{"intent", "domain"},
			"additionalProperties": false,
		},
	}
}

// parseRoute reads a routing answer. It accepts the object inside a code
// fence or prose, since OpenAI-compatible servers do not all enforce the
// schema, and refuses an intent or domain outside the schema's enums.
func parseRoute(answer string, domains []knowledge.Domain) (routeDecision, error) {
	var d routeDecision
	i, j := strings.Index(answer, "{"), strings.LastIndex(answer, "}")
	if i < 0 || j < i {
		return d, fmt.Errorf("%w: no JSON object in %q", errBadRoute, answer)
	}
	if err := json.Unmarshal([]byte(answer[i:j+1]), &d); err != nil {
		return d, fmt.Errorf("%w: %w", errBadRoute, err)
	}
	if !slices.Contains(routeIntents, d.Intent) {
		return d, fmt.Errorf("%w: intent %q", errBadRoute, d.Intent)
	}
	if d.Domain == "" {
		return d, nil
	}
	for _, dom := range domains {
		if strings.EqualFold(dom.Name, d.Domain) {
			d.Domain = dom.Name
			return d, nil
		}
	}
	return d, fmt.Errorf("%w: domain %q", errBadRoute, d.Domain)
}

// modelIntent maps a routing intent onto Intent.
func modelIntent(s string) Intent {
	switch s {
	case "metric":
		return IntentMetricInfo
	case "schema_info":
		return IntentSchemaInfo
	case "out_of_scope":
		return IntentOutOfScope
	case "clarification_needed":
		return IntentClarify
	}
	return IntentQuery
}

// router is the model the routing call goes to: the fast model when one is
// configured apart from the SQL model, else nil and the rules route.
func (p *Pipeline) router() llm.Model {
	if m := p.opts.FastModel; m != nil && m != p.opts.SQLModel {
		return m
	}
	return nil
}

// routeByModel makes the one routing call. It reports false when there is
// no router, or the call fails or answers outside the schema; the rules
// then decide.
func (r *run) routeByModel(ctx context.Context, q string, k *knowledge.Knowledge, step *trace.Running) (routeDecision, bool) {
	m := r.p.router()
	if m == nil {
		return routeDecision{}, false
	}
	var domains []knowledge.Domain
	if k != nil {
		domains = k.Domains()
	}
	req := llm.Request{
		System:     routeSystem,
		Messages:   []llm.Message{{Role: llm.RoleUser, Content: r.routePrompt(q, k, domains)}},
		MaxTokens:  200,
		JSONSchema: routeSchema(domains),
	}
	resp, err := m.Chat(ctx, req)
	r.ans.ModelCalls++
	if err != nil {
		r.p.opts.Logger.Warn("routing call failed; the rules decide", "model", m.ModelID(), "err", err)
		return routeDecision{}, false
	}
	step.Model(resp.Model, resp.Usage.InputTokens, resp.Usage.OutputTokens)
	d, err := parseRoute(resp.Text, domains)
	if err != nil {
		r.p.opts.Logger.Warn("routing answer unusable; the rules decide", "model", resp.Model, "err", err)
		return routeDecision{}, false
	}
	return d, true
}

// routePrompt shows the routing model the source, its domains and
// metrics, the conversation's current domain and recent questions, then q.
func (r *run) routePrompt(q string, k *knowledge.Knowledge, domains []knowledge.Domain) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Tables: %s\n", tableHint(r.cat))
	if len(domains) > 0 {
		b.WriteString("Domains:\n")
		for _, d := range domains {
			fmt.Fprintf(&b, "- %s", d.Name)
			if len(d.Aliases) > 0 {
				fmt.Fprintf(&b, " (also %s)", strings.Join(d.Aliases, ", "))
			}
			if d.Description != "" {
				fmt.Fprintf(&b, ": %s", d.Description)
			}
			b.WriteString("\n")
		}
	}
	if k != nil {
		var names []string
		for _, m := range k.AllMetrics() {
			if !slices.Contains(names, m.Name) {
				names = append(names, m.Name)
			}
		}
		if len(names) > 0 {
			fmt.Fprintf(&b, "Metrics: %s\n", strings.Join(names, ", "))
		}
	}
	if len(r.turns.domains) > 0 {
		fmt.Fprintf(&b, "Current domain of this conversation: %s\n", strings.Join(r.turns.domains, ", "))
	}
	if len(r.turns.questions) > 0 {
		b.WriteString("Earlier questions in this conversation, oldest first:\n")
		for _, t := range r.turns.questions {
			fmt.Fprintf(&b, "- %s\n", t)
		}
	}
	fmt.Fprintf(&b, "Question: %s", q)
	return b.String()
}

// domainsByName returns the domains of k called names, in names' order.
func domainsByName(k *knowledge.Knowledge, names []string) []knowledge.Domain {
	var out []knowledge.Domain
	for _, n := range names {
		for _, d := range k.Domains() {
			if text.Normalize(d.Name) == text.Normalize(n) {
				out = append(out, d)
			}
		}
	}
	return out
}

// inDomains keeps, of a metric defined in several domains, the definitions
// of the chosen domains, as FindMetrics does for domains the question names.
// A metric with no definition in them is kept whole (still ambiguous).
func inDomains(metrics []knowledge.Metric, domains []knowledge.Domain) []knowledge.Metric {
	if len(domains) == 0 {
		return metrics
	}
	chosen := map[string]bool{}
	for _, d := range domains {
		chosen[text.Normalize(d.Name)] = true
	}
	has := map[string]bool{} // metric names with a definition in a chosen domain
	for _, m := range metrics {
		if chosen[text.Normalize(m.Domain)] {
			has[text.Normalize(m.Name)] = true
		}
	}
	var out []knowledge.Metric
	for _, m := range metrics {
		if !has[text.Normalize(m.Name)] || m.Domain == "" || chosen[text.Normalize(m.Domain)] {
			out = append(out, m)
		}
	}
	return out
}

// clarifyDomain asks which domain a vague question is about, offering the
// source's domains as choices; msg is the routing model's question, if any.
func clarifyDomain(q, msg string, k *knowledge.Knowledge) *Clarification {
	c := &Clarification{Question: msg}
	if c.Question == "" {
		c.Question = "Could you say more about what you want to know?"
	}
	if k == nil {
		return c
	}
	for _, d := range k.Domains() {
		label := d.Name
		if d.Description != "" {
			label += ": " + d.Description
		}
		c.Choices = append(c.Choices, Choice{Label: label, Question: strings.TrimRight(q, "?. ") + " in " + d.Name + "?"})
	}
	return c
}
