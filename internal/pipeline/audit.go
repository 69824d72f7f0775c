package pipeline

import (
	"context"
	"encoding/json"
	"time"

	"github.com/askdb/askdb/internal/sqlguard"
	"github.com/askdb/askdb/internal/store"
	"github.com/askdb/askdb/internal/trace"
)

// auditTimeout bounds writing one audit record.
const auditTimeout = 5 * time.Second

// audit writes the answer to the store's audit log. It runs even when the
// request was cancelled (a cancelled question is still audited), and a
// store failure is logged, never turned into a failed answer.
func (r *run) audit(ctx context.Context) {
	st := r.p.opts.Store
	if st == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), auditTimeout)
	defer cancel()
	rec := AuditRecord(r.ans, r.who.User)
	rec.Groups, rec.SQLWritten = r.who.Groups, r.written
	if err := st.SaveAnswer(ctx, rec); err != nil {
		r.p.opts.Logger.Error("audit log write failed", "answer", r.ans.ID, "err", err)
	}
}

// AuditRecord maps an answer onto the store's audit record.
func AuditRecord(a *Answer, user string) store.AnswerRecord {
	payload, _ := json.Marshal(a)
	rec := store.AnswerRecord{
		ID: a.ID, User: user, Source: a.Source, Question: a.Question, SQL: a.SQL,
		Outcome: string(a.Outcome), Engine: a.Engine, Message: a.Message, RowCount: a.RowCount,
		Duration: a.Duration, InputTokens: a.Tokens.Input, OutputTokens: a.Tokens.Output,
		ModelCalls: a.ModelCalls, Payload: payload, CreatedAt: a.CreatedAt, ConversationID: a.ConversationID,
	}
	for _, s := range a.Steps {
		if s.Name != trace.StepGuard {
			continue
		}
		if v, ok := s.Detail.(sqlguard.Verdict); ok {
			rule := "accepted"
			if !v.Accepted {
				rule = string(v.Rule)
			}
			rec.Verdicts = append(rec.Verdicts, rule)
		}
	}
	return rec
}
