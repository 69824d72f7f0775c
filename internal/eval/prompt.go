package eval

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/pipeline"
	"github.com/askdb/askdb/internal/retrieve"
	"github.com/askdb/askdb/internal/schema"
	"github.com/askdb/askdb/internal/source"
)

// PromptOptions tune a prompt evaluation.
type PromptOptions struct {
	// Limit evaluates only the first Limit questions; 0 means all.
	Limit int
	// Today is the date written into the prompt; zero means now.
	Today time.Time
	// NoExamples builds zero-shot prompts. Otherwise each question's
	// verified examples are the other questions of its database
	// (leave-one-out), as a question bank would hold them.
	NoExamples bool
	// Misses, when set, lists every gold table, column and value missing
	// from a prompt.
	Misses bool
}

// PromptReport measures what the SQL model is given, with no model call:
// for every question, the exact prompt the pipeline would send, scored
// against the gold SQL as the guard's parser reads it. Recalls are means
// over questions; ValueRecall is over the questions with at least one
// scored value, ExampleHit over those with a verified example.
type PromptReport struct {
	Dataset   string `json:"dataset"`
	Questions int    `json:"questions"`
	// TableRecall is the mean share of gold tables whose CREATE TABLE is
	// in the prompt.
	TableRecall float64 `json:"table_recall"`
	// ColumnRecall is the mean share of gold columns shown in their table.
	ColumnRecall float64 `json:"column_recall"`
	// ValueRecall is the mean share of gold constants compared with a
	// column that the prompt shows on that column's line.
	ValueRecall       float64 `json:"value_recall"`
	ValueQuestions    int     `json:"value_questions"`
	StringValueRecall float64 `json:"string_value_recall"`
	StringValues      int     `json:"string_values"`
	NumberValueRecall float64 `json:"number_value_recall"`
	NumberValues      int     `json:"number_values"`
	// HeldValueRecall is the share of gold constants the prompt shows among
	// those its column is known to hold (a value of the catalog's samples:
	// read from Spider's databases, or BIRD's annotated DDL), so that it
	// leaves out thresholds such as "age > 20" and values no sample has.
	HeldValueRecall float64 `json:"held_value_recall"`
	HeldValues      int     `json:"held_values"`
	// ExampleHit is the share of questions whose most similar verified
	// example (same SQL skeleton first, then question words) is in the
	// prompt.
	ExampleHit       float64      `json:"example_hit"`
	ExampleQuestions int          `json:"example_questions"`
	PromptTokens     TokenStats   `json:"prompt_tokens"`
	SchemaTokens     TokenStats   `json:"schema_tokens"`
	Unparsed         int          `json:"unparsed"`
	Unresolved       int          `json:"unresolved"`
	Misses           []PromptMiss `json:"misses,omitempty"`
}

// TokenStats summarises estimated token counts over questions.
type TokenStats struct {
	Mean float64 `json:"mean"`
	P90  int     `json:"p90"`
	Max  int     `json:"max"`
}

// PromptMiss is one question whose prompt lacks part of its gold SQL.
type PromptMiss struct {
	ID       int      `json:"id"`
	DB       string   `json:"db_id"`
	Question string   `json:"question"`
	Missing  []string `json:"missing"`
}

// EvaluatePrompts builds the SQL prompt of every question of ds as the
// pipeline does (pipeline.SQLPromptFor) and scores it against the gold SQL.
func EvaluatePrompts(ctx context.Context, ds *Dataset, opts PromptOptions) (*PromptReport, error) {
	if opts.Today.IsZero() {
		opts.Today = time.Now()
	}
	rep := &PromptReport{Dataset: ds.Name}
	schemas := map[string]*schema.Schema{}
	banks := map[string][]bankItem{}
	if !opts.NoExamples {
		banks = questionBanks(ds)
	}
	maxRows := source.LimitsFor(config.Source{}).MaxRows
	var acc promptTotals
	qs := ds.Questions
	if opts.Limit > 0 && opts.Limit < len(qs) {
		qs = qs[:opts.Limit]
	}
	for _, q := range qs {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("eval prompt %q: %w", ds.Name, err)
		}
		db := ds.Databases[q.DB]
		if db == nil {
			return nil, fmt.Errorf("eval prompt %q: question %d: unknown database %q", ds.Name, q.ID, q.DB)
		}
		gold, err := promptGold(db.Catalog, q.SQL)
		if err != nil {
			rep.Unparsed++
			continue
		}
		if len(gold.tables) == 0 {
			rep.Unresolved++
			continue
		}
		s := schemas[q.DB]
		if s == nil {
			vals := db.Values
			if vals == nil {
				vals = schema.ValuesOf(db.Catalog)
			}
			s = schema.FromCatalogWith(q.DB, db.Catalog, db.Extra, vals)
			schemas[q.DB] = s
		}
		in := pipeline.PromptInput{Question: q.LinkerInput(), Today: opts.Today, MaxRows: maxRows}
		sc := scoreQuestion(ctx, s, in, gold, banks[q.DB], q)
		acc.add(sc)
		if opts.Misses && len(sc.missing) > 0 {
			rep.Misses = append(rep.Misses, PromptMiss{ID: q.ID, DB: q.DB, Question: q.LinkerInput(), Missing: sc.missing})
		}
	}
	acc.fill(rep)
	return rep, nil
}

