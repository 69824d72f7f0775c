package pipeline

import (
	"cmp"
	"context"
	"errors"
	"fmt"

	"github.com/askdb/askdb/internal/store"
	"github.com/askdb/askdb/internal/trace"
)

// ErrNotPromotable means an answer cannot join the question bank.
var ErrNotPromotable = errors.New("answer cannot be promoted to the question bank")

// Promote adds an answered question and its SQL to the question bank, after
// the SQL passes the guard and EXPLAIN again on its source (the schema or
// the policy may have changed since). Later identical or template-matching
// questions are then answered from the bank with no model call.
func (p *Pipeline) Promote(ctx context.Context, answerID string) (store.BankEntry, error) {
	st := p.opts.Store
	if st == nil {
		return store.BankEntry{}, fmt.Errorf("%w: no store is configured", ErrNotPromotable)
	}
	rec, err := st.Answer(ctx, answerID)
	if err != nil {
		return store.BankEntry{}, fmt.Errorf("answer %q: %w", answerID, err)
	}
	if rec.Outcome != string(Answered) || rec.SQL == "" || rec.Question == "" {
		return store.BankEntry{}, fmt.Errorf("%w: answer %q has outcome %q; only answered questions with SQL can be promoted", ErrNotPromotable, answerID, rec.Outcome)
	}
	if rec.Engine == EngineBank {
		return store.BankEntry{}, fmt.Errorf("%w: answer %q already came from the question bank", ErrNotPromotable, answerID)
	}
	// The bank keeps the SQL as written: the SQL as run carries the
	// asker's row filters, and each later asker gets their own.
	sql := cmp.Or(rec.SQLWritten, rec.SQL)
	r := &run{p: p, rec: trace.NewRecorder(nil), ans: &Answer{Question: rec.Question}, who: callerOf(ctx, "")}
	if err := r.route(ctx, rec.Source); err != nil {
		return store.BankEntry{}, err
	}
	if _, err := r.checkAndRun(ctx, sql, true); err != nil {
		return store.BankEntry{}, err
	}
	if r.ans.Outcome != Generated {
		return store.BankEntry{}, fmt.Errorf("%w: its SQL no longer passes: %s", ErrNotPromotable, r.ans.Message)
	}
	e := store.BankEntry{Source: rec.Source, Question: rec.Question, SQL: sql, Origin: store.OriginFeedback, AnswerID: rec.ID}
	if err := st.AddBankEntry(ctx, e); err != nil {
		return store.BankEntry{}, fmt.Errorf("add to the question bank: %w", err)
	}
	return e, nil
}
