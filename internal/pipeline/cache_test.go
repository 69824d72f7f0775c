package pipeline_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/llm"
	"github.com/askdb/askdb/internal/llm/llmtest"
	"github.com/askdb/askdb/internal/pipeline"
	"github.com/askdb/askdb/internal/sample"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/source/sourcetest"
	"github.com/askdb/askdb/internal/store"
	"github.com/askdb/askdb/internal/trace"
)

// cacheRig is a pipeline over the SQLite sample with a SQLite store, the
// scripted SQL model and a clock the test moves.
type cacheRig struct {
	p     *pipeline.Pipeline
	model *llmtest.Server
	st    store.Store
	admin *sql.DB
	now   time.Time
}

func newCacheRig(t *testing.T, tune func(*pipeline.Options), replies ...llmtest.Reply) *cacheRig {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sample.db")
	if err := sample.EnsureSQLite(ctx, path, sourcetest.Options()); err != nil {
		t.Fatal(err)
	}
	st, err := store.OpenSQLite(ctx, filepath.Join(t.TempDir(), "askdb.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	m, srv := scriptedModel(t, replies...)
	set := source.NewSet(&config.Config{Sources: map[string]config.Source{"s": {Kind: "sqlite", Path: path}}}, nil)
	t.Cleanup(func() { set.Close() })
	rig := &cacheRig{model: srv, st: st, admin: openAdmin(t, "sqlite3", path), now: sourcetest.FixedToday}
	opts := pipeline.Options{
		Sources: set, SQLModel: m, Engine: pipeline.EngineModel, Store: st,
		Cache: pipeline.CacheOptions{Enabled: true},
		Now:   func() time.Time { return rig.now },
	}
	if tune != nil {
		tune(&opts)
	}
	rig.p = pipeline.New(opts)
	return rig
}

// ask answers q and fails the test unless it was answered.
func (r *cacheRig) ask(t *testing.T, req pipeline.Request) *pipeline.Answer {
	t.Helper()
	ans, err := r.p.Ask(context.Background(), req)
	if err != nil || ans.Outcome != pipeline.Answered {
		t.Fatalf("Ask(%q) = %s %q, %v", req.Question, ans.Outcome, ans.Message, err)
	}
	return ans
}

func cacheStep(a *pipeline.Answer) (trace.Step, bool) {
	for _, s := range a.Steps {
		if s.Name == pipeline.StepCache {
			return s, true
		}
	}
	return trace.Step{}, false
}

func chosenKind(a *pipeline.Answer) string {
	if a.ChosenBy == nil {
		return ""
	}
	return a.ChosenBy.Kind
}

const countEmployees = "SELECT count(*) FROM employees"

func TestCacheRepeatCostsNoModelCall(t *testing.T) {
	rig := newCacheRig(t, nil, sqlReply(countEmployees))
	first := rig.ask(t, pipeline.Request{Question: "How many employees are there?"})
	if rig.model.Count() != 1 || chosenKind(first) != pipeline.ChosenByModel {
		t.Fatalf("first answer: %d model calls, chosen by %q; want 1, model", rig.model.Count(), chosenKind(first))
	}
	rig.now = rig.now.Add(2*time.Hour + time.Minute)
	again := rig.ask(t, pipeline.Request{Question: "how many employees are there"})
	if n := rig.model.Count(); n != 1 {
		t.Errorf("the repeat made %d SQL-model calls in all, want the first one only", n)
	}
	if chosenKind(again) != pipeline.ChosenByCache || again.Engine != pipeline.EngineCache {
		t.Errorf("repeat chosen by %+v, engine %q; want the cache", again.ChosenBy, again.Engine)
	}
	step, ok := cacheStep(again)
	if !ok || !strings.Contains(step.Decision, "cache hit (similarity 1.00, cached 2 h ago)") {
		t.Errorf("cache step %+v; want it to say the hit, its similarity and age", step)
	}
	if !strings.Contains(again.ChosenBy.Label, "cached 2 h ago") {
		t.Errorf("chosen_by label %q does not say how old the entry is", again.ChosenBy.Label)
	}
	// Re-guarded and re-run, not served from memory.
	var guarded, ran bool
	for _, s := range again.Steps {
		guarded = guarded || s.Name == trace.StepGuard && s.Status == trace.StatusDone
		ran = ran || s.Name == trace.StepExecute && s.Status == trace.StatusDone
	}
	if !guarded || !ran || !again.Verified {
		t.Errorf("cached SQL: guard %v, execute %v, verified %v; want all", guarded, ran, again.Verified)
	}
	if first.RowCount != 1 || again.Rows[0][0] != first.Rows[0][0] {
		t.Errorf("rows: first %v, repeat %v", first.Rows, again.Rows)
	}
}

func TestCacheParaphrase(t *testing.T) {
	near := func(text string) []float32 {
		switch text {
		case "How many employees are there?":
			return []float32{1, 0, 0}
		case "What is the headcount of our staff?":
			return []float32{0.98, 0.2, 0}
		}
		return []float32{0, 0, 1}
	}
	tests := []struct {
		name      string
		embedder  bool
		wantCalls int
	}{
		{"with embeddings: 0 calls", true, 1},
		{"lexical only: no shared words, so the model is asked", false, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rig := newCacheRig(t, func(o *pipeline.Options) {
				if tt.embedder {
					emb, _ := scriptedModel(t, llmtest.Reply{Embed: near})
					o.Embedder = emb.(llm.Embedder)
				}
			}, sqlReply(countEmployees))
			rig.ask(t, pipeline.Request{Question: "How many employees are there?"})
			ans := rig.ask(t, pipeline.Request{Question: "What is the headcount of our staff?"})
			if got := rig.model.Count(); got != tt.wantCalls {
				t.Errorf("SQL-model calls = %d, want %d (answer chosen by %+v)", got, tt.wantCalls, ans.ChosenBy)
			}
			if tt.embedder {
				step, _ := cacheStep(ans)
				if !strings.Contains(step.Decision, "similarity 0.98") || !strings.Contains(step.Decision, "by embedding") {
					t.Errorf("cache step %q; want an embedding hit at 0.98", step.Decision)
				}
			}
		})
	}
}

// TestCacheOtherValueNeverReusesTheSQL: "in Spain" after "in France" is
// answered with Spain's count, from a template or from the model, even
// when the embeddings call the two questions the same.
func TestCacheOtherValueNeverReusesTheSQL(t *testing.T) {
	same := func(string) []float32 { return []float32{1, 1, 1} }
	france := "SELECT count(*) FROM customers WHERE country = 'France'"
	spain := "SELECT count(*) FROM customers WHERE country = 'Spain'"
	tests := []struct {
		name, question string
		wantCalls      int
		wantChosen     string
	}{
		{"same words: the template substitutes the value", "How many customers are in Spain?", 1, pipeline.ChosenByCache},
		{"a paraphrase with another value goes to the model", "Count the customers located in Spain", 2, pipeline.ChosenByModel},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rig := newCacheRig(t, func(o *pipeline.Options) {
				emb, _ := scriptedModel(t, llmtest.Reply{Embed: same})
				o.Embedder = emb.(llm.Embedder)
			}, sqlReply(france), sqlReply(spain))
			fr := rig.ask(t, pipeline.Request{Question: "How many customers are in France?"})
			es := rig.ask(t, pipeline.Request{Question: tt.question})
			var want int64
			if err := rig.admin.QueryRow(spain).Scan(&want); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(es.SQL, "France") || es.Rows[0][0] != want || es.Rows[0][0] == fr.Rows[0][0] {
				t.Errorf("Spain answered with %q = %v; want Spain's count %d", es.SQL, es.Rows, want)
			}
			if rig.model.Count() != tt.wantCalls || chosenKind(es) != tt.wantChosen {
				t.Errorf("%d SQL-model calls, chosen by %q; want %d, %q", rig.model.Count(), chosenKind(es), tt.wantCalls, tt.wantChosen)
			}
		})
	}
}

