package trino

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"time"

	"github.com/askdb/askdb/internal/source/sqlbase"
)

// sessionHeader is the request header of Trino's session properties; the
// client sends a named argument with a X-Trino- name as a header of that
// one statement, not as a parameter.
const sessionHeader = "X-Trino-Session"

// session runs fn in a START TRANSACTION READ ONLY transaction on one
// connection, every statement carrying query_max_run_time, and rolls back.
// Trino keeps the transaction on the coordinator, keyed by the
// X-Trino-Transaction-Id the client replays; a write inside it fails with
// READ_ONLY_VIOLATION whatever the user may do.
func session(ctx context.Context, db *sql.DB, timeout time.Duration, fn func(context.Context, sqlbase.Querier) error) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // the transaction only read; Trino may have aborted it already
	return fn(ctx, limited{q: tx, runTime: maxRunTime + "=" + duration(timeout)})
}

// limited adds the time limit to every statement of a session.
type limited struct {
	q       sqlbase.Querier
	runTime string
}

func (l limited) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return l.q.QueryContext(ctx, query, append(args, sql.Named(sessionHeader, l.runTime))...)
}

// duration renders d as a Trino duration ("1500ms", "30s"), rounded up to
// a millisecond: Trino refuses Go's "1m30s".
func duration(d time.Duration) string {
	ms := int64(math.Ceil(float64(d) / float64(time.Millisecond)))
	if ms%1000 == 0 {
		return fmt.Sprintf("%ds", ms/1000)
	}
	return fmt.Sprintf("%dms", ms)
}
