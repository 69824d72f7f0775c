package offline

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/retrieve"
)

// Result is the engine's answer to one question.
type Result struct {
	SQL         string
	Explanation string
	// Confidence is in [0, 1]; 0 when the engine abstains.
	Confidence float64
	// Abstain says in one sentence what could not be mapped; SQL is then empty.
	Abstain string
}

// Sampler fills Column.Samples of a catalog (see FillSamples). It gets a
// private copy of the catalog, so it may write to it freely.
type Sampler func(ctx context.Context, cat *catalog.Catalog)

// Engine translates questions into SQL. It is safe for concurrent use and
// caches what it learns about each catalog, keyed by the catalog pointer.
type Engine struct {
	sampler Sampler

	mu    sync.Mutex
	cache map[*catalog.Catalog]*entry
}

type entry struct {
	once sync.Once
	lx   *lexicon
	ix   *retrieve.Index
}

// New returns an Engine that reads values from the catalog's own samples.
func New() *Engine { return &Engine{cache: map[*catalog.Catalog]*entry{}} }

// NewWithSampler returns an Engine that calls sampler once per catalog,
// on a copy, before indexing it.
func NewWithSampler(sampler Sampler) *Engine {
	e := New()
	e.sampler = sampler
	return e
}

// Translate writes SQL for question over cat, resolving relative dates
// against now, or abstains.
func (e *Engine) Translate(ctx context.Context, cat *catalog.Catalog, question string, now time.Time) Result {
	if cat == nil || len(cat.Tables) == 0 {
		return Result{Abstain: "there is no schema to answer from"}
	}
	en := e.entry(ctx, cat)
	toks := tokenize(question)
	items, unexplained := en.lx.match(toks)
	if len(unexplained) > 0 && notEnglish(toks, unexplained) {
		return Result{Abstain: EnglishOnly}
	}
	if len(unexplained) > 0 {
		return Result{Abstain: fmt.Sprintf("I could not map %s to the schema", quoteWords(unexplained))}
	}
	rs, rdoubts, err := en.lx.resolve(items)
	if err != nil {
		return Result{Abstain: "I could not map " + err.Error()}
	}
	a := &analyzer{lx: en.lx, rs: rs, now: now.UTC()}
	q, err := a.run()
	if err == nil {
		var steps []fkStep
		steps, err = en.lx.joinPlan(q)
		if err == nil {
			en.lx.countOnce(q, steps)
			sql := en.lx.render(q, steps, cat.Dialect)
			ds := append(append([]doubt(nil), rdoubts...), a.doubts...)
			ds = append(ds, q.doubts...)
			conf := score(en.lx.measure(q, steps, rs, wordCount(toks), ds))
			return Result{SQL: sql, Confidence: conf, Explanation: explain(en.lx, q, steps, ds)}
		}
	}
	if je, ok := err.(*joinError); ok {
		if w := wordFor(rs, je.table); w != "" {
			return Result{Abstain: fmt.Sprintf("I could not find one way to link %q with the rest of the question", w)}
		}
		return Result{Abstain: "I could not find one way to join the tables the question names"}
	}
	msg := strings.TrimPrefix(err.Error(), errAbstain.Error()+": ")
	if !errors.Is(err, errAbstain) {
		msg = err.Error()
	}
	return Result{Abstain: msg}
}

func quoteWords(ws []string) string {
	q := make([]string, len(ws))
	for i, w := range ws {
		q[i] = fmt.Sprintf("%q", w)
	}
	return strings.Join(q, ", ")
}

func (e *Engine) entry(ctx context.Context, cat *catalog.Catalog) *entry {
	e.mu.Lock()
	en, ok := e.cache[cat]
	if !ok {
		en = &entry{}
		e.cache[cat] = en
	}
	e.mu.Unlock()
	en.once.Do(func() {
		c := cat
		if e.sampler != nil {
			c = cloneCatalog(cat)
			e.sampler(ctx, c)
		}
		en.lx = buildLexicon(c)
		en.ix = retrieve.Build(c, retrieve.Extra{})
	})
	return en
}

// cloneCatalog copies tables and columns so samples can be added without
// touching a catalog others read.
func cloneCatalog(cat *catalog.Catalog) *catalog.Catalog {
	c := *cat
	c.Tables = make([]catalog.Table, len(cat.Tables))
	for i, t := range cat.Tables {
		t.Columns = append([]catalog.Column(nil), t.Columns...)
		for j := range t.Columns {
			t.Columns[j].Samples = append([]string(nil), t.Columns[j].Samples...)
		}
		c.Tables[i] = t
	}
	return &c
}

// explain says in one line what the SQL does.
func explain(lx *lexicon, q *query, steps []fkStep, ds []doubt) string {
	var parts []string
	parts = append(parts, "from "+lx.cat.Tables[q.subject].Name)
	for _, s := range steps {
		parts = append(parts, "joined with "+lx.cat.Tables[s.to].Name)
	}
	if len(q.where) > 0 {
		parts = append(parts, fmt.Sprintf("%d filter(s)", len(q.where)))
	}
	if len(q.group) > 0 {
		parts = append(parts, "grouped")
	}
	if len(q.order) > 0 {
		parts = append(parts, "ordered")
	}
	s := "Offline engine: " + strings.Join(parts, ", ") + "."
	for _, d := range ds {
		s += " Assumed " + d.why + "."
	}
	return s
}

// wordFor is the first word of the question that brought table t in, or
// "" when none did.
func wordFor(rs []resolved, t int) string {
	for _, r := range rs {
		if r.table == t && r.kw == kwNone {
			return r.text
		}
	}
	return ""
}

// wordCount counts the words and numbers of a question.
func wordCount(toks []token) int { return len(toks) }
