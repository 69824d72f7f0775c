package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// AuditPageSize is how many audit records EachAnswer reads per query.
const AuditPageSize = 500

// AuditFilter selects audit records for an export.
type AuditFilter struct {
	// Since is inclusive and Until exclusive; a zero Until has no end.
	Since, Until time.Time
	// User and Source, when set, must match exactly.
	User, Source string
	// PageSize overrides AuditPageSize (tests use a small one).
	PageSize int
}

// AuditLog is the audit export, an optional ability of a Store (find it
// with a type assertion).
type AuditLog interface {
	// EachAnswer calls fn with every audit record f selects, oldest first,
	// without their payloads. It reads the log a page at a time, so a
	// large log is never held in memory and no query stays open while fn
	// runs; an error from fn stops the walk and is returned.
	EachAnswer(ctx context.Context, f AuditFilter, fn func(AnswerRecord) error) error
}

var _ AuditLog = (*dbStore)(nil)

// auditCursor is the last record of a page: the next page starts after it.
type auditCursor struct {
	at time.Time
	id string
}

// EachAnswer implements AuditLog. Pages are keyed on (created_at, id),
// not offsets, so records written during an export neither repeat nor
// shift the pages after them.
func (s *dbStore) EachAnswer(ctx context.Context, f AuditFilter, fn func(AnswerRecord) error) error {
	size := f.PageSize
	if size <= 0 {
		size = AuditPageSize
	}
	var after *auditCursor
	for {
		page, err := s.auditPage(ctx, f, after, size)
		if err != nil {
			return fmt.Errorf("audit log: %w", err)
		}
		for _, a := range page {
			if err := fn(a); err != nil {
				return err
			}
		}
		if len(page) < size {
			return nil
		}
		last := page[len(page)-1]
		after = &auditCursor{at: last.CreatedAt, id: last.ID}
	}
}

// auditPage reads up to size records that f selects, after the cursor.
func (s *dbStore) auditPage(ctx context.Context, f AuditFilter, after *auditCursor, size int) ([]AnswerRecord, error) {
	where, args := []string{"1 = 1"}, []any{}
	if !f.Since.IsZero() {
		where, args = append(where, "created_at >= ?"), append(args, s.stamp(f.Since))
	}
	if !f.Until.IsZero() {
		where, args = append(where, "created_at < ?"), append(args, s.stamp(f.Until))
	}
	if f.User != "" {
		where, args = append(where, "user_name = ?"), append(args, f.User)
	}
	if f.Source != "" {
		where, args = append(where, "source = ?"), append(args, f.Source)
	}
	if after != nil {
		where = append(where, "(created_at > ? OR (created_at = ? AND id > ?))")
		args = append(args, after.at, after.at, after.id)
	}
	args = append(args, size)
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+answerColumns+` FROM answers
		WHERE `+strings.Join(where, " AND ")+` ORDER BY created_at, id LIMIT ?`), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	page := make([]AnswerRecord, 0, size)
	for rows.Next() {
		a, err := scanAnswer(rows.Scan)
		if err != nil {
			return nil, err
		}
		page = append(page, a)
	}
	return page, rows.Err()
}

// answerColumns are the columns of an audit record, in scanAnswer's order.
const answerColumns = `id, user_name, source, question, sql_text, outcome, engine, message, verdicts, row_count,
	duration_ns, input_tokens, output_tokens, model_calls, created_at, conversation_id, user_groups, sql_written`

// scanAnswer reads one row of answerColumns, then any extra columns into
// extra.
func scanAnswer(scan func(...any) error, extra ...any) (AnswerRecord, error) {
	var a AnswerRecord
	var verdicts, groups string
	var dur int64
	dest := append([]any{&a.ID, &a.User, &a.Source, &a.Question, &a.SQL, &a.Outcome, &a.Engine, &a.Message,
		&verdicts, &a.RowCount, &dur, &a.InputTokens, &a.OutputTokens, &a.ModelCalls, &a.CreatedAt, &a.ConversationID,
		&groups, &a.SQLWritten}, extra...)
	if err := scan(dest...); err != nil {
		return AnswerRecord{}, err
	}
	if err := json.Unmarshal([]byte(verdicts), &a.Verdicts); err != nil {
		return AnswerRecord{}, fmt.Errorf("verdicts: %w", err)
	}
	if err := json.Unmarshal([]byte(groups), &a.Groups); err != nil {
		return AnswerRecord{}, fmt.Errorf("groups: %w", err)
	}
	a.Duration = time.Duration(dur)
	a.CreatedAt = a.CreatedAt.UTC()
	return a, nil
}
