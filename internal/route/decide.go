package route

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/askdb/askdb/internal/llm"
)

// Kind is how routing ended.
type Kind string

// Kinds of decision.
const (
	// Clear: one source stands out and is used.
	Clear Kind = "clear"
	// Close: several sources match about as well; the user chooses.
	Close Kind = "close"
	// NoMatch: no source matches the question well enough.
	NoMatch Kind = "none"
)

// How a clear decision was reached (and ByName).
const (
	ByScore   = "score"
	ByModel   = "model"
	ByDefault = "default_source"
)

// Decision is routing's answer for one question.
type Decision struct {
	Kind Kind `json:"kind"`
	// Source is the chosen source, set when Kind is Clear.
	Source string `json:"source,omitempty"`
	// By says what settled a clear decision: the scores, the fast model
	// or the default source.
	By string `json:"by,omitempty"`
	// Reason says in words why, naming the matching tables.
	Reason string `json:"reason"`
	// Candidates are the top sources, best first: the choices of a close
	// call and the closest sources of no match.
	Candidates []Candidate `json:"candidates"`
	// Split names two sources when the question seems to need both at
	// once; Source is the one that can answer part of it.
	Split []string `json:"split,omitempty"`
}

// Options tune a decision. The zero value uses the defaults below.
type Options struct {
	// Default is default_source: it breaks a tie it takes part in.
	Default string
	// Model, when set, is asked to break a tie among the top candidates.
	Model llm.Model
	// MinScore is the score below which nothing matches, in units of the
	// weight of a word that only one source holds, once, in a comment:
	// the unit grows with the number of sources, as IDF does.
	MinScore float64
	// CloseRatio: a runner-up scoring at least CloseRatio of the winner's
	// score makes the decision a close call.
	CloseRatio float64
	// MaxChoices bounds the sources of a close call.
	MaxChoices int
	// Allowed, when set, limits routing to the sources it accepts: the
	// ones the caller may read. The others are neither chosen nor named.
	Allowed func(source string) bool
}

// Defaults for Options, tuned on Spider's train split (138 databases):
// a close ratio of 0.7 keeps confident wrong routes under 2% there.
const (
	DefaultMinScore   = 1.0
	DefaultCloseRatio = 0.7
	DefaultMaxChoices = 3
)

func (o *Options) defaults() {
	if o.MinScore == 0 {
		o.MinScore = DefaultMinScore
	}
	if o.CloseRatio == 0 {
		o.CloseRatio = DefaultCloseRatio
	}
	if o.MaxChoices == 0 {
		o.MaxChoices = DefaultMaxChoices
	}
}

// Route ranks the sources for question and decides. The response is the
// fast model's, when one was asked (for the trace's token accounting);
// a model failure is not an error: the tie stays a close call.
func (r *Router) Route(ctx context.Context, question string, opts Options) (Decision, *llm.Response) {
	opts.defaults()
	r.mu.RLock()
	qs := r.queryTerms(question)
	ranked := r.rank(qs, opts.Allowed)
	top := ranked[:min(len(ranked), max(opts.MaxChoices, 2))]
	r.explain(top, qs)
	unit := r.unit()
	named := r.namedSource(question)
	if named != "" && opts.Allowed != nil && !opts.Allowed(named) {
		named = ""
	}
	r.mu.RUnlock()
	if named != "" {
		return chosen(Decision{Candidates: top}, named, ByName), nil
	}
	d := decide(top, opts, unit)
	if d.Kind != Close {
		return d, nil
	}
	var resp *llm.Response
	if opts.Model != nil {
		var name string
		name, resp = tieBreak(ctx, opts.Model, question, d.Candidates, r.descriptions(d.Candidates))
		if name != "" {
			return chosen(d, name, ByModel), resp
		}
	}
	for _, c := range d.Candidates {
		if c.Source == opts.Default && opts.Default != "" {
			return chosen(d, opts.Default, ByDefault), resp
		}
	}
	return d, resp
}

