package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/askdb/askdb/internal/store"
)

// FeedbackResult says what a vote changed besides being recorded.
type FeedbackResult struct {
	// Promoted is set when an up vote added the answer to the question bank.
	Promoted *store.BankEntry `json:"promoted,omitempty"`
	// Demoted is the bank entry a down vote removed.
	Demoted string `json:"demoted,omitempty"`
	// Note explains why nothing changed in the bank, when that is news.
	Note string `json:"note,omitempty"`
}

// Feedback records a vote on an answer. An up vote promotes the answer to
// the question bank (after its SQL passes the guard and EXPLAIN again); a
// down vote on an answer served from the bank removes a promoted entry,
// or says where to fix an entry that comes from a knowledge file.
func (p *Pipeline) Feedback(ctx context.Context, f store.Feedback) (FeedbackResult, error) {
	st := p.opts.Store
	if st == nil {
		return FeedbackResult{}, errors.New("feedback needs a store: configure store: in askdb.yaml")
	}
	if err := st.AddFeedback(ctx, f); err != nil {
		return FeedbackResult{}, err
	}
	switch f.Vote {
	case store.VoteUp:
		e, err := p.Promote(ctx, f.AnswerID)
		if errors.Is(err, ErrNotPromotable) {
			return FeedbackResult{Note: err.Error()}, nil
		}
		if err != nil {
			return FeedbackResult{}, err
		}
		return FeedbackResult{Promoted: &e}, nil
	case store.VoteDown:
		return p.demote(ctx, f.AnswerID)
	}
	return FeedbackResult{}, nil
}

// demote removes the bank entry that served a down-voted answer.
func (p *Pipeline) demote(ctx context.Context, answerID string) (FeedbackResult, error) {
	rec, err := p.opts.Store.Answer(ctx, answerID)
	if err != nil {
		return FeedbackResult{}, err
	}
	var ans Answer
	if len(rec.Payload) == 0 || json.Unmarshal(rec.Payload, &ans) != nil || ans.Bank == nil {
		return FeedbackResult{}, nil
	}
	e := ans.Bank.Entry
	if e.Origin == store.OriginKnowledge {
		return FeedbackResult{Note: fmt.Sprintf("this answer came from the verified example at %s; correct or remove it there", e.ID)}, nil
	}
	if err := p.opts.Store.DeleteBankEntry(ctx, e.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
		return FeedbackResult{}, err
	}
	return FeedbackResult{Demoted: e.ID}, nil
}
