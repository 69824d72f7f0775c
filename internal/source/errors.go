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

// ErrValueTooLarge means one result value (or one row, where the engine
// hands a row over whole) is larger than the query's max_bytes. It is
// refused before the rest of the result is read; a *LimitError says which
// limit.
var ErrValueTooLarge = errors.New("a result value or row exceeds max_bytes")

// ErrMemoryLimit means the engine stopped the query because it needed more
// memory than askdb lets one query use.
var ErrMemoryLimit = errors.New("query exceeded its memory limit")

// ErrScanLimit means the query read more data than the source's cost
// guard allows (Athena's max_scanned_bytes or its workgroup's cutoff); a
// narrower query (a partition filter, fewer columns) may pass.
var ErrScanLimit = errors.New("query scanned more data than its max_scanned_bytes")

// LimitError is a query stopped by one of askdb's resource limits. It wraps
// ErrValueTooLarge, ErrMemoryLimit or ErrScanLimit, with the limit in bytes.
// Sources wrap it with their name, as every other query error.
type LimitError struct {
	Limit int64 // bytes
	Err   error // ErrValueTooLarge or ErrMemoryLimit
	Cause error // the engine's or driver's own error, when there is one
}

func (e *LimitError) Error() string {
	msg := fmt.Sprintf("%v (%s)", e.Err, FormatBytes(e.Limit))
	if e.Cause != nil {
		msg += ": " + e.Cause.Error()
	}
	return msg
}

// Unwrap returns the sentinel and the cause.
func (e *LimitError) Unwrap() []error {
	if e.Cause == nil {
		return []error{e.Err}
	}
	return []error{e.Err, e.Cause}
}

// FormatBytes renders n as people read limits: 16 MiB, 512 KiB, 100 B.
func FormatBytes(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}
