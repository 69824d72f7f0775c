package pipeline

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/chart"
	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/identity"
	"github.com/askdb/askdb/internal/knowledge"
	"github.com/askdb/askdb/internal/llm"
	"github.com/askdb/askdb/internal/retrieve"
	"github.com/askdb/askdb/internal/schema"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/sqlguard"
	"github.com/askdb/askdb/internal/store"
	"github.com/askdb/askdb/internal/trace"
)

// Sources is what the pipeline needs from the configured sources, the
// same as its schema cache needs; *source.Set implements it.
type Sources = schema.Sources

// Options configure a Pipeline.
type Options struct {
	Sources Sources
	// SQLModel writes SQL. FastModel writes summaries; nil means SQLModel.
	SQLModel  llm.Model
	FastModel llm.Model
	// RepairAttempts bounds how often a refused or failing query is sent
	// back to the model. Default 2; negative means none.
	RepairAttempts int
	// Summary asks the fast model for a one-sentence answer.
	Summary bool
	// Privacy is PrivacyRows or PrivacySchemaOnly.
	Privacy string
	Notes   string
	// GuardFunctions extends each dialect's function allowlist.
	GuardFunctions map[string][]string
	// Engine is EngineAuto (default: offline engine first, then the model),
	// EngineModel or EngineOffline.
	Engine string
	// Offline is the deterministic engine; nil disables it.
	Offline Translator
	// OfflineMinConfidence is the offline engine's threshold in offline and auto mode; 0 means the default.
	OfflineMinConfidence float64
	// Embedder, when set, adds dense vectors to schema retrieval.
	Embedder llm.Embedder
	// Knowledge holds each source's semantic layer, by source name.
	Knowledge map[string]*knowledge.Knowledge
	// Schemas, when set, is the cache of prepared schemas to share with
	// other readers (MCP, the HTTP API); nil builds one from these options.
	Schemas *schema.Cache
	// Store, when set, receives the audit log of every answer and holds
	// the question bank's promoted entries.
	Store store.Store
	// Access are the per-group rules (askdb.yaml access:); empty means
	// every caller sees what the source's policy allows.
	Access []config.AccessRule
	// Cache is the semantic cache of answered questions, kept in Store.
	Cache CacheOptions
	// Candidates, above 1, asks SQLModel for that many queries and keeps
	// the one whose result most agree on; 0 or 1 asks for one.
	Candidates int
	// MaxQuestionRunes bounds a question; 0 means DefaultMaxQuestionRunes.
	MaxQuestionRunes int
	Now              func() time.Time
	Logger           *slog.Logger
}

// OptionsFromConfig maps askdb.yaml's ask section onto Options.
func OptionsFromConfig(cfg *config.Config) Options {
	o := Options{RepairAttempts: 2, Summary: true, Privacy: cfg.Ask.Privacy, Notes: cfg.Ask.Notes, GuardFunctions: cfg.Guard.Functions, Engine: cfg.Ask.Engine, Access: cfg.Access, Cache: cacheOptions(cfg.Ask.Cache), Candidates: cfg.Ask.Candidates}
	if cfg.Ask.RepairAttempts != nil {
		o.RepairAttempts = *cfg.Ask.RepairAttempts
	}
	if cfg.Ask.Summary != nil {
		o.Summary = *cfg.Ask.Summary
	}
	return o
}

// Pipeline answers questions. It is safe for concurrent use.
type Pipeline struct {
	opts Options

	schemas *schema.Cache
	cache   store.CacheStore // nil when the semantic cache is off

	mu       sync.Mutex
	watchers []func(*Answer)
	// routing holds the index over every source's catalog, for questions
	// that name no source.
	routing routing
}

// OnAnswer registers f to be called with every finished answer, whichever
// interface asked (API, MCP, CLI): metrics count them all in one place.
func (p *Pipeline) OnAnswer(f func(*Answer)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.watchers = append(p.watchers, f)
}

func (p *Pipeline) notify(a *Answer) {
	p.mu.Lock()
	ws := p.watchers
	p.mu.Unlock()
	for _, f := range ws {
		f(a)
	}
}

