package pipeline

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/askdb/askdb/internal/llm"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/sqlguard"
	"github.com/askdb/askdb/internal/trace"
)

// generateChecked asks the model for SQL, then guards, verifies and runs
// it. A guard refusal, an EXPLAIN error or an answer without SQL goes back
// to the model with the reason, up to RepairAttempts times. It returns a
// nil result (and nil error) when the question ended in a refusal or with
// no SQL; the Answer says why.
func (r *run) generateChecked(ctx context.Context, q string, dryRun bool) (*source.Result, error) {
	lim := source.LimitsFor(r.cfg)
	req := SQLPrompt(PromptInput{
		Question: q,
		Dialect:  r.src.Dialect(),
		Profile:  r.cat.Profile,
		Version:  r.cat.Version,
		Schema:   r.ddl,
		Today:    r.p.opts.Now(),
		Notes:    strings.TrimSpace(r.p.opts.Notes + "\n" + r.notes),
		MaxRows:  lim.MaxRows,
		Examples: r.examples(q),
		History:  r.history,
	})
	r.system, r.convo = req.System, req.Messages
	attempts := 1 + max(r.p.opts.RepairAttempts, 0)
	var problem string
	for attempt := 1; attempt <= attempts; attempt++ {
		if problem != "" {
			r.convo = append(r.convo, llm.Message{Role: llm.RoleUser, Content: repairMessage(problem)})
		}
		if attempt == 1 && r.p.opts.Candidates > 1 {
			res, done, why, err := r.generateCandidates(ctx, r.p.opts.Candidates, lim, dryRun)
			if err != nil || done {
				return res, err
			}
			problem = why
			continue
		}
		ex, ok, err := r.generate(ctx, attempt)
		if err != nil {
			return nil, err
		}
		if !ok {
			problem = noSQLProblem
			r.noSQL()
			continue
		}
		sql, why, err := r.check(ctx, ex, lim.MaxRows, attempt)
		if err != nil {
			return nil, err
		}
		if problem = why; problem != "" {
			continue
		}
		if dryRun {
			r.ans.Outcome = Generated
			return nil, nil
		}
		return r.execute(ctx, sql, lim)
	}
	return nil, nil
}

// noSQLProblem is what the model is told when its answer had no SQL.
const noSQLProblem = "No SQL query was found in the answer."

func (r *run) noSQL() {
	r.ans.Outcome, r.ans.Message = NoSQL, "The model did not write a query: "+clip(r.lastReply(), 300)
}

// check guards and verifies one extracted query. It returns the guarded
// SQL, or the problem to send back to the model (and the Answer says why
// it stopped there); an error is a fault, not the query's.
func (r *run) check(ctx context.Context, ex Extracted, maxRows, attempt int) (sql, problem string, err error) {
	r.ans.SQL, r.ans.Explanation = ex.SQL, ex.Explanation
	v := r.guard(ex.SQL, maxRows, attempt)
	if !v.Accepted {
		r.ans.Outcome, r.ans.Message = Refused, "The query was refused: "+v.Message
		return "", v.Message, nil
	}
	r.ans.SQL = v.SQL
	msg, err := r.verify(ctx, v.SQL, attempt)
	if err != nil {
		return "", "", err
	}
	if msg != "" {
		r.ans.Outcome, r.ans.Message = Failed, "The database rejected the query after every repair attempt: "+msg
		return "", "The database rejected the query: " + msg, nil
	}
	r.ans.Outcome, r.ans.Message = "", ""
	return v.SQL, "", nil
}

// generate makes one model call and extracts SQL from its answer.
func (r *run) generate(ctx context.Context, attempt int) (Extracted, bool, error) {
	step := r.rec.Started(trace.StepGenerate).Attempt(attempt)
	m := r.p.opts.SQLModel
	resp, err := m.Chat(ctx, llm.Request{System: r.system, Messages: r.convo})
	r.ans.ModelCalls++
	if err != nil {
		step.Fail("the model call failed", err)
		return Extracted{}, false, fmt.Errorf("write SQL: %w", err)
	}
	step.Model(resp.Model, resp.Usage.InputTokens, resp.Usage.OutputTokens)
	r.convo = append(r.convo, llm.Message{Role: llm.RoleAssistant, Content: resp.Text})
	ex, ok := ExtractSQL(resp.Text)
	if !ok {
		step.Done("the answer has no SQL")
		return ex, false, nil
	}
	step.Detail(map[string]string{"sql": ex.SQL})
	id := resp.Model
	if id == "" {
		id = m.ModelID()
	}
	r.ans.ChosenBy = modelChoice(id)
	step.Done("wrote SQL; chosen by " + r.ans.ChosenBy.Label)
	return ex, true, nil
}

