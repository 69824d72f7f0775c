package pipeline

import (
	"context"
	"fmt"
	"strings"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/knowledge"
	"github.com/askdb/askdb/internal/llm"
	"github.com/askdb/askdb/internal/offline"

	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/trace"
)

// EngineBank marks answers served from the question bank.
const EngineBank = "bank"

// understand classifies the question and settles what needs no SQL: a
// metric definition, where data lives, or a clarification when a metric
// is ambiguous. It reports whether the question is settled. With a fast
// model one structured call decides the intent and the domain; without
// one, or when that call fails, the rules do.
func (r *run) understand(ctx context.Context, q string) bool {
	step := r.rec.Started(trace.StepRoute)
	k := r.p.opts.Knowledge[r.ans.Source]
	d, routed := r.routeByModel(ctx, q, k, step)
	var fresh []knowledge.Domain // named in q or chosen for it, not kept from earlier turns
	if k != nil {
		fresh, r.domains = r.chooseDomains(q, k, d.Domain)
		r.metrics = inDomains(k.FindMetrics(q), r.domains)
		for _, dom := range r.domains {
			r.ans.Domains = append(r.ans.Domains, dom.Name)
		}
	}
	r.ans.Intent = classify(q, r.metrics)
	by := "rules"
	if routed {
		by = "the fast model"
		if i := modelIntent(d.Intent); i != IntentMetricInfo || len(r.metrics) > 0 {
			r.ans.Intent = i
		}
	}
	switch r.ans.Intent {
	case IntentOutOfScope:
		r.outOfScopeAnswer()
		step.Done("out of scope, decided by " + by)
		return true
	case IntentClarify:
		c := clarifyDomain(q, d.Clarification, k)
		r.ans.Outcome, r.ans.Clarification, r.ans.Message = Clarify, c, c.Question
		step.Done("too vague: asking the user, decided by " + by)
		return true
	case IntentMetricInfo:
		r.ans.Outcome, r.ans.Summary = Info, metricInfo(r.metrics)
		step.Done("a metric definition, answered from the dictionary")
		return true
	case IntentQuery:
		if c := clarifyMetric(q, r.metrics); c != nil {
			r.ans.Outcome, r.ans.Clarification, r.ans.Message = Clarify, c, c.Question
			step.Done("ambiguous metric: asking which domain")
			return true
		}
		r.notes = metricNotes(r.metrics)
	case IntentSchemaInfo:
		tables := r.ans.Tables
		for _, dom := range fresh {
			if len(dom.Tables) > 0 {
				tables = dom.Tables
				break
			}
		}
		r.ans.Summary, r.ans.Tables = describeTables(r.cat, tables, k)
		r.ans.Outcome = Info
		step.Done("a question about the schema, answered from the catalog")
		return true
	}
	// A question that names a metric or a domain is about this data, even
	// when no table or column matches its words.
	unlinked := len(r.ans.Tables) == 0 && len(fresh) == 0 && len(r.metrics) == 0
	if unlinked && offline.NotEnglish(q) {
		// Not off-topic: the schema's words are English ones. A model
		// reads other languages; the offline engine does not.
		if r.p.opts.SQLModel != nil {
			step.Done("not English: left to the model")
			return false
		}
		r.ans.Outcome = NoSQL
		r.ans.Message = "The " + offline.EnglishOnly + " to ask in other languages, or ask in English."
		step.Done("not English, and no model is configured")
		return true
	}
	// A failed routing call leaves the question to the SQL model, as a
	// failed out-of-scope call does; the router is not asked twice.
	if unlinked && r.p.router() == nil && r.outOfScope(ctx, q, step) {
		r.ans.Intent = IntentOutOfScope
		r.outOfScopeAnswer()
		step.Done("out of scope: nothing in the schema matches")
		return true
	}
	step.Done(fmt.Sprintf("intent %s, decided by %s%s", r.ans.Intent, by, domainNote(r.domains, fresh)))
	return false
}

// chooseDomains picks the question's domains: those its words name, else
// the one the routing model chose, else the conversation's. fresh are the
// first two kinds, which make the question about this data.
func (r *run) chooseDomains(q string, k *knowledge.Knowledge, chosen string) (fresh, all []knowledge.Domain) {
	if named := k.MatchDomains(q); len(named) > 0 {
		return named, named
	}
	if chosen != "" {
		fresh = domainsByName(k, []string{chosen})
		return fresh, fresh
	}
	return nil, domainsByName(k, r.turns.domains)
}