func decide(top []Candidate, opts Options, floor float64) Decision {
	d := Decision{Candidates: top}
	if len(top) == 0 || top[0].Score < opts.MinScore*floor {
		d.Kind = NoMatch
		d.Reason = "no source matches the question"
		if len(top) > 0 {
			d.Reason += "; the closest are " + names(top)
		}
		return d
	}
	if len(top) > 1 && splitWith(top[0], top[1]) {
		// Each holds strong words the other lacks: the question needs both,
		// and the first answers its part.
		d = chosen(d, top[0].Source, ByScore)
		d.Split = []string{top[0].Source, top[1].Source}
		d.Reason += fmt.Sprintf("; the question also asks about %s, which only %q holds",
			strings.Join(onlyIn(top[1], top[0]), ", "), top[1].Source)
		return d
	}
	var close []Candidate
	for _, c := range top {
		if c.Score >= opts.CloseRatio*top[0].Score {
			close = append(close, c)
		}
	}
	if len(close) > 1 {
		d.Kind, d.Candidates = Close, close[:min(len(close), opts.MaxChoices)]
		d.Reason = fmt.Sprintf("%s match about equally well", names(d.Candidates))
		return d
	}
	return chosen(d, top[0].Source, ByScore)
}

// chosen makes d a clear decision for name.
func chosen(d Decision, name, by string) Decision {
	d.Kind, d.Source, d.By = Clear, name, by
	for _, c := range d.Candidates {
		if c.Source != name {
			continue
		}
		d.Reason = fmt.Sprintf("routed to %q", name)
		if len(c.Tables) > 0 {
			d.Reason += ": matching tables " + strings.Join(c.Tables, ", ")
		}
	}
	if d.Reason == "" {
		d.Reason = fmt.Sprintf("routed to %q", name)
	}
	switch by {
	case ByName:
		d.Reason += " (the question names it)"
	case ByModel:
		d.Reason += " (a close call, settled by the fast model)"
	case ByDefault:
		d.Reason += " (a close call, settled by default_source)"
	}
	return d
}

func names(cs []Candidate) string {
	q := make([]string, len(cs))
	for i, c := range cs {
		q[i] = fmt.Sprintf("%q", c.Source)
	}
	return strings.Join(q, ", ")
}

// strongShare and strongWeight mark a term as strong evidence: held by
// few sources (its IDF at least strongShare of a term only one source
// holds), and as a table or column name rather than in a comment.
const (
	strongShare  = 0.6
	strongWeight = weightColumn
)

// explain fills each candidate's Terms: the strong question terms it
// holds, strongest first. It runs under the read lock.
func (r *Router) explain(cs []Candidate, qs []queryTerm) {
	strong := strongShare * idf(float64(len(r.order)), 1)
	for i := range cs {
		seg := r.segs[cs[i].Source]
		type tw struct {
			t string
			w float64
		}
		var ts []tw
		for _, q := range qs {
			if info := seg.terms[q.term]; info != nil && q.idf >= strong && info.best >= strongWeight {
				ts = append(ts, tw{q.term, q.idf * float64(info.best)})
			}
		}
		sort.SliceStable(ts, func(a, b int) bool { return ts[a].w > ts[b].w })
		for _, t := range ts {
			cs[i].Terms = append(cs[i].Terms, t.t)
		}
	}
}

// splitWith reports whether the question's strong evidence is split: each
// of a and b holds strong terms the other lacks, and b's share is not a
// stray word but at least a third of a's.
func splitWith(a, b Candidate) bool {
	onlyA, onlyB := onlyIn(a, b), onlyIn(b, a)
	return len(onlyA) > 0 && len(onlyB) > 0 && 3*len(onlyB) >= len(a.Terms) && len(onlyB) >= 2
}

// onlyIn returns a's strong terms that b does not hold strongly.
func onlyIn(a, b Candidate) []string {
	has := make(map[string]bool, len(b.Terms))
	for _, t := range b.Terms {
		has[t] = true
	}
	var out []string
	for _, t := range a.Terms {
		if !has[t] {
			out = append(out, t)
		}
	}
	return out
}

// descriptions returns the candidates' source descriptions.
func (r *Router) descriptions(cs []Candidate) map[string]string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := map[string]string{}
	for _, c := range cs {
		if s := r.segs[c.Source]; s != nil {
			out[c.Source] = s.description
		}
	}
	return out
}
