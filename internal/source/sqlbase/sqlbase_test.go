package sqlbase_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	sqlite3 "github.com/mattn/go-sqlite3"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/source/sqlbase"
)

// open builds a Base over a real SQLite database (the mattn driver), with
// hooks as a kind would write them: a read-only transaction per query and
// the driver's errors read for the base.
func open(t *testing.T) *sqlbase.Base {
	t.Helper()
	path := filepath.Join(t.TempDir(), "t.db")
	setup, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := setup.Exec("CREATE TABLE t (id INTEGER, name TEXT); INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')"); err != nil {
		t.Fatal(err)
	}
	setup.Close()
	hooks := sqlbase.Hooks{
		Session: func(ctx context.Context, db *sql.DB, _ time.Duration, fn func(context.Context, sqlbase.Querier) error) error {
			tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
			if err != nil {
				return err
			}
			defer tx.Rollback() //nolint:errcheck // read-only
			return fn(ctx, tx)
		},
		Classify: func(err error) sqlbase.DriverError {
			var se sqlite3.Error
			if !errors.As(err, &se) {
				return sqlbase.DriverError{}
			}
			return sqlbase.DriverError{Engine: true, Message: se.Error(), ReadOnly: se.Code == sqlite3.ErrReadonly}
		},
		ConnectError: func(err error) error { return errors.Join(source.ErrUnreachable, err) },
		Plan: func(_ context.Context, rows *sql.Rows) (string, error) {
			var lines []string
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					return "", err
				}
				lines = append(lines, detail)
			}
			return strings.Join(lines, "\n"), rows.Err()
		},
	}
	connector := dsnConnector{dsn: "file:" + path + "?mode=ro", d: &sqlite3.SQLiteDriver{}}
	b, err := sqlbase.Open(t.Context(), "t", config.Source{}, connector, hooks, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

type dsnConnector struct {
	dsn string
	d   driver.Driver
}

func (c dsnConnector) Connect(context.Context) (driver.Conn, error) { return c.d.Open(c.dsn) }
func (c dsnConnector) Driver() driver.Driver                        { return c.d }

func TestQueryWithinLimits(t *testing.T) {
	b := open(t)
	res, err := b.Query(t.Context(), "SELECT id FROM t ORDER BY id", source.Limits{MaxRows: 2})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([][]any{{int64(1)}, {int64(2)}}, res.Rows); diff != "" || !res.Truncated {
		t.Errorf("rows (-want +got):\n%s truncated=%v", diff, res.Truncated)
	}
	if err := b.Ping(t.Context()); err != nil {
		t.Errorf("Ping = %v", err)
	}
}

func TestQueryErrors(t *testing.T) {
	b := open(t)
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	tests := []struct {
		name  string
		ctx   context.Context
		query string
		check func(error) bool
	}{
		{"empty", t.Context(), "  ", func(err error) bool { return errors.Is(err, source.ErrEmptyQuery) }},
		{"engine message kept for repair", t.Context(), "SELECT nope FROM t", func(err error) bool {
			var ee *source.EngineError
			return errors.As(err, &ee) && strings.Contains(ee.Message, "no such column: nope") && source.Repairable(err)
		}},
		{"refused write", t.Context(), "INSERT INTO t VALUES (4, 'd')", func(err error) bool { return errors.Is(err, source.ErrReadOnly) }},
		{"cancelled by the caller", cancelled, "SELECT 1", func(err error) bool {
			return errors.Is(err, context.Canceled) && !errors.Is(err, source.ErrTimeout)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := b.Query(tt.ctx, tt.query, source.Limits{})
			if err == nil || !tt.check(err) || !strings.Contains(err.Error(), `source "t"`) {
				t.Errorf("Query(%q) = %v", tt.query, err)
			}
		})
	}
}

// TestQueryDeadline: a query that outlives its limit (plus the grace the
// engine's own limit gets) is ErrTimeout, naming the limit.
func TestQueryDeadline(t *testing.T) {
	b := open(t)
	const slow = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c"
	_, err := b.Query(t.Context(), slow, source.Limits{Timeout: 10 * time.Millisecond})
	if !errors.Is(err, source.ErrTimeout) || !strings.Contains(err.Error(), "10ms") {
		t.Errorf("Query = %v, want ErrTimeout naming 10ms", err)
	}
}

func TestExplain(t *testing.T) {
	b := open(t)
	plan, err := b.Explain(t.Context(), "QUERY PLAN SELECT * FROM t WHERE id = 1")
	if err != nil || !strings.Contains(plan, "SCAN t") {
		t.Errorf("Explain = %q, %v", plan, err)
	}
}