// domainNote says in the trace which domain a question is in, and whether
// it was kept from the conversation.
func domainNote(all, fresh []knowledge.Domain) string {
	if len(all) == 0 {
		return ""
	}
	var names []string
	for _, d := range all {
		names = append(names, d.Name)
	}
	if len(fresh) == 0 {
		return "; domain " + strings.Join(names, ", ") + ", kept from the conversation"
	}
	return "; domain " + strings.Join(names, ", ")
}

// outOfScopeAnswer refuses a question that is not about the source's data.
func (r *run) outOfScopeAnswer() {
	r.ans.Outcome = NoSQL
	r.ans.Message = fmt.Sprintf("This question does not seem to be about the data in source %q: no table, column or known value matches it. Ask about %s.", r.ans.Source, tableHint(r.cat))
}

// outOfScope decides a question that retrieval links to nothing. The
// rules cannot tell "tell me a joke" from a question in words the schema
// does not use, so the fast model decides when there is one; without a
// model the question is out of scope, since no engine could answer it.
func (r *run) outOfScope(ctx context.Context, q string, step *trace.Running) bool {
	m := r.p.opts.FastModel
	if m == nil {
		return true
	}
	req := llm.Request{
		System:    "You decide whether a question can be answered by querying a database. Reply with exactly one word: QUERY or OUT_OF_SCOPE.",
		Messages:  []llm.Message{{Role: llm.RoleUser, Content: fmt.Sprintf("Tables: %s\nQuestion: %s", tableHint(r.cat), q)}},
		MaxTokens: 5,
	}
	resp, err := m.Chat(ctx, req)
	r.ans.ModelCalls++
	if err != nil {
		return false // let the SQL model try; its own failure is reported there
	}
	step.Model(resp.Model, resp.Usage.InputTokens, resp.Usage.OutputTokens)
	return strings.Contains(strings.ToUpper(resp.Text), "OUT_OF_SCOPE")
}

// tableHint lists a few table names for a message or a prompt.
func tableHint(cat *catalog.Catalog) string {
	var names []string
	for i := range cat.Tables {
		if len(names) == 8 {
			names = append(names, "…")
			break
		}
		names = append(names, cat.Tables[i].QualifiedName())
	}
	return strings.Join(names, ", ")
}

// fromBank answers from a verified question when one matches, exactly or
// as a template with other literals. The SQL is guarded and verified again
// (the schema or the policy may have changed since it was verified), and
// no model is called.
func (r *run) fromBank(ctx context.Context, q string, dryRun bool) (*source.Result, bool, error) {
	entries := r.p.bankEntries(ctx, r.ans.Source)
	r.bank = entries
	if len(entries) == 0 {
		return nil, false, nil
	}
	step := r.rec.Started(trace.StepBank)
	hit, sql, ok := matchBank(q, entries, r.values)
	if !ok {
		step.Done(fmt.Sprintf("no match among %d verified questions", len(entries)))
		return nil, false, nil
	}
	step.Detail(hit)
	how := "the same question"
	if hit.Template {
		how = "a template with different values"
	}
	chosen := bankChoice(hit)
	step.Done(fmt.Sprintf("matched verified question %q (%s), entry %s; SQL chosen by %s", hit.Entry.Question, how, hit.Entry.ID, chosen.Label))
	r.ans.Engine, r.ans.Bank, r.ans.SQL, r.ans.ChosenBy = EngineBank, &hit, sql, chosen
	res, err := r.checkAndRun(ctx, sql, dryRun)
	if r.ans.Outcome == Refused || r.ans.Outcome == Failed {
		// A bank entry that no longer passes is skipped, not fatal.
		r.ans.Engine, r.ans.Bank, r.ans.Outcome, r.ans.Message, r.ans.ChosenBy = "", nil, "", "", nil
		return nil, false, nil
	}
	return res, true, err
}

// checkAndRun guards, verifies and (unless dryRun) runs SQL that was not
// written by the model, so there is no repair loop. On a refusal or an
// EXPLAIN error it sets the outcome and returns no result.
func (r *run) checkAndRun(ctx context.Context, sql string, dryRun bool) (*source.Result, error) {
	lim := source.LimitsFor(r.cfg)
	v := r.guard(sql, lim.MaxRows, 1)
	if !v.Accepted {
		r.ans.Outcome, r.ans.Message = Refused, "The query was refused: "+v.Message
		return nil, nil
	}
	r.ans.SQL = v.SQL
	msg, err := r.verify(ctx, v.SQL, 1)
	if err != nil {
		return nil, err
	}
	if msg != "" {
		r.ans.Outcome, r.ans.Message = Failed, "The database rejected the query: "+msg
		return nil, nil
	}
	if dryRun {
		r.ans.Outcome = Generated
		return nil, nil
	}
	return r.execute(ctx, v.SQL, lim)
}