func (r *run) lastReply() string {
	if n := len(r.convo); n > 0 && r.convo[n-1].Role == llm.RoleAssistant {
		return r.convo[n-1].Content
	}
	return ""
}

func (r *run) guard(sql string, maxRows, attempt int) sqlguard.Verdict {
	step := r.rec.Started(trace.StepGuard).Attempt(attempt)
	r.written = sql
	v := sqlguard.Check(sql, r.guardOptions(maxRows))
	r.ans.Verdict = &v
	step.Detail(v)
	if !v.Accepted {
		step.Fail("refused: "+string(v.Rule), v.Err())
		return v
	}
	decision := "accepted: one read-only query"
	if v.Limited {
		decision += fmt.Sprintf(", LIMIT %d applied (the row cap of %d, plus one to detect truncation)", maxRows+1, maxRows)
	}
	if len(v.Filtered) > 0 {
		decision += ", your row filters applied to " + strings.Join(v.Filtered, ", ")
	}
	step.Done(decision)
	return v
}

// verify runs EXPLAIN. It returns the engine's message when the engine
// rejects the query (repairable), or an error for faults.
func (r *run) verify(ctx context.Context, sql string, attempt int) (string, error) {
	step := r.rec.Started(trace.StepVerify).Attempt(attempt)
	_, err := r.src.Explain(ctx, sql)
	var ee *source.EngineError
	switch {
	case err == nil:
		r.ans.Verified = true
		step.Done("EXPLAIN passed")
		return "", nil
	case source.Repairable(err) && errors.As(err, &ee):
		step.Fail("EXPLAIN failed", err)
		return ee.Message, nil
	}
	step.Fail("could not verify", err)
	return "", err
}

func (r *run) execute(ctx context.Context, sql string, lim source.Limits) (*source.Result, error) {
	step := r.rec.Started(trace.StepExecute)
	res, err := r.src.Query(ctx, sql, lim)
	if err != nil {
		step.Fail("the query failed", err)
		return nil, err
	}
	decision := fmt.Sprintf("%d %s", len(res.Rows), map[bool]string{true: "row", false: "rows"}[len(res.Rows) == 1])
	if res.Truncated {
		decision += ", truncated by the " + res.TruncatedBy + " limit"
	}
	if res.Note != "" {
		decision += "; " + res.Note
	}
	step.Done(decision)
	return res, nil
}

// summarise writes the one-sentence answer. A failing summary model does
// not fail the answer: the rows are what matters, so it falls back to a
// plain summary and records the error.
func (r *run) summarise(ctx context.Context, q string, res *source.Result) {
	step := r.rec.Started(trace.StepSummary)
	m := r.p.opts.FastModel
	if !r.p.opts.Summary || m == nil {
		r.ans.Summary = plainSummary(res)
		step.Done("plain summary")
		return
	}
	resp, err := m.Chat(ctx, SummaryPrompt(q, r.ans.SQL, res, r.p.opts.Privacy))
	r.ans.ModelCalls++
	if err != nil {
		r.ans.Summary = plainSummary(res)
		step.Fail("summary model failed; plain summary used", err)
		return
	}
	step.Model(resp.Model, resp.Usage.InputTokens, resp.Usage.OutputTokens)
	if r.ans.Summary = firstSentence(resp.Text); r.ans.Summary == "" {
		r.ans.Summary = plainSummary(res)
		step.Done("the model's summary had no sentence; plain summary used")
		return
	}
	step.Done("summarised")
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// examples picks, from the bank entries fromBank loaded, the verified
// examples to show the model for q. The semantic cache's answered
// questions are candidates too when they join r.bank's entries here.
func (r *run) examples(q string) []Example { return pickExamples(r.bank, q, r.values) }
