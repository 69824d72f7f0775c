package pipeline

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/askdb/askdb/internal/llm"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/sqlguard"
	"github.com/askdb/askdb/internal/trace"
)

// candidate is one of the queries self-consistency compares.
type candidate struct {
	index   int // 1-based, in the model's order
	ex      Extracted
	sql     string // as guarded
	verdict *sqlguard.Verdict
	res     *source.Result
}

// generateCandidates asks the model for n queries, runs those that pass
// the guard and EXPLAIN, and keeps the one whose result most of them
// agree on (ties go to the earliest). done is false when none survived:
// then problem is the first candidate's, for the repair loop, and the
// conversation holds the first candidate's answer.
func (r *run) generateCandidates(ctx context.Context, n int, lim source.Limits, dryRun bool) (res *source.Result, done bool, problem string, err error) {
	texts, err := r.askCandidates(ctx, n)
	if err != nil {
		return nil, false, "", err
	}
	var ran []candidate
	var runErr error
	for i, text := range texts {
		c, why, err := r.runCandidate(ctx, i+1, text, lim, dryRun)
		switch {
		case err != nil && ctx.Err() != nil:
			return nil, false, "", err
		case err != nil:
			runErr = err
		case why != "":
			problem = cmp.Or(problem, why)
		default:
			ran = append(ran, c)
		}
	}
	if len(ran) == 0 {
		if runErr != nil && problem == "" {
			return nil, false, "", runErr
		}
		return nil, false, problem, nil
	}
	best := r.vote(ran, len(texts), dryRun)
	r.ans.SQL, r.ans.Explanation, r.ans.Verdict = best.sql, best.ex.Explanation, best.verdict
	r.ans.Outcome, r.ans.Message, r.ans.Verified = "", "", true
	r.written = best.ex.SQL
	if dryRun {
		r.ans.Outcome = Generated
	}
	return best.res, true, "", nil
}

// runCandidate extracts, guards, verifies and (unless dryRun) runs one
// candidate. problem is set when the candidate is dropped for a reason
// the model can act on.
func (r *run) runCandidate(ctx context.Context, index int, text string, lim source.Limits, dryRun bool) (candidate, string, error) {
	ex, ok := ExtractSQL(text)
	if !ok {
		r.noSQL()
		return candidate{}, noSQLProblem, nil
	}
	sql, why, err := r.check(ctx, ex, lim.MaxRows, 1)
	if err != nil || why != "" {
		return candidate{}, why, err
	}
	c := candidate{index: index, ex: ex, sql: sql, verdict: r.ans.Verdict}
	if !dryRun {
		if c.res, err = r.execute(ctx, sql, lim); err != nil {
			return candidate{}, "", err
		}
	}
	return c, "", nil
}

// askCandidates gets n answers from the SQL model: in one call when the
// provider honours Request.N, else one call per missing answer. Its step
// reports the calls and tokens that cost.
func (r *run) askCandidates(ctx context.Context, n int) ([]string, error) {
	step := r.rec.Started(trace.StepGenerate).Attempt(1)
	m := r.p.opts.SQLModel
	var texts []string
	var used llm.Usage
	calls, id := 0, ""
	for len(texts) < n {
		resp, err := m.Chat(ctx, llm.Request{System: r.system, Messages: r.convo, N: n - len(texts)})
		calls++
		r.ans.ModelCalls++
		if err != nil {
			step.Fail("the model call failed", err)
			return nil, fmt.Errorf("write SQL: %w", err)
		}
		step.Model(resp.Model, resp.Usage.InputTokens, resp.Usage.OutputTokens)
		used, id = used.Add(resp.Usage), cmp.Or(resp.Model, id)
		got := resp.Choices
		if len(got) == 0 {
			got = []string{resp.Text}
		}
		texts = append(texts, got[:min(len(got), n-len(texts))]...)
	}
	r.convo = append(r.convo, llm.Message{Role: llm.RoleAssistant, Content: texts[0]})
	sqls := make([]string, len(texts))
	for i, t := range texts {
		sqls[i] = sqlOf(t)
	}
	step.Detail(map[string]any{"candidates": n, "calls": calls,
		"tokens": trace.Tokens{Input: used.InputTokens, Output: used.OutputTokens}, "sql": sqls})
	r.ans.ChosenBy = modelChoice(cmp.Or(id, m.ModelID()))
	step.Done(fmt.Sprintf("wrote %d candidates in %d %s (%d tokens); chosen by %s",
		n, calls, plural(calls, "call", "calls"), used.Total(), r.ans.ChosenBy.Label))
	return texts, nil
}

// vote picks the candidate whose result the most candidates share; a dry
// run has no results, so it keeps the first that passed.
func (r *run) vote(ran []candidate, asked int, dryRun bool) candidate {
	step := r.rec.Started(trace.StepGenerate).Attempt(1)
	if dryRun {
		step.Detail(map[string]any{"passed": len(ran), "chosen": ran[0].index})
		step.Done(fmt.Sprintf("dry run: kept candidate %d, the first of %d of %d that passed the guard and EXPLAIN", ran[0].index, len(ran), asked))
		return ran[0]
	}
	sizes := map[string]int{}
	keys := make([]string, len(ran))
	for i, c := range ran {
		keys[i] = resultKey(c.res, c.sql)
		sizes[keys[i]]++
	}
	best := 0
	for i := range ran {
		if sizes[keys[i]] > sizes[keys[best]] {
			best = i
		}
	}
	agree := sizes[keys[best]]
	step.Detail(map[string]any{"ran": len(ran), "dropped": asked - len(ran), "groups": len(sizes), "chosen": ran[best].index, "agree": agree})
	step.Done(fmt.Sprintf("kept candidate %d: %d of the %d that ran agree on its result (%d dropped by the guard, EXPLAIN or the run)",
		ran[best].index, agree, len(ran), asked-len(ran)))
	return ran[best]
}

var orderBy = regexp.MustCompile(`(?i)\border\s+by\b`)

// resultKey normalises a result for comparison: values by their meaning
// (3, 3.0 and "3" as a JSON number agree), rows in any order unless the
// query orders them. Column names are ignored, since aliases differ.
func resultKey(res *source.Result, sql string) string {
	rows := make([]string, len(res.Rows))
	for i, row := range res.Rows {
		cells := make([]string, len(row))
		for j, v := range row {
			cells[j] = normalValue(v)
		}
		rows[i] = strings.Join(cells, "\x1f")
	}
	if !orderBy.MatchString(sql) {
		sort.Strings(rows)
	}
	return strconv.Itoa(len(res.Columns)) + "\x1e" + strings.Join(rows, "\x1e")
}

func normalValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "\x00null"
	case json.Number:
		if f, err := x.Float64(); err == nil {
			return normalFloat(f)
		}
		return x.String()
	case float64:
		return normalFloat(x)
	case float32:
		return normalFloat(float64(x))
	case int64:
		return normalFloat(float64(x))
	case int:
		return normalFloat(float64(x))
	}
	return fmt.Sprint(v)
}

// normalFloat rounds to 10 significant digits, so that engines' float
// noise (0.30000000000000004) does not split a group.
func normalFloat(f float64) string { return strconv.FormatFloat(f, 'g', 10, 64) }

func sqlOf(text string) string {
	ex, _ := ExtractSQL(text)
	return ex.SQL
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
