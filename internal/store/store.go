package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/askdb/askdb/internal/config"
)

// ErrNotFound is returned when an answer or snapshot does not exist.
var ErrNotFound = errors.New("not found")

// ErrInvalid is wrapped by errors about records that cannot be stored as given.
var ErrInvalid = errors.New("invalid record")

// Store is askdb's memory. Implementations are safe for concurrent use.
type Store interface {
	// SaveAnswer records the audit log entry of one question.
	SaveAnswer(ctx context.Context, a AnswerRecord) error
	// Answer returns the answer with id, or an error wrapping ErrNotFound.
	Answer(ctx context.Context, id string) (AnswerRecord, error)
	// AddFeedback records a vote on an existing answer; an unknown answer
	// is an error wrapping ErrNotFound.
	AddFeedback(ctx context.Context, f Feedback) error
	// FeedbackFor returns the feedback on one answer, oldest first.
	FeedbackFor(ctx context.Context, answerID string) ([]Feedback, error)
	// AddBankEntry adds a verified question→SQL pair to the question bank.
	AddBankEntry(ctx context.Context, e BankEntry) error
	// BankEntries returns a source's question bank, oldest first.
	BankEntries(ctx context.Context, source string) ([]BankEntry, error)
	// DeleteBankEntry removes an entry (ErrNotFound when there is none).
	DeleteBankEntry(ctx context.Context, id string) error
	// Conversation returns the last limit answers that user asked in a
	// conversation, oldest first (no payloads). Another user's answers
	// under the same id are not part of it.
	Conversation(ctx context.Context, conversationID, user string, limit int) ([]AnswerRecord, error)
	// SaveSnapshot stores (replacing any older one) a source's enriched catalog.
	SaveSnapshot(ctx context.Context, source string, data []byte) error
	// Snapshot returns a source's latest snapshot and when it was saved,
	// or an error wrapping ErrNotFound.
	Snapshot(ctx context.Context, source string) ([]byte, time.Time, error)
	// Close releases the database.
	Close() error
}

// AnswerRecord is the audit log entry of one question.
type AnswerRecord struct {
	ID       string `json:"id"`
	User     string `json:"user,omitempty"`
	Source   string `json:"source"`
	Question string `json:"question"`
	// SQL is the SQL as run: after the guard's LIMIT and the caller's row
	// filters. SQLWritten is what the model, the bank or the user wrote.
	SQL        string `json:"sql,omitempty"`
	SQLWritten string `json:"sql_written,omitempty"`
	// Groups are the caller's groups when the answer was made.
	Groups []string `json:"groups,omitempty"`
	// ConversationID groups follow-up questions; empty for a lone question.
	ConversationID string `json:"conversation_id,omitempty"`
	// Outcome is the pipeline's outcome (answered, refused, failed, ...).
	Outcome string `json:"outcome"`
	// Engine is what wrote the SQL: a model id, "offline" or "bank".
	Engine  string `json:"engine,omitempty"`
	Message string `json:"message,omitempty"`
	// Verdicts are the guard rules of each attempt ("" or "accepted" when accepted).
	Verdicts     []string        `json:"verdicts,omitempty"`
	RowCount     int             `json:"row_count"`
	Duration     time.Duration   `json:"duration_ns"`
	InputTokens  int             `json:"input_tokens"`
	OutputTokens int             `json:"output_tokens"`
	ModelCalls   int             `json:"model_calls"`
	Payload      json.RawMessage `json:"payload,omitempty"` // the whole Answer JSON
	CreatedAt    time.Time       `json:"created_at"`
}

// Votes a user can give an answer.
const (
	VoteUp   = "up"
	VoteDown = "down"
)

// Feedback is one user's vote on an answer.
type Feedback struct {
	AnswerID  string    `json:"answer_id"`
	User      string    `json:"user,omitempty"`
	Vote      string    `json:"vote"`
	Comment   string    `json:"comment,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// Origins of question bank entries.
const (
	OriginKnowledge = "knowledge"
	OriginFeedback  = "feedback"
)

// BankEntry is a verified question→SQL pair.
type BankEntry struct {
	ID       string `json:"id,omitempty"`
	Source   string `json:"source"`
	Question string `json:"question"`
	SQL      string `json:"sql"`
	// Origin is OriginKnowledge or OriginFeedback.
	Origin string `json:"origin"`
	// AnswerID is the answer an OriginFeedback entry was promoted from.
	AnswerID  string    `json:"answer_id,omitempty"`
	CreatedAt time.Time `json:"created_at,omitzero"`
}

// Store kinds.
const (
	KindSQLite   = "sqlite"
	KindPostgres = "postgres"
)

// Open opens (creating and migrating as needed) the store that cfg
// describes: SQLite at cfg.Path or DefaultPath() when cfg.Kind is "" or
// "sqlite", PostgreSQL at cfg.DSN when it is "postgres".
func Open(ctx context.Context, cfg config.Store, logger *slog.Logger) (Store, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	switch cfg.Kind {
	case "", KindSQLite:
		path := cfg.Path
		if path == "" {
			p, err := DefaultPath()
			if err != nil {
				return nil, err
			}
			path = p
		}
		return OpenSQLite(ctx, path, logger)
	case KindPostgres:
		return OpenPostgres(ctx, cfg.DSN, logger)
	}
	return nil, fmt.Errorf("store kind %q: must be %s or %s", cfg.Kind, KindSQLite, KindPostgres)
}

// NewID returns a random identifier for answers and bank entries.
func NewID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