// New returns a Pipeline.
func New(opts Options) *Pipeline {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.FastModel == nil {
		opts.FastModel = opts.SQLModel
	}
	if opts.Privacy == "" {
		opts.Privacy = PrivacyRows
	}
	if opts.Engine == "" {
		opts.Engine = EngineAuto
	}
	if opts.OfflineMinConfidence == 0 {
		opts.OfflineMinConfidence = DefaultOfflineMinConfidence
	}
	if opts.Schemas == nil {
		opts.Schemas = NewSchemaCache(opts)
	}
	opts.Cache = opts.Cache.withDefaults()
	return &Pipeline{opts: opts, schemas: opts.Schemas, routing: newRouting(), cache: answerCache(opts)}
}

// ErrNoModel means a question needed a model and none is configured.
var ErrNoModel = errors.New(`no model is configured to write SQL. Set one up, for example:
  ASKDB_MODEL=bedrock:anthropic.claude-3-5-haiku-20241022-v1:0   (AWS credentials with Bedrock access)
  ASKDB_MODEL=openai:qwen2.5-coder:7b OPENAI_BASE_URL=http://localhost:11434/v1   (Ollama)
or add a models: section to askdb.yaml (see README: Models)`)

// Request is one question.
type Request struct {
	Question string
	// Source names the source; empty means routing picks one among
	// several (default_source breaks ties), or the only one.
	Source string
	// Observer is told about each step as it finishes (progress, SSE).
	Observer func(trace.Step)
	// DryRun stops after the guard and EXPLAIN: the Answer carries the
	// SQL, explanation and verdict but no rows (MCP's generate_sql).
	DryRun bool
	// User is who asks, for the audit log and per-user policy; may be empty.
	User string
	// ConversationID groups follow-up questions; it is kept on the Answer.
	ConversationID string
	// NoCache refuses a cached answer ("ask the model again"): the cache is
	// not read, and the new answer replaces the cached one.
	NoCache bool
}

// Ask answers one question. The returned Answer is never nil; it carries
// the outcome, the trace and, for failures, a message. The error is
// non-nil only for failures (Outcome == Failed) and for input errors
// (*InputError), so callers can map it to an exit status or HTTP status.
func (p *Pipeline) Ask(ctx context.Context, req Request) (*Answer, error) {
	run := &run{
		p:   p,
		rec: trace.NewRecorder(req.Observer),
		ans: &Answer{ID: newID(), Question: req.Question, ConversationID: req.ConversationID, CreatedAt: p.opts.Now()},
		who: callerOf(ctx, req.User),
	}
	err := run.ask(ctx, req)
	run.finish(err)
	run.audit(ctx)
	p.notify(run.ans)
	return run.ans, err
}

// run is the state of one question on its way through the pipeline.
type run struct {
	p   *Pipeline
	rec *trace.Recorder
	ans *Answer

	who     identity.Identity // the caller
	grant   grant             // what the caller may see of src
	written string            // the SQL last given to the guard, as written
	src     source.Source
	cfg     config.Source
	schema  *schema.Schema // the source's prepared schema (retrieve)
	cat     *catalog.Catalog
	ddl     string             // the schema slice shown to the model
	notes   string             // metric definitions the question needs
	bank    []BankEntry        // the source's verified questions, loaded once
	values  map[string]string  // one-word values stored in the data, by lower case
	history []Example          // earlier questions of the conversation
	turns   turns              // what the conversation's earlier turns tell this one
	domains []knowledge.Domain // named in the question (understand)
	metrics []knowledge.Metric // named in the question (understand)
	// definition is the metric definition an answer used, in words for its summary.
	definition string
	// declined says why a question that names a metric could not be
	// answered from the dictionary alone.
	declined string
	convo    []llm.Message
	system   string
	// qvec is the question's embedding for the cache, computed once.
	qvec      []float32
	qvecTried bool
}

func (r *run) finish(err error) {
	a := r.ans
	a.Steps = r.rec.Steps()
	a.Tokens = r.rec.Tokens()
	a.Duration = r.p.opts.Now().Sub(a.CreatedAt)
	if err != nil && a.Outcome == "" {
		a.Outcome = Failed
		a.Message = err.Error()
	}
	noteSplit(a)
}