func TestCacheSchemaChangeInvalidates(t *testing.T) {
	rig := newCacheRig(t, nil, sqlReply(countEmployees))
	q := pipeline.Request{Question: "How many employees are there?"}
	rig.ask(t, q)
	before, err := rig.p.Schema(context.Background(), "s")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rig.admin.Exec("ALTER TABLE employees ADD COLUMN nickname TEXT"); err != nil {
		t.Fatal(err)
	}
	rig.p.Schemas().Invalidate("s")
	after, err := rig.p.Schema(context.Background(), "s")
	if err != nil || after.Fingerprint == before.Fingerprint {
		t.Fatalf("fingerprint %q → %q, %v; the test needs a changed schema", before.Fingerprint, after.Fingerprint, err)
	}
	ans := rig.ask(t, q)
	if rig.model.Count() != 2 || chosenKind(ans) != pipeline.ChosenByModel {
		t.Errorf("after a schema change: %d SQL-model calls, chosen by %q; want the model again", rig.model.Count(), chosenKind(ans))
	}
}

func TestCacheTTL(t *testing.T) {
	rig := newCacheRig(t, func(o *pipeline.Options) { o.Cache.TTL = time.Hour }, sqlReply(countEmployees))
	q := pipeline.Request{Question: "How many employees are there?"}
	rig.ask(t, q)
	rig.now = rig.now.Add(59 * time.Minute)
	if ans := rig.ask(t, q); chosenKind(ans) != pipeline.ChosenByCache {
		t.Errorf("within the TTL: chosen by %q, want cache", chosenKind(ans))
	}
	rig.now = rig.now.Add(2 * time.Minute)
	if ans := rig.ask(t, q); chosenKind(ans) != pipeline.ChosenByModel || rig.model.Count() != 2 {
		t.Errorf("past the TTL: chosen by %q after %d calls, want the model again", chosenKind(ans), rig.model.Count())
	}
}

