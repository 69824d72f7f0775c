package offline

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/schema"
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

// Engine translates questions into SQL. It is safe for concurrent use and
// caches what it learns about each catalog: on the Schema itself
// (TranslateSchema), or keyed by the catalog pointer (Translate).
type Engine struct {
	mu    sync.Mutex
	cache map[*catalog.Catalog]*lexicon
}

// New returns an Engine.
func New() *Engine { return &Engine{cache: map[*catalog.Catalog]*lexicon{}} }

// lexiconKey is the engine's key in Schema.Memo.
type lexiconKey struct{}

// TranslateSchema writes SQL for question over a prepared schema: its
// ValueCatalog gives the values of low-cardinality columns (read, bounded,
// by package schema), so "orders shipped to Germany" finds Germany.
func (e *Engine) TranslateSchema(ctx context.Context, s *schema.Schema, question string, now time.Time) Result {
	if s == nil {
		return Result{Abstain: "there is no schema to answer from"}
	}
	cat := s.ValueCatalog()
	if cat == nil || len(cat.Tables) == 0 {
		return Result{Abstain: "there is no schema to answer from"}
	}
	lx := s.Memo(lexiconKey{}, func() any { return buildLexicon(cat) }).(*lexicon)
	return translate(lx, cat, question, now)
}

// Translate writes SQL for question over cat, resolving relative dates
// against now, or abstains.
func (e *Engine) Translate(ctx context.Context, cat *catalog.Catalog, question string, now time.Time) Result {
	if cat == nil || len(cat.Tables) == 0 {
		return Result{Abstain: "there is no schema to answer from"}
	}
	return translate(e.lexicon(cat), cat, question, now)
}

func translate(lx *lexicon, cat *catalog.Catalog, question string, now time.Time) Result {
	toks := tokenize(question)
	items, unexplained := lx.match(toks)
	if len(unexplained) > 0 && notEnglish(toks, unexplained) {
		return Result{Abstain: EnglishOnly}
	}
	if len(unexplained) > 0 {
		return Result{Abstain: fmt.Sprintf("I could not map %s to the schema", quoteWords(unexplained))}
	}
	rs, rdoubts, err := lx.resolve(items)
	if err != nil {
		return Result{Abstain: "I could not map " + err.Error()}
	}
	a := &analyzer{lx: lx, rs: rs, now: now.UTC()}
	q, err := a.run()
	if err == nil {
		var steps []fkStep
		steps, err = lx.joinPlan(q)
		if err == nil {
			lx.countOnce(q, steps)
			sql := lx.render(q, steps, cat.Dialect)
			ds := append(append([]doubt(nil), rdoubts...), a.doubts...)
			ds = append(ds, q.doubts...)
			conf := score(lx.measure(q, steps, rs, wordCount(toks), ds))
			return Result{SQL: sql, Confidence: conf, Explanation: explain(lx, q, steps, ds)}
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

// lexicon returns the lexicon of cat, built once per catalog pointer.
func (e *Engine) lexicon(cat *catalog.Catalog) *lexicon {
	e.mu.Lock()
	defer e.mu.Unlock()
	lx, ok := e.cache[cat]
	if !ok {
		lx = buildLexicon(cat)
		e.cache[cat] = lx
	}
	return lx
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