func (r *run) ask(ctx context.Context, req Request) error {
	q, err := r.input(req.Question)
	if err != nil || r.ans.Outcome != "" {
		return err
	}
	if err := r.chooseSource(ctx, req, q); err != nil || r.ans.Outcome != "" {
		return err
	}
	if err := r.retrieve(ctx, q); err != nil {
		return err
	}
	r.turns = r.p.conversation(ctx, req.ConversationID, req.User, r.ans.Source)
	r.history = r.turns.history
	if r.understand(ctx, q) {
		return nil
	}
	var res *source.Result
	var handled bool
	if len(r.history) == 0 || !isFollowUp(q) {
		// A follow-up leans on earlier questions, which only the model reads.
		// Knowledge first: a verified question, then a metric definition.
		res, handled, err = r.fromBank(ctx, q, req.DryRun)
		if !handled && err == nil {
			res, handled, err = r.fromMetric(ctx, q, req.DryRun)
		}
		switch {
		case handled || err != nil:
		case r.declined != "":
			handled = r.metricDeclined()
		default:
			res, handled, err = r.tryOffline(ctx, q, req.DryRun)
		}
	}
	if handled || err != nil {
		if res != nil {
			r.setResult(res)
			r.summarise(ctx, q, res)
			r.withDefinition()
		}
		return err
	}
	if r.p.opts.Engine == EngineOffline {
		return nil
	}
	// A follow-up leans on earlier turns, which a cached answer did not see.
	cacheable := len(r.history) == 0 || !isFollowUp(q)
	if cacheable {
		if res, handled, err = r.fromCache(ctx, q, req); handled || err != nil {
			if res != nil {
				r.setResult(res)
				r.summarise(ctx, q, res)
			}
			return err
		}
	}
	r.ans.Engine = EngineModel
	if r.p.opts.SQLModel == nil {
		step := r.rec.Started(trace.StepGenerate)
		step.Fail("no model configured", ErrNoModel)
		r.ans.Outcome, r.ans.Message = NoSQL, ErrNoModel.Error()
		return nil
	}
	res, err = r.generateChecked(ctx, q, req.DryRun)
	if err != nil || res == nil {
		return err
	}
	r.setResult(res)
	if cacheable {
		r.remember(ctx, q)
	}
	r.summarise(ctx, q, res)
	r.withDefinition()
	return nil
}

// RunSQL runs user-written SQL through the same guard, EXPLAIN and
// read-only execution as generated SQL, and returns it as an Answer.
func (p *Pipeline) RunSQL(ctx context.Context, sourceName, sql string, observer func(trace.Step)) (*Answer, error) {
	return p.RunSQLFor(ctx, SQLRequest{Source: sourceName, SQL: sql, Observer: observer})
}

// SQLRequest is user-written SQL to run.
type SQLRequest struct {
	Source   string
	SQL      string
	Observer func(trace.Step)
	// User is who runs it, for the audit log.
	User string
}

// RunSQLFor is RunSQL with the user recorded in the audit log.
func (p *Pipeline) RunSQLFor(ctx context.Context, req SQLRequest) (*Answer, error) {
	r := &run{
		p:   p,
		rec: trace.NewRecorder(req.Observer),
		ans: &Answer{ID: newID(), SQL: req.SQL, CreatedAt: p.opts.Now(), Engine: EngineUser, ChosenBy: userChoice()},
		who: callerOf(ctx, req.User),
	}
	err := r.runSQL(ctx, req.Source, req.SQL)
	r.finish(err)
	r.audit(ctx)
	p.notify(r.ans)
	return r.ans, err
}

func (r *run) runSQL(ctx context.Context, sourceName, sql string) error {
	if err := r.route(ctx, sourceName); err != nil {
		return err
	}
	// The guard resolves names against the catalog: unqualified tables under
	// a schema policy, foreign tables. Without one it is stricter, not looser.
	if s, err := r.p.schemas.Get(ctx, r.src.Name()); err == nil {
		r.cat = s.Catalog
	}
	res, err := r.checkAndRun(ctx, sql, false)
	if res != nil {
		r.setResult(res)
		r.ans.Summary = plainSummary(res)
	}
	return err
}

