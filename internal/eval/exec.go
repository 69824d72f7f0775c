package eval

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/llm"
	"github.com/askdb/askdb/internal/offline"
	"github.com/askdb/askdb/internal/pipeline"
	"github.com/askdb/askdb/internal/source"
	_ "github.com/askdb/askdb/internal/source/sqlite" // dataset databases are SQLite files
	"github.com/askdb/askdb/internal/trace"
)

// Engines for ExecOptions.Engine.
const (
	ExecOffline = "offline"
	ExecModel   = "model"
	ExecAuto    = "auto"
	ExecGold    = "gold"
)

// ExecOptions tune an execution-accuracy run.
type ExecOptions struct {
	// Engine is offline, model, auto or gold (the gold SQL through RunSQL).
	Engine string
	// DatabaseDir holds <db>/<db>.sqlite for every database.
	DatabaseDir string
	DB          string // only this database; empty means all
	Limit       int    // first N questions; 0 means all
	Timeout     time.Duration
	SQLModel    llm.Model
	Now         func() time.Time
	Logger      *slog.Logger
	// Progress, when set, receives progress; a bar when TTY is set.
	Progress io.Writer
	TTY      bool
	// Items keeps each question's outcome in the report.
	Items bool
	// Route configures every database of the dataset as a source and
	// routes each question instead of naming its database.
	Route bool
	// Calibrate lets the offline engine answer whatever its confidence,
	// so that the reliability table covers every answer it can write and
	// the thresholds can be read from it. Otherwise answers below
	// pipeline.DefaultOfflineMinConfidence are abstentions, as in use.
	Calibrate bool
}

// ErrNoDatabases means the dataset's databases are not on disk.
var ErrNoDatabases = errors.New("no databases")

// maxGoldRows keeps truncation from corrupting comparisons.
const maxGoldRows = 100000

// EvaluateExec runs every question through the real pipeline and scores
// execution accuracy against the gold SQL run on the same source.
func EvaluateExec(ctx context.Context, ds *Dataset, opts ExecOptions) (*ExecReport, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = 30 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	qs := selectQuestions(ds, opts)
	cfg := &config.Config{Sources: map[string]config.Source{}}
	for _, q := range qs {
		path := filepath.Join(opts.DatabaseDir, q.DB, q.DB+".sqlite")
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("%w: database %q of dataset %q: %w", ErrNoDatabases, q.DB, ds.Name, err)
		}
		cfg.Sources[q.DB] = config.Source{Kind: "sqlite", Path: path, MaxRows: maxGoldRows}
	}
	if opts.Route {
		addAllSources(cfg, ds, opts.DatabaseDir)
	}
	set := source.NewSet(cfg, opts.Logger)
	defer set.Close()
	mode := opts.Engine
	if mode == ExecGold {
		mode = ExecOffline
	}
	var floor float64 // the pipeline's default
	if opts.Calibrate {
		floor = math.SmallestNonzeroFloat64
	}
	p := pipeline.New(pipeline.Options{
		Sources: set, SQLModel: opts.SQLModel, Engine: mode, Offline: offline.New(),
		OfflineMinConfidence: floor, Summary: false, RepairAttempts: 2, Now: opts.Now, Logger: opts.Logger,
	})
	convention := ScoreSpider
	if ds.Name == "bird" {
		convention = ScoreBIRD
	}
	rep := newExecReport(ds.Name, opts.Engine)
	rep.Calibrated = opts.Calibrate
	prog := newProgress(opts.Progress, opts.TTY, len(qs))
	for i, q := range qs {
		it := runOne(ctx, p, set, q, opts, convention)
		rep.add(it, opts.Items)
		prog.update(i+1, rep.Correct)
	}
	prog.done()
	rep.finish()
	return rep, nil
}

func selectQuestions(ds *Dataset, opts ExecOptions) []Question {
	var qs []Question
	for _, q := range ds.Questions {
		if opts.DB != "" && q.DB != opts.DB {
			continue
		}
		qs = append(qs, q)
		if opts.Limit > 0 && len(qs) == opts.Limit {
			break
		}
	}
	return qs
}

// ExecItem is one question's outcome.
type ExecItem struct {
	ID       int    `json:"id"`
	DB       string `json:"db"`
	Question string `json:"question"`
	Gold     string `json:"gold"`
	SQL      string `json:"sql,omitempty"`
	Outcome  string `json:"outcome"`
	Answered bool   `json:"answered"`
	Correct  bool   `json:"correct"`
	Step     string `json:"step,omitempty"` // the step that failed
	Message  string `json:"message,omitempty"`
	// Confidence is the offline engine's confidence in its SQL, 0 when
	// another engine wrote it or none did.
	Confidence float64       `json:"confidence,omitempty"`
	Calls      int           `json:"model_calls"`
	Tokens     int           `json:"tokens"`
	Latency    time.Duration `json:"latency_ns"`
}

func runOne(ctx context.Context, p *pipeline.Pipeline, set *source.Set, q Question, opts ExecOptions, convention string) ExecItem {
	it := ExecItem{ID: q.ID, DB: q.DB, Question: q.Question, Gold: q.SQL}
	qctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	start := time.Now()
	var ans *pipeline.Answer
	if opts.Engine == ExecGold {
		ans, _ = p.RunSQL(qctx, q.DB, q.SQL, nil)
	} else {
		ans, _ = p.Ask(qctx, pipeline.Request{Question: q.Question, Source: askSource(q, opts)})
	}
	it.Latency = time.Since(start)
	it.SQL, it.Outcome, it.Message = ans.SQL, string(ans.Outcome), ans.Message
	it.Calls, it.Tokens = ans.ModelCalls, ans.Tokens.Total()
	for _, s := range ans.Steps {
		if s.Status == "failed" {
			it.Step = s.Name
		}
		if c, ok := offlineConfidence(s); ok {
			it.Confidence = c
		}
	}
	if ans.Outcome != pipeline.Answered {
		if ans.Outcome == pipeline.Refused && it.Step == "" {
			it.Step = "guard"
		}
		if ans.Outcome == pipeline.Failed && it.Step == "" {
			it.Step = "execute"
		}
		return it
	}
	it.Answered = true
	src, err := set.Get(ctx, q.DB)
	if err != nil {
		it.Step, it.Message = "gold", err.Error()
		return it
	}
	gctx, gcancel := context.WithTimeout(ctx, opts.Timeout)
	defer gcancel()
	gold, err := src.Query(gctx, q.SQL, source.Limits{MaxRows: maxGoldRows, Timeout: opts.Timeout})
	if err != nil {
		it.Step, it.Message = "gold", err.Error()
		return it
	}
	it.Correct = SameResult(convention, ans.Rows, gold.Rows, HasOrderBy(q.SQL))
	return it
}

// offlineConfidence reads the confidence the offline engine gave its SQL
// from the generate step's detail.
func offlineConfidence(s trace.Step) (float64, bool) {
	d, ok := s.Detail.(map[string]any)
	if !ok || s.Name != trace.StepGenerate || d["engine"] != pipeline.EngineOffline {
		return 0, false
	}
	c, ok := d["confidence"].(float64)
	return c, ok && d["sql"] != ""
}

// percentile returns the p-th percentile (0..100) of sorted durations.
func percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	k := int(float64(len(d)-1) * p / 100)
	return d[k]
}
