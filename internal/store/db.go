package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"
)

// dbStore implements Store over database/sql for both backends. Queries
// are written with "?" placeholders and rebound for PostgreSQL.
type dbStore struct {
	db     *sql.DB
	kind   string
	logger *slog.Logger
	// now is the clock for records saved without a time.
	now func() time.Time
}

var _ Store = (*dbStore)(nil)

// q rebinds query's "?" placeholders for the backend.
func (s *dbStore) q(query string) string {
	if s.kind != KindPostgres {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// stamp is t (or now when zero) in UTC, cut to the microseconds that
// PostgreSQL keeps so that both backends return what was saved.
func (s *dbStore) stamp(t time.Time) time.Time {
	if t.IsZero() {
		t = s.now()
	}
	return t.UTC().Truncate(time.Microsecond)
}

// SaveAnswer implements Store.
func (s *dbStore) SaveAnswer(ctx context.Context, a AnswerRecord) error {
	if a.ID == "" {
		return fmt.Errorf("save answer: %w: empty id", ErrInvalid)
	}
	verdicts, err := json.Marshal(a.Verdicts)
	if err != nil {
		return fmt.Errorf("save answer %q: verdicts: %w", a.ID, err)
	}
	groups, err := json.Marshal(a.Groups)
	if err != nil {
		return fmt.Errorf("save answer %q: groups: %w", a.ID, err)
	}
	var payload any
	if len(a.Payload) > 0 {
		if !json.Valid(a.Payload) {
			return fmt.Errorf("save answer %q: %w: payload is not valid JSON", a.ID, ErrInvalid)
		}
		payload = string(a.Payload)
	}
	_, err = s.db.ExecContext(ctx, s.q(`INSERT INTO answers
		(id, user_name, source, question, sql_text, outcome, engine, message, verdicts, row_count,
		 duration_ns, input_tokens, output_tokens, model_calls, payload, created_at, conversation_id, user_groups, sql_written)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		a.ID, a.User, a.Source, a.Question, a.SQL, a.Outcome, a.Engine, a.Message, string(verdicts), a.RowCount,
		int64(a.Duration), a.InputTokens, a.OutputTokens, a.ModelCalls, payload, s.stamp(a.CreatedAt), a.ConversationID, string(groups), a.SQLWritten)
	if err != nil {
		return fmt.Errorf("save answer %q: %w", a.ID, err)
	}
	return nil
}

// Answer implements Store.
func (s *dbStore) Answer(ctx context.Context, id string) (AnswerRecord, error) {
	row := s.db.QueryRowContext(ctx, s.q(`SELECT `+answerColumns+`, payload FROM answers WHERE id = ?`), id)
	var payload sql.NullString
	a, err := scanAnswer(row.Scan, &payload)
	if errors.Is(err, sql.ErrNoRows) {
		return AnswerRecord{}, fmt.Errorf("answer %q: %w", id, ErrNotFound)
	}
	if err != nil {
		return AnswerRecord{}, fmt.Errorf("answer %q: %w", id, err)
	}
	if payload.Valid {
		a.Payload = json.RawMessage(payload.String)
	}
	return a, nil
}

// Conversation implements Store.
func (s *dbStore) Conversation(ctx context.Context, conversationID, user string, limit int) ([]AnswerRecord, error) {
	if conversationID == "" || limit <= 0 {
		return nil, nil
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT id, source, question, sql_text, outcome, created_at, sql_written FROM answers
		WHERE conversation_id = ? AND user_name = ? ORDER BY created_at DESC, id DESC LIMIT ?`), conversationID, user, limit)
	if err != nil {
		return nil, fmt.Errorf("conversation %q: %w", conversationID, err)
	}
	defer rows.Close()
	var out []AnswerRecord
	for rows.Next() {
		a := AnswerRecord{ConversationID: conversationID, User: user}
		if err := rows.Scan(&a.ID, &a.Source, &a.Question, &a.SQL, &a.Outcome, &a.CreatedAt, &a.SQLWritten); err != nil {
			return nil, fmt.Errorf("conversation %q: %w", conversationID, err)
		}
		a.CreatedAt = a.CreatedAt.UTC()
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("conversation %q: %w", conversationID, err)
	}
	slices.Reverse(out)
	return out, nil
}

// AddFeedback implements Store.
func (s *dbStore) AddFeedback(ctx context.Context, f Feedback) error {
	if f.Vote != VoteUp && f.Vote != VoteDown {
		return fmt.Errorf("feedback on answer %q: %w: vote %q must be %q or %q", f.AnswerID, ErrInvalid, f.Vote, VoteUp, VoteDown)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("feedback on answer %q: %w", f.AnswerID, err)
	}
	defer tx.Rollback()
	var one int
	err = tx.QueryRowContext(ctx, s.q(`SELECT 1 FROM answers WHERE id = ?`), f.AnswerID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("feedback on answer %q: %w", f.AnswerID, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("feedback on answer %q: %w", f.AnswerID, err)
	}
	_, err = tx.ExecContext(ctx, s.q(`INSERT INTO feedback (answer_id, user_name, vote, comment, created_at)
		VALUES (?, ?, ?, ?, ?)`), f.AnswerID, f.User, f.Vote, f.Comment, s.stamp(f.CreatedAt))
	if err != nil {
		return fmt.Errorf("feedback on answer %q: %w", f.AnswerID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("feedback on answer %q: %w", f.AnswerID, err)
	}
	return nil
}

// FeedbackFor implements Store.
func (s *dbStore) FeedbackFor(ctx context.Context, answerID string) ([]Feedback, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT answer_id, user_name, vote, comment, created_at
		FROM feedback WHERE answer_id = ? ORDER BY created_at, id`), answerID)
	if err != nil {
		return nil, fmt.Errorf("feedback on answer %q: %w", answerID, err)
	}
	defer rows.Close()
	var out []Feedback
	for rows.Next() {
		var f Feedback
		if err := rows.Scan(&f.AnswerID, &f.User, &f.Vote, &f.Comment, &f.CreatedAt); err != nil {
			return nil, fmt.Errorf("feedback on answer %q: %w", answerID, err)
		}
		f.CreatedAt = f.CreatedAt.UTC()
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("feedback on answer %q: %w", answerID, err)
	}
	return out, nil
}

// AddBankEntry implements Store. An empty ID is filled with NewID().
func (s *dbStore) AddBankEntry(ctx context.Context, e BankEntry) error {
	if e.Origin != OriginKnowledge && e.Origin != OriginFeedback {
		return fmt.Errorf("question bank entry %q: %w: origin %q must be %q or %q", e.Question, ErrInvalid, e.Origin, OriginKnowledge, OriginFeedback)
	}
	if strings.TrimSpace(e.Question) == "" || strings.TrimSpace(e.SQL) == "" {
		return fmt.Errorf("question bank entry %q: %w: question and SQL are required", e.Question, ErrInvalid)
	}
	if e.ID == "" {
		e.ID = NewID()
	}
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO question_bank (id, source, question, sql_text, origin, answer_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`), e.ID, e.Source, e.Question, e.SQL, e.Origin, e.AnswerID, s.stamp(e.CreatedAt))
	if err != nil {
		return fmt.Errorf("question bank entry %q: %w", e.Question, err)
	}
	return nil
}

// DeleteBankEntry implements Store.
func (s *dbStore) DeleteBankEntry(ctx context.Context, id string) error {
	res, err := s.db.ExecContext(ctx, s.q(`DELETE FROM question_bank WHERE id = ?`), id)
	if err != nil {
		return fmt.Errorf("question bank entry %q: delete: %w", id, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("question bank entry %q: %w", id, ErrNotFound)
	}
	return nil
}

// BankEntries implements Store.
func (s *dbStore) BankEntries(ctx context.Context, source string) ([]BankEntry, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT id, source, question, sql_text, origin, answer_id, created_at
		FROM question_bank WHERE source = ? ORDER BY created_at, id`), source)
	if err != nil {
		return nil, fmt.Errorf("question bank of source %q: %w", source, err)
	}
	defer rows.Close()
	var out []BankEntry
	for rows.Next() {
		var e BankEntry
		if err := rows.Scan(&e.ID, &e.Source, &e.Question, &e.SQL, &e.Origin, &e.AnswerID, &e.CreatedAt); err != nil {
			return nil, fmt.Errorf("question bank of source %q: %w", source, err)
		}
		e.CreatedAt = e.CreatedAt.UTC()
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("question bank of source %q: %w", source, err)
	}
	return out, nil
}

// SaveSnapshot implements Store.
func (s *dbStore) SaveSnapshot(ctx context.Context, source string, data []byte) error {
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO snapshots (source, data, created_at) VALUES (?, ?, ?)
		ON CONFLICT (source) DO UPDATE SET data = excluded.data, created_at = excluded.created_at`),
		source, data, s.stamp(time.Time{}))
	if err != nil {
		return fmt.Errorf("save snapshot of source %q: %w", source, err)
	}
	return nil
}

// Snapshot implements Store.
func (s *dbStore) Snapshot(ctx context.Context, source string) ([]byte, time.Time, error) {
	var data []byte
	var at time.Time
	err := s.db.QueryRowContext(ctx, s.q(`SELECT data, created_at FROM snapshots WHERE source = ?`), source).Scan(&data, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, time.Time{}, fmt.Errorf("snapshot of source %q: %w", source, ErrNotFound)
	}
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("snapshot of source %q: %w", source, err)
	}
	return data, at.UTC(), nil
}

// Close implements Store.
func (s *dbStore) Close() error { return s.db.Close() }
