package pipeline

import (
	"cmp"
	"context"
	"regexp"
)

// historyTurns is how many earlier questions of a conversation the SQL
// prompt shows.
const historyTurns = 3

// followUpRE matches questions that lean on an earlier one: they open
// with a connective or refer back with a pronoun.
var followUpRE = regexp.MustCompile(`(?i)^\s*(and|but|also|now|then|what about|how about|only|just|same|instead|by|per|for|excluding|including|sorted|order|group|break)\b|\b(those|these|them|that one|it|its|their|the same|previous|above|instead)\b`)

// isFollowUp reports whether q reads as a follow-up question.
func isFollowUp(q string) bool { return followUpRE.MatchString(q) }

// conversation loads the earlier answered questions that user asked in a
// conversation from the store, oldest first, so that nobody can read (or
// steer the prompt with) another user's conversation by reusing its id.
// Without a store or an id there is none.
func (p *Pipeline) conversation(ctx context.Context, id, user string) []Example {
	if id == "" || p.opts.Store == nil {
		return nil
	}
	recs, err := p.opts.Store.Conversation(ctx, id, user, historyTurns*2)
	if err != nil {
		p.opts.Logger.Warn("conversation history unavailable", "conversation", id, "err", err)
		return nil
	}
	var out []Example
	for _, r := range recs {
		if r.SQL != "" && r.Outcome == string(Answered) {
			// As written: the SQL as run carries row filters the model
			// need not repeat (the guard adds them again).
			out = append(out, Example{Question: r.Question, SQL: cmp.Or(r.SQLWritten, r.SQL)})
		}
	}
	return out[max(0, len(out)-historyTurns):]
}