func (r *run) setResult(res *source.Result) {
	r.ans.Columns, r.ans.Rows, r.ans.RowCount, r.ans.Truncated = res.Columns, res.Rows, len(res.Rows), res.Truncated
	r.ans.Outcome = Answered
	spec := chart.Choose(res.Columns, res.Rows)
	r.ans.Chart = &spec
}

func (r *run) input(question string) (string, error) {
	step := r.rec.Started(trace.StepInput)
	q, err := CleanQuestion(question, r.p.opts.MaxQuestionRunes)
	if err != nil {
		step.Fail("rejected the question", err)
		r.ans.Outcome, r.ans.Message = Refused, err.Error()
		return "", err
	}
	r.ans.Question = q
	if verb, ok := writeRequest(q); ok {
		step.Done("refused: the question asks to " + verb + " data")
		r.ans.Outcome, r.ans.Message = Refused, refuseWriteMessage(verb)
		return q, nil
	}
	step.Done("question accepted")
	return q, nil
}

func (r *run) route(ctx context.Context, name string) error {
	step := r.rec.Started(trace.StepSource)
	resolved, err := r.p.opts.Sources.Resolve(name)
	if err != nil {
		step.Fail("no source", err)
		return err
	}
	return r.open(ctx, step, resolved, fmt.Sprintf("source %q", resolved))
}

// open opens the chosen source, if the caller may read it, and finishes
// step with decision.
func (r *run) open(ctx context.Context, step *trace.Running, name, decision string) error {
	r.ans.Source = name
	g, err := r.p.grantFor(r.who, name, r.p.opts.Sources.Config(name).Policy)
	if err != nil {
		step.Fail("access denied", err)
		r.ans.Outcome, r.ans.Message = Refused, err.Error()
		return err
	}
	r.grant = g
	src, err := r.p.opts.Sources.Get(ctx, name)
	if err != nil {
		step.Fail("source unavailable", err)
		return err
	}
	r.src, r.cfg = src, r.p.opts.Sources.Config(name)
	r.ans.Dialect = src.Dialect()
	step.Done(fmt.Sprintf("%s (%s)", decision, src.Dialect()))
	return nil
}

func (r *run) retrieve(ctx context.Context, q string) error {
	step := r.rec.Started(trace.StepRetrieve)
	s, err := r.p.schemas.Get(ctx, r.src.Name())
	if err != nil {
		step.Fail("could not read the schema", err)
		return err
	}
	r.schema, r.cat, r.values = s, s.Catalog, s.Literals
	if r.grant.restricts(r.cfg.Policy) {
		r.cat, r.values = callerView(s.Catalog, r.grant.policy), nil
	}
	link := s.Index.Link(ctx, q, retrieve.Options{})
	r.ans.Tables = link.TableNames()
	ddl, whole := promptDDL(s, link, q)
	if whole {
		r.ddl = r.callerDDL(ddl, nil)
		names := make([]string, len(s.Catalog.Tables))
		for i := range s.Catalog.Tables {
			names[i] = s.Catalog.Tables[i].QualifiedName()
		}
		step.Detail(map[string]any{"tables": names, "tokens": s.Tokens})
		step.Done(fmt.Sprintf("the schema is small: using all %d tables", len(names)))
		return nil
	}
	r.ddl = r.callerDDL(ddl, link.TableNames())
	step.Detail(map[string]any{"tables": link.Tables, "columns": len(link.Columns), "tokens": link.SliceTokens, "full_tokens": s.Tokens})
	step.Done(fmt.Sprintf("chose %d of %d tables (%d of %d schema tokens)", len(link.Tables), len(s.Catalog.Tables), link.SliceTokens, s.Tokens))
	return nil
}

func newID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// guardOptions builds the guard's options for the current source.
func (r *run) guardOptions(maxRows int) sqlguard.Options {
	d := r.src.Dialect()
	return sqlguard.Options{
		Dialect: d,
		// One row past the cap: the source reads at most maxRows and sees
		// from the extra row that more exist, so the answer says it was truncated.
		MaxRows:    maxRows + 1,
		Policy:     r.grant.policy,
		Functions:  r.p.opts.GuardFunctions[string(d)],
		Catalog:    r.cat,
		RowFilters: r.grant.rows,
		Bind:       r.who.Claim,
	}
}
