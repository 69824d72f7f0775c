package source

import (
	"errors"
	"fmt"
)

// Sentinel errors callers act on.
var (
	// ErrReadOnly means the database refused a write because the query ran
	// in a read-only transaction or session.
	ErrReadOnly = errors.New("the database refused to write: askdb runs every query read-only")
	// ErrTimeout means the query ran past its time limit and was stopped.
	ErrTimeout = errors.New("query ran past its time limit and was stopped")
	// ErrEmptyQuery means there was no SQL to run.
	ErrEmptyQuery = errors.New("empty SQL statement")
	// ErrUnreachable means the database could not be reached.
	ErrUnreachable = errors.New("database unreachable")
	// ErrAuth means the database rejected the credentials.
	ErrAuth = errors.New("database rejected the credentials")
)

// EngineError is an error reported by the database engine itself, kept
// verbatim so that a model can repair its SQL from it.
type EngineError struct {
	Source  string
	Op      string // "explain" or "query"
	Message string // the engine's own message
	Code    string // SQLSTATE or engine error number, when known
	Err     error
}

func (e *EngineError) Error() string {
	if e.Code != "" {
		return fmt.Sprintf("source %q: %s: %s (%s)", e.Source, e.Op, e.Message, e.Code)
	}
	return fmt.Sprintf("source %q: %s: %s", e.Source, e.Op, e.Message)
}

func (e *EngineError) Unwrap() error { return e.Err }

// Repairable reports whether err is the engine rejecting the SQL itself
// (an unknown column, a type error): a model can fix its query from the
// message. Timeouts, refused writes and lost connections are not.
func Repairable(err error) bool {
	var ee *EngineError
	return errors.As(err, &ee) && !errors.Is(err, ErrTimeout) && !errors.Is(err, ErrReadOnly) && !errors.Is(err, ErrUnreachable)
}

// ErrNotAllowed means the source refused a query outside what it runs:
// more than one statement, or a function, table function or file read not
// on its allowlist.
var ErrNotAllowed = errors.New("the source refused the query: askdb runs one SELECT over allowed functions and tables")