// scoreQuestion builds q's prompt with its database's bank as verified
// examples and scores it against gold.
func scoreQuestion(ctx context.Context, sch *schema.Schema, in pipeline.PromptInput, gold promptGoldSet, items []bankItem, q Question) promptScore {
	bank, best := examplesFor(items, q)
	req := pipeline.SQLPromptFor(ctx, sch, in, bank)
	user := req.Messages[0].Content
	s := scorePrompt(gold, user)
	if best != nil {
		s.example, s.hasExample = strings.Contains(user, "Q: "+best.Question+"\n"), true
	}
	s.tokens = retrieve.EstimateTokens(req.System) + retrieve.EstimateTokens(user)
	s.schemaTokens = retrieve.EstimateTokens(promptSchemaText(user))
	return s
}

// promptTotals accumulates per-question scores.
type promptTotals struct {
	n, valueQs, exampleQs             int
	tables, columns, values, examples float64
	strHit, strN, numHit, numN        int
	heldHit, heldN                    int
	tokens, schemaTokens              []int
}

func (a *promptTotals) add(s promptScore) {
	a.n++
	a.tables += s.tableRecall
	a.columns += s.columnRecall
	if n := s.strN + s.numN; n > 0 {
		a.valueQs++
		a.values += float64(s.strHit+s.numHit) / float64(n)
	}
	a.strHit, a.strN, a.numHit, a.numN = a.strHit+s.strHit, a.strN+s.strN, a.numHit+s.numHit, a.numN+s.numN
	a.heldHit, a.heldN = a.heldHit+s.heldHit, a.heldN+s.heldN
	if s.hasExample {
		a.exampleQs++
		if s.example {
			a.examples++
		}
	}
	a.tokens = append(a.tokens, s.tokens)
	a.schemaTokens = append(a.schemaTokens, s.schemaTokens)
}

func (a *promptTotals) fill(r *PromptReport) {
	r.Questions, r.ValueQuestions, r.ExampleQuestions = a.n, a.valueQs, a.exampleQs
	r.StringValues, r.NumberValues = a.strN, a.numN
	r.TableRecall, r.ColumnRecall = mean(a.tables, a.n), mean(a.columns, a.n)
	r.ValueRecall, r.ExampleHit = mean(a.values, a.valueQs), mean(a.examples, a.exampleQs)
	r.StringValueRecall, r.NumberValueRecall = ratio(a.strHit, a.strN), ratio(a.numHit, a.numN)
	r.HeldValueRecall, r.HeldValues = ratio(a.heldHit, a.heldN), a.heldN
	r.PromptTokens, r.SchemaTokens = tokenStats(a.tokens), tokenStats(a.schemaTokens)
}

// mean is sum over n, 0 when n is 0.
func mean(sum float64, n int) float64 {
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

// tokenStats returns the mean, the 90th percentile (nearest rank) and the
// maximum of counts.
func tokenStats(counts []int) TokenStats {
	if len(counts) == 0 {
		return TokenStats{}
	}
	s := append([]int(nil), counts...)
	sort.Ints(s)
	sum := 0
	for _, c := range s {
		sum += c
	}
	rank := (9*len(s) + 9) / 10 // ceil(0.9 n)
	return TokenStats{Mean: float64(sum) / float64(len(s)), P90: s[rank-1], Max: s[len(s)-1]}
}

// Summary renders the report as a few aligned lines for a terminal.
func (r *PromptReport) Summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "dataset %s: %d questions (%d unparsed, %d unresolved)\n", r.Dataset, r.Questions, r.Unparsed, r.Unresolved)
	fmt.Fprintf(&b, "  table recall    %.3f\n  column recall   %.3f\n", r.TableRecall, r.ColumnRecall)
	fmt.Fprintf(&b, "  value recall    %.3f over %d questions (strings %.3f of %d, numbers %.3f of %d)\n",
		r.ValueRecall, r.ValueQuestions, r.StringValueRecall, r.StringValues, r.NumberValueRecall, r.NumberValues)
	fmt.Fprintf(&b, "  held values     %.3f of %d the catalog's samples hold\n", r.HeldValueRecall, r.HeldValues)
	fmt.Fprintf(&b, "  example hit     %.3f over %d questions\n", r.ExampleHit, r.ExampleQuestions)
	fmt.Fprintf(&b, "  prompt tokens   mean %.0f, p90 %d, max %d (schema mean %.0f, p90 %d)\n",
		r.PromptTokens.Mean, r.PromptTokens.P90, r.PromptTokens.Max, r.SchemaTokens.Mean, r.SchemaTokens.P90)
	return b.String()
}
