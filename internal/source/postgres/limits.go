package postgres

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/source"
)

// messageOverhead is what a DataRow adds to its values: a column count and
// a 4-byte length per column, for up to 1600 columns (PostgreSQL's most).
const messageOverhead = 2 + 4*1600

// maxMessageLen bounds one protocol message from the server to the
// source's max_bytes plus a row's framing. pgx reads a whole DataRow into
// memory before any value is seen, so a 200 MB value cost 433 MB of RSS
// before source.ReadRows could refuse it; with the bound pgx refuses the
// message from its 5-byte header, before the body is allocated, and closes
// the connection (the rest of the message is never read). A row larger
// than max_bytes could never be returned anyway.
func maxMessageLen(cfg config.Source) int {
	_, maxBytes, _ := cfg.Limits()
	return int(min(maxBytes+messageOverhead, 1<<30))
}

// limitError maps pgx's refusal of an oversized message onto
// source.ErrValueTooLarge; ok is false for any other error.
func limitError(err error, maxBytes int64) (error, bool) {
	var tooLong *pgproto3.ExceededMaxBodyLenErr
	if !errors.As(err, &tooLong) {
		return nil, false
	}
	return &source.LimitError{Limit: maxBytes, Err: source.ErrValueTooLarge,
		Cause: fmt.Errorf("a %d-byte row from the server", tooLong.ActualBodyLen)}, true
}