func TestCacheEvictionBoundsTheSize(t *testing.T) {
	rig := newCacheRig(t, func(o *pipeline.Options) { o.Cache.MaxEntries = 2 }, sqlReply(countEmployees))
	qs := []string{"How many employees are there?", "Count the staff members", "What is our headcount?"}
	for _, q := range qs {
		rig.now = rig.now.Add(time.Minute)
		rig.ask(t, pipeline.Request{Question: q})
	}
	s, err := rig.p.Schema(context.Background(), "s")
	if err != nil {
		t.Fatal(err)
	}
	entries, err := rig.st.(store.CacheStore).CacheEntries(context.Background(), "s", "", s.Fingerprint, time.Time{})
	if err != nil || len(entries) != 2 {
		t.Fatalf("the cache holds %d entries, %v; want the bound of 2", len(entries), err)
	}
	if ans := rig.ask(t, pipeline.Request{Question: qs[2]}); chosenKind(ans) != pipeline.ChosenByCache {
		t.Errorf("the most recent question: chosen by %q, want cache", chosenKind(ans))
	}
	calls := rig.model.Count()
	if ans := rig.ask(t, pipeline.Request{Question: qs[0]}); chosenKind(ans) != pipeline.ChosenByModel || rig.model.Count() != calls+1 {
		t.Errorf("the least recently used question: chosen by %q, want the model (it was evicted)", chosenKind(ans))
	}
}

func TestCacheRefusedAsksTheModelAgain(t *testing.T) {
	better := "SELECT count(*) AS employees FROM employees"
	rig := newCacheRig(t, nil, sqlReply(countEmployees), sqlReply(better))
	q := "How many employees are there?"
	rig.ask(t, pipeline.Request{Question: q})
	ans := rig.ask(t, pipeline.Request{Question: q, NoCache: true})
	if rig.model.Count() != 2 || chosenKind(ans) != pipeline.ChosenByModel {
		t.Fatalf("refusing the cache: %d SQL-model calls, chosen by %q; want the model", rig.model.Count(), chosenKind(ans))
	}
	if step, ok := cacheStep(ans); !ok || !strings.Contains(step.Decision, "skipped") {
		t.Errorf("cache step %+v; want it to say it was skipped", step)
	}
	again := rig.ask(t, pipeline.Request{Question: q})
	if chosenKind(again) != pipeline.ChosenByCache || !strings.Contains(again.SQL, "AS employees") {
		t.Errorf("after a refusal the cache serves %q (chosen by %q); want the new answer's SQL", again.SQL, chosenKind(again))
	}
}

func TestCacheIsPerUser(t *testing.T) {
	rig := newCacheRig(t, nil, sqlReply(countEmployees))
	q := "How many employees are there?"
	rig.ask(t, pipeline.Request{Question: q, User: "alice"})
	if ans := rig.ask(t, pipeline.Request{Question: q, User: "bob"}); chosenKind(ans) != pipeline.ChosenByModel {
		t.Errorf("bob was served alice's cached answer (chosen by %q)", chosenKind(ans))
	}
	if ans := rig.ask(t, pipeline.Request{Question: q, User: "alice"}); chosenKind(ans) != pipeline.ChosenByCache {
		t.Errorf("alice's repeat: chosen by %q, want cache", chosenKind(ans))
	}
}

// TestCacheEntryIsGuardedAgain: an entry that no longer passes the guard
// (here one planted in the shared store) is not run; the model is asked.
func TestCacheEntryIsGuardedAgain(t *testing.T) {
	rig := newCacheRig(t, nil, sqlReply(countEmployees))
	s, err := rig.p.Schema(context.Background(), "s")
	if err != nil {
		t.Fatal(err)
	}
	before := count(t, rig.admin, "employees")
	planted := store.CacheEntry{Source: "s", Fingerprint: s.Fingerprint, Question: "How many employees are there?",
		Key: "how many employees are there", SQL: "DELETE FROM employees", CreatedAt: rig.now}
	if err := rig.st.(store.CacheStore).PutCache(context.Background(), planted, store.CacheBounds{}); err != nil {
		t.Fatal(err)
	}
	ans := rig.ask(t, pipeline.Request{Question: planted.Question})
	if chosenKind(ans) != pipeline.ChosenByModel || rig.model.Count() != 1 {
		t.Errorf("chosen by %q; want the model after the guard refused the cached SQL", chosenKind(ans))
	}
	if after := count(t, rig.admin, "employees"); after != before {
		t.Errorf("employees %d → %d: the cached write ran", before, after)
	}
}

// TestCacheOnByDefaultFromConfig: askdb.yaml turns the cache on unless
// ask.cache.enabled is false.
func TestCacheOnByDefaultFromConfig(t *testing.T) {
	off := false
	tests := []struct {
		name string
		c    config.Cache
		want bool
	}{
		{"no cache section", config.Cache{}, true},
		{"enabled: false", config.Cache{Enabled: &off}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := pipeline.OptionsFromConfig(&config.Config{Ask: config.Ask{Cache: tt.c}}).Cache.Enabled; got != tt.want {
				t.Errorf("Cache.Enabled = %v, want %v", got, tt.want)
			}
		})
	}
}
