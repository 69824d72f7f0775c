// Package trace records the steps a question takes through askdb: each
// step's name, timing, model and tokens, decision and error. A Recorder
// can stream steps to an observer (CLI progress, server-sent events, MCP
// progress) as they finish.
//
// trace imports nothing from askdb.
package trace

import (
	"sync"
	"time"
)

// Step names. They are a closed set so that UIs can label them.
const (
	StepInput    = "input"    // question checks: length, encoding, write requests
	StepSource   = "source"   // choose the source
	StepRoute    = "route"    // intent, domains, metrics
	StepBank     = "bank"     // look for a verified question
	StepRetrieve = "retrieve" // choose the tables the prompt shows
	StepGenerate = "generate" // a model or engine writes SQL
	StepGuard    = "guard"    // prove the SQL is one read-only query
	StepVerify   = "verify"   // EXPLAIN on the source
	StepExecute  = "execute"  // run read-only with limits
	StepSummary  = "summary"  // one-sentence answer
)

// Tokens counts tokens a step spent.
type Tokens struct {
	Input  int `json:"input"`
	Output int `json:"output"`
}

// Total is input plus output.
func (t Tokens) Total() int { return t.Input + t.Output }

// Step statuses. An observer sees each step twice: once running, when it
// starts, and once done or failed, when it finishes.
const (
	StatusRunning = "running"
	StatusDone    = "done"
	StatusFailed  = "failed"
)

// Step is one step of an answer.
type Step struct {
	Name     string        `json:"name"`
	Status   string        `json:"status"`
	Attempt  int           `json:"attempt,omitempty"` // 1-based, for steps repeated by repair
	Start    time.Time     `json:"start"`
	Duration time.Duration `json:"duration_ns"`
	Model    string        `json:"model,omitempty"`
	Tokens   Tokens        `json:"tokens"`
	// Decision says what the step concluded, in words.
	Decision string `json:"decision,omitempty"`
	// Detail holds step-specific data: chosen tables, the SQL, a verdict.
	Detail any    `json:"detail,omitempty"`
	Error  string `json:"error,omitempty"`
}

// Recorder collects steps and tells an observer about each. It is safe
// for concurrent use.
type Recorder struct {
	mu       sync.Mutex
	steps    []Step
	observer func(Step)
	now      func() time.Time
}

// NewRecorder returns a Recorder that calls observer (may be nil) when
// each step starts (Status running) and when it finishes.
func NewRecorder(observer func(Step)) *Recorder {
	return &Recorder{observer: observer, now: time.Now}
}

// Started returns a handle for a step starting now.
func (r *Recorder) Started(name string) *Running {
	s := &Running{r: r, step: Step{Name: name, Status: StatusRunning, Start: r.now()}}
	if r.observer != nil {
		r.observer(s.step)
	}
	return s
}

// Steps returns a copy of the finished steps, in order.
func (r *Recorder) Steps() []Step {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Step(nil), r.steps...)
}

// Tokens sums the tokens of every step.
func (r *Recorder) Tokens() Tokens {
	r.mu.Lock()
	defer r.mu.Unlock()
	var t Tokens
	for _, s := range r.steps {
		t.Input += s.Tokens.Input
		t.Output += s.Tokens.Output
	}
	return t
}

func (r *Recorder) add(s Step) {
	r.mu.Lock()
	r.steps = append(r.steps, s)
	obs := r.observer
	r.mu.Unlock()
	if obs != nil {
		obs(s)
	}
}

// Running is a step in progress. Fill its fields, then call Done or Fail.
type Running struct {
	r    *Recorder
	step Step
	done bool
}

// Attempt sets the attempt number.
func (s *Running) Attempt(n int) *Running { s.step.Attempt = n; return s }

// Model records the model used and the tokens it spent.
func (s *Running) Model(id string, in, out int) {
	s.step.Model = id
	s.step.Tokens.Input += in
	s.step.Tokens.Output += out
}

// Detail attaches step-specific data.
func (s *Running) Detail(d any) { s.step.Detail = d }

// Done finishes the step with a decision.
func (s *Running) Done(decision string) Step {
	return s.finish(decision, nil)
}

// Fail finishes the step with an error.
func (s *Running) Fail(decision string, err error) Step {
	return s.finish(decision, err)
}

func (s *Running) finish(decision string, err error) Step {
	if s.done {
		return s.step
	}
	s.done = true
	s.step.Duration = s.r.now().Sub(s.step.Start)
	s.step.Decision = decision
	s.step.Status = StatusDone
	if err != nil {
		s.step.Error = err.Error()
		s.step.Status = StatusFailed
	}
	s.r.add(s.step)
	return s.step
}
