package pipeline

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/askdb/askdb/internal/identity"
	"github.com/askdb/askdb/internal/knowledge"
	"github.com/askdb/askdb/internal/route"
	"github.com/askdb/askdb/internal/schema"
	"github.com/askdb/askdb/internal/trace"
)

// routing is the pipeline's index over every source's prepared schema.
// The index is refreshed per source when its fingerprint changes (a
// rebuilt schema), never per question.
type routing struct {
	router *route.Router
	// mu serialises refreshes, so two first questions do not both
	// introspect every source.
	mu sync.Mutex
	// down holds when a source last failed to open or introspect, so that
	// a database that is down costs one attempt per routeRetry, not one
	// per question.
	down map[string]downSource
}

type downSource struct {
	at  time.Time
	err error
}

// routeRetry is how long routing leaves a failing source alone.
const routeRetry = 30 * time.Second

func newRouting() routing {
	return routing{router: route.New(), down: map[string]downSource{}}
}

func (p *Pipeline) sourceNames() []string { return p.opts.Sources.Names() }

// chooseSource opens the named source or, when the question names none and
// several are configured, routes it. A close call or no match settles the
// question (r.ans.Outcome is set).
func (r *run) chooseSource(ctx context.Context, req Request, q string) error {
	name := req.Source
	if name != "" || len(r.p.sourceNames()) < 2 {
		return r.route(ctx, name)
	}
	step := r.rec.Started(trace.StepSource)
	if isFollowUp(q) {
		// "and by month?" leans on the conversation's last answer: same source.
		if prev := r.p.conversationSource(ctx, req.ConversationID, req.User); prev != "" {
			return r.open(ctx, step, prev, fmt.Sprintf("source %q, as the conversation's earlier question", prev))
		}
	}
	d := r.p.routeQuestion(ctx, q, step, r.ans, r.who)
	r.ans.Route = &d
	step.Detail(d)
	switch d.Kind {
	case route.Clear:
		return r.open(ctx, step, d.Source, d.Reason)
	case route.Close:
		r.ans.Outcome, r.ans.Clarification = Clarify, sourceClarification(q, d)
		r.ans.Message = r.ans.Clarification.Question
		step.Done("a close call: " + d.Reason + "; asking which source")
	default:
		r.ans.Intent, r.ans.Outcome = IntentOutOfScope, NoSQL
		r.ans.Message = noMatchMessage(d, r.p.sourceNames())
		step.Done("out of scope: " + d.Reason)
	}
	return nil
}

// conversationSource is the source of the last answered question of a
// conversation, "" when there is none.
func (p *Pipeline) conversationSource(ctx context.Context, id, user string) string {
	if id == "" || p.opts.Store == nil {
		return ""
	}
	recs, err := p.opts.Store.Conversation(ctx, id, user, historyTurns*2)
	if err != nil {
		return ""
	}
	for i := len(recs) - 1; i >= 0; i-- {
		if recs[i].Outcome == string(Answered) && recs[i].Source != "" {
			return recs[i].Source
		}
	}
	return ""
}

// routeQuestion brings the index up to date and routes q.
func (p *Pipeline) routeQuestion(ctx context.Context, q string, step *trace.Running, ans *Answer, who identity.Identity) route.Decision {
	p.routing.mu.Lock()
	err := p.routing.router.Sync(ctx, routeInputs{p})
	p.routing.mu.Unlock()
	if err != nil {
		// The others still route; the failing source is named in the log.
		p.opts.Logger.Warn("routing: some sources could not be indexed", "err", err)
	}
	opts := route.Options{Model: p.opts.FastModel, Allowed: p.readable(who)}
	if def, err := p.opts.Sources.Resolve(""); err == nil {
		opts.Default = def
	}
	d, resp := p.routing.router.Route(ctx, q, opts)
	if resp != nil {
		ans.ModelCalls++
		step.Model(resp.Model, resp.Usage.InputTokens, resp.Usage.OutputTokens)
	}
	p.hideRestricted(&d, who)
	return d
}

// readable returns which sources the caller may read, nil when access
// rules are off (every source).
func (p *Pipeline) readable(who identity.Identity) func(string) bool {
	if len(p.opts.Access) == 0 {
		return nil
	}
	return func(name string) bool {
		_, err := p.grantFor(who, name, p.opts.Sources.Config(name).Policy)
		return err == nil
	}
}

// hideRestricted drops the evidence tables of sources whose grant hides
// part of the schema from the caller: the index holds every table, and a
// table name the caller may not see must not appear in the answer.
func (p *Pipeline) hideRestricted(d *route.Decision, who identity.Identity) {
	if len(p.opts.Access) == 0 {
		return
	}
	for i := range d.Candidates {
		c := &d.Candidates[i]
		base := p.opts.Sources.Config(c.Source).Policy
		if g, err := p.grantFor(who, c.Source, base); err != nil || g.restricts(base) {
			c.Tables, c.Terms = nil, nil
			if c.Source == d.Source {
				d.Reason = fmt.Sprintf("routed to %q", d.Source)
			}
		}
	}
}

