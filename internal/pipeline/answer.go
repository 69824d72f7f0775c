package pipeline

import (
	"time"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/chart"
	"github.com/askdb/askdb/internal/route"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/sqlguard"
	"github.com/askdb/askdb/internal/trace"
)

// Outcome is how a question ended. A refusal is a normal outcome with a
// reason, not an error.
type Outcome string

// Outcomes.
const (
	// Answered: SQL ran and rows came back.
	Answered Outcome = "answered"
	// Refused: askdb would not run anything (a write request, or SQL the
	// guard refused after every repair attempt). Message says why.
	Refused Outcome = "refused"
	// Generated: a dry run produced SQL that passed the guard and EXPLAIN;
	// nothing was executed.
	Generated Outcome = "generated"
	// NoSQL: the engine could not produce a query for the question.
	NoSQL Outcome = "no_sql"
	// Info: a question about a metric's definition or about where data
	// lives, answered from the dictionary or the catalog with no SQL.
	Info Outcome = "info"
	// Clarify: askdb needs the user to choose (Answer.Clarification)
	// rather than guess.
	Clarify Outcome = "clarification"
	// Failed: a fault (model down, database down) stopped the question.
	Failed Outcome = "failed"
)

// Answer is everything askdb knows about one question, ready for JSON.
type Answer struct {
	ID       string          `json:"id"`
	Question string          `json:"question"`
	Source   string          `json:"source"`
	Dialect  catalog.Dialect `json:"dialect,omitempty"`
	Outcome  Outcome         `json:"outcome"`
	// Message explains a refusal or failure in words for the user.
	Message string `json:"message,omitempty"`

	SQL         string            `json:"sql,omitempty"`
	Explanation string            `json:"explanation,omitempty"`
	Verdict     *sqlguard.Verdict `json:"verdict,omitempty"`
	// Verified is set when the source's EXPLAIN accepted the SQL. It is the
	// safe claim only (one read-only query the database can plan), never a
	// claim that the SQL answers the question: ChosenBy says how it was chosen.
	Verified bool `json:"verified"`
	// ChosenBy says how the SQL was chosen: a verified question, a metric
	// definition, the offline rules at some confidence, or a model.
	ChosenBy *ChosenBy `json:"chosen_by,omitempty"`

	Columns   []source.ResultColumn `json:"columns,omitempty"`
	Rows      [][]any               `json:"rows,omitempty"`
	RowCount  int                   `json:"row_count"`
	Truncated bool                  `json:"truncated"`
	Summary   string                `json:"summary,omitempty"`
	// Chart is the chart that suits the rows, chosen by fixed rules on
	// column types and cardinalities (kind "none" when no chart helps).
	Chart *chart.Spec `json:"chart,omitempty"`
	// ConversationID groups follow-up questions.
	ConversationID string `json:"conversation_id,omitempty"`

	// Intent is what the question asked for; Domains the business domains it named.
	Intent  Intent   `json:"intent,omitempty"`
	Domains []string `json:"domains,omitempty"`
	// Tables are the tables retrieval linked to the question.
	Tables []string `json:"tables,omitempty"`
	// Route says how the source was chosen when the question named none:
	// the decision, the reason and the matching tables of each candidate.
	Route *route.Decision `json:"route,omitempty"`
	// Clarification is set when Outcome is Clarify.
	Clarification *Clarification `json:"clarification,omitempty"`
	// Bank is set when the answer came from the question bank.
	Bank *BankHit `json:"bank,omitempty"`

	// Engine is what wrote the SQL: "bank", "metric", "offline", "model" or "user".
	Engine     string        `json:"engine,omitempty"`
	Steps      []trace.Step  `json:"steps"`
	Tokens     trace.Tokens  `json:"tokens"`
	ModelCalls int           `json:"model_calls"`
	CreatedAt  time.Time     `json:"created_at"`
	Duration   time.Duration `json:"duration_ns"`
}

// Kinds of ChosenBy: how the SQL of an answer was chosen.
const (
	ChosenByBank    = "bank"    // a verified question from the knowledge files or feedback
	ChosenByMetric  = "metric"  // a metric's definition from the metrics dictionary
	ChosenByOffline = "offline" // the offline engine's rules
	ChosenByModel   = "model"   // a language model
	ChosenByUser    = "user"    // SQL the user wrote (askdb sql, execute_sql)
)

// ChosenBy is how the SQL of an answer was chosen, kept apart from the
// safe claim (Answer.Verified) so that neither reads as the other.
type ChosenBy struct {
	// Kind is one of the ChosenBy* constants.
	Kind string `json:"kind"`
	// Confidence is the offline engine's confidence in its reading, in [0, 1];
	// only set for Kind offline.
	Confidence float64 `json:"confidence,omitempty"`
	// Label says it in words for a badge or a CLI line: "verified question
	// "…"", "metric: headcount (hr): employees who still work here",
	// "offline rules, confidence 0.93", "model: <model id>".
	Label string `json:"label"`
}
