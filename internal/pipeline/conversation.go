package pipeline

import (
	"cmp"
	"context"
	"encoding/json"
	"regexp"

	"github.com/askdb/askdb/internal/store"
)

// historyTurns is how many earlier questions of a conversation the SQL
// prompt shows.
const historyTurns = 3

// followUpRE matches questions that lean on an earlier one: they open
// with a connective or refer back with a pronoun.
var followUpRE = regexp.MustCompile(`(?i)^\s*(and|but|also|now|then|what about|how about|only|just|same|instead|by|per|for|excluding|including|sorted|order|group|break)\b|\b(those|these|them|that one|it|its|their|the same|previous|above|instead)\b`)

// isFollowUp reports whether q reads as a follow-up question.
func isFollowUp(q string) bool { return followUpRE.MatchString(q) }

// turns is what the earlier turns of a conversation tell the next one.
type turns struct {
	// history are the answered questions and their SQL, for the SQL prompt.
	history []Example
	// questions are the last few questions, whatever their outcome, for
	// the routing call.
	questions []string
	// domains are the business domains of the latest turn on this source
	// that had one: the conversation's domain until the user changes it.
	domains []string
}

// conversation loads the earlier turns that user had in a conversation
// from the store, oldest first, so that nobody can read (or steer the
// prompt with) another user's conversation by reusing its id. Without a
// store or an id there are none.
func (p *Pipeline) conversation(ctx context.Context, id, user, src string) turns {
	if id == "" || p.opts.Store == nil {
		return turns{}
	}
	recs, err := p.opts.Store.Conversation(ctx, id, user, historyTurns*2)
	if err != nil {
		p.opts.Logger.Warn("conversation history unavailable", "conversation", id, "err", err)
		return turns{}
	}
	t := turns{history: answeredTurns(recs), domains: p.conversationDomains(ctx, recs, src)}
	for _, r := range recs[max(0, len(recs)-historyTurns):] {
		t.questions = append(t.questions, r.Question)
	}
	return t
}

// conversationDomains reads the domains of the newest turn on src that
// named or inherited one. The conversation query does not carry the
// answers' payloads, so each turn is read back, newest first, until one
// has a domain: usually the first.
func (p *Pipeline) conversationDomains(ctx context.Context, recs []store.AnswerRecord, src string) []string {
	for i := len(recs) - 1; i >= 0; i-- {
		if recs[i].Source != src {
			continue
		}
		full, err := p.opts.Store.Answer(ctx, recs[i].ID)
		if err != nil {
			p.opts.Logger.Warn("conversation turn unavailable", "answer", recs[i].ID, "err", err)
			return nil
		}
		var a struct {
			Domains []string `json:"domains"`
		}
		if json.Unmarshal(full.Payload, &a) == nil && len(a.Domains) > 0 {
			return a.Domains
		}
	}
	return nil
}

// answeredTurns are the answered questions of recs and the SQL written
// for them, the last historyTurns of them.
func answeredTurns(recs []store.AnswerRecord) []Example {
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