// sourceClarification asks which of a close call's sources to use, in the
// shape of the domain clarification: one choice per source.
func sourceClarification(q string, d route.Decision) *Clarification {
	c := &Clarification{Question: "Several sources could answer this. Which one do you mean?"}
	for _, cand := range d.Candidates {
		label := cand.Source
		if len(cand.Tables) > 0 {
			label += " (tables " + strings.Join(cand.Tables, ", ") + ")"
		}
		// The question names the source, as the domain clarification names
		// the domain: asked again as it is, with or without Source, it lands there.
		c.Choices = append(c.Choices, Choice{Label: label, Question: strings.TrimRight(q, "?. ") + " in " + cand.Source + "?", Source: cand.Source})
	}
	return c
}

func noMatchMessage(d route.Decision, all []string) string {
	var closest []string
	for _, c := range d.Candidates {
		closest = append(closest, fmt.Sprintf("%q", c.Source))
	}
	if len(closest) == 0 {
		for _, n := range all[:min(len(all), 3)] {
			closest = append(closest, fmt.Sprintf("%q", n))
		}
	}
	return "This question does not seem to be about the data of any configured source: no table, column or known value matches it. The closest sources are " +
		strings.Join(closest, ", ") + "; ask about their data, or name one with --source."
}

// noteSplit tells the user that an answer covers only the part of the
// question that its source holds.
func noteSplit(a *Answer) {
	if a.Route == nil || len(a.Route.Split) < 2 || a.Outcome != Answered {
		return
	}
	note := fmt.Sprintf("This answers only the part of the question that source %q holds: the rest needs source %q, and askdb does not join across sources.", a.Route.Split[0], a.Route.Split[1])
	if a.Summary == "" {
		a.Summary = note
	} else {
		a.Summary += " " + note
	}
}

// routeInputs feeds the router from the pipeline's prepared schemas.
type routeInputs struct{ p *Pipeline }

func (ri routeInputs) Names() []string { return ri.p.sourceNames() }

// routeFingerprint keys the routing fingerprint in a schema's memo: a
// Schema never changes once built, and a rebuilt one starts a new memo.
type routeFingerprint struct{}

func (ri routeInputs) Fingerprint(ctx context.Context, name string) (string, error) {
	s, err := ri.info(ctx, name)
	if err != nil {
		return "", err
	}
	return s.Memo(routeFingerprint{}, func() any { return route.Fingerprint(ri.input(name, s)) }).(string), nil
}

func (ri routeInputs) Input(ctx context.Context, name string) (route.Input, error) {
	s, err := ri.info(ctx, name)
	if err != nil {
		return route.Input{}, err
	}
	return ri.input(name, s), nil
}

// info returns the source's prepared schema. It runs under routing.mu.
func (ri routeInputs) info(ctx context.Context, name string) (*schema.Schema, error) {
	rt := &ri.p.routing
	if d, ok := rt.down[name]; ok && ri.p.opts.Now().Sub(d.at) < routeRetry {
		return nil, d.err
	}
	s, err := ri.p.schemas.Get(ctx, name)
	if err != nil {
		rt.down[name] = downSource{at: ri.p.opts.Now(), err: err}
		return nil, err
	}
	delete(rt.down, name)
	return s, nil
}

func (ri routeInputs) input(name string, s *schema.Schema) route.Input {
	// The value catalog holds every value of low-cardinality text columns:
	// a stored value is strong evidence. Routing keeps them local: the
	// tie-break model sees table names only.
	cat := s.ValueCatalog()
	if cat == nil {
		cat = s.Catalog
	}
	in := route.Input{Name: name, Description: ri.p.opts.Sources.Config(name).Description, Catalog: cat}
	if k := ri.p.opts.Knowledge[name]; k != nil {
		in.Domains = routeDomains(k.Domains())
		in.Synonyms = k.Synonyms()
		// Descriptions are already the catalog's comments (package schema).
	}
	return in
}

func routeDomains(ds []knowledge.Domain) []route.Domain {
	out := make([]route.Domain, len(ds))
	for i, d := range ds {
		out[i] = route.Domain{Name: d.Name, Aliases: d.Aliases, Description: d.Description, Tables: d.Tables}
	}
	return out
}

// SourceDomains names the business domains of a source's knowledge
// files, so that an agent choosing a source (MCP list_sources) sees them.
func (p *Pipeline) SourceDomains(name string) []string {
	k := p.opts.Knowledge[name]
	if k == nil {
		return nil
	}
	var out []string
	for _, d := range k.Domains() {
		out = append(out, d.Name)
	}
	return out
}
