// Package sqlbase is the shared body of the database/sql sources
// (postgres, mysql, and the warehouses to come): opening the pool and
// checking it, Ping and Close, Query and Explain within row, byte and time
// limits with cancellation, and the order in which errors are mapped. A
// kind supplies what differs through Hooks: how a read-only session is
// set up and cleaned, how its driver's errors map onto askdb's sentinels,
// and how a plan reads.
//
// It imports source and config, never a driver, and nothing above source.
package sqlbase

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/source"
)

// Querier runs a query on one connection or in one transaction: *sql.Conn
// and *sql.Tx both are.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Hooks are what one kind adds to the base.
type Hooks struct {
	// Session runs fn in a read-only transaction (or session) on one
	// connection, with the engine's own time limit set to timeout, and
	// leaves the connection clean for the pool (or discards it).
	Session func(ctx context.Context, db *sql.DB, timeout time.Duration, fn func(context.Context, Querier) error) error
	// Classify reads what askdb acts on from a driver error; the base maps
	// it onto askdb's sentinels in one order for every kind (see queryError).
	Classify func(err error) DriverError
	// ConnectError classifies a failure to connect or ping, naming the
	// address but never the password (source.ErrAuth, source.ErrUnreachable).
	ConnectError func(err error) error
	// Plan reads the rows of "EXPLAIN <query>" into text.
	Plan func(ctx context.Context, rows *sql.Rows) (string, error)
}

// DeadlineGrace is how long the Go-side deadline waits past the engine's
// own time limit, so that the engine's clearer error wins the race.
const DeadlineGrace = time.Second

// Base implements Ping, Close, Query and Explain of source.Source over a
// *sql.DB; a kind embeds it and adds Name, Dialect and Introspect.
type Base struct {
	name  string
	cfg   config.Source
	db    *sql.DB
	hooks Hooks
}

// Open builds the pool over connector and checks it within the source's
// connect timeout with check (a ping, or a first query that also reads
// the server's version). On failure the pool is closed and the error
// classified by hooks.ConnectError.
func Open(ctx context.Context, name string, cfg config.Source, connector driver.Connector, hooks Hooks, check func(context.Context, *sql.DB) error) (*Base, error) {
	db := sql.OpenDB(connector)
	db.SetMaxIdleConns(4)
	db.SetConnMaxIdleTime(5 * time.Minute)
	ctx, cancel := context.WithTimeout(ctx, cfg.EffectiveConnectTimeout())
	defer cancel()
	if check == nil {
		check = func(ctx context.Context, db *sql.DB) error { return db.PingContext(ctx) }
	}
	if err := check(ctx, db); err != nil {
		db.Close()
		return nil, hooks.ConnectError(err)
	}
	return &Base{name: name, cfg: cfg, db: db, hooks: hooks}, nil
}

// DB is the pool, for the kind's own introspection.
func (b *Base) DB() *sql.DB { return b.db }

// Ping implements source.Source.
func (b *Base) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, b.cfg.EffectiveConnectTimeout())
	defer cancel()
	if err := b.db.PingContext(ctx); err != nil {
		return b.hooks.ConnectError(err)
	}
	return nil
}

// Close implements source.Source.
func (b *Base) Close() error { return b.db.Close() }

// Explain implements source.Source: EXPLAIN (never ANALYZE) in a read-only
// session within the source's time limit.
func (b *Base) Explain(ctx context.Context, query string) (string, error) {
	if strings.TrimSpace(query) == "" {
		return "", fmt.Errorf("source %q: explain: %w", b.name, source.ErrEmptyQuery)
	}
	var plan string
	err := b.ReadOnly(ctx, "explain", source.LimitsFor(b.cfg).Timeout, func(ctx context.Context, q Querier) error {
		rows, err := q.QueryContext(ctx, "EXPLAIN "+query)
		if err != nil {
			return err
		}
		defer rows.Close()
		plan, err = b.hooks.Plan(ctx, rows)
		return err
	})
	return plan, err
}

// Query implements source.Source.
func (b *Base) Query(ctx context.Context, query string, lim source.Limits) (*source.Result, error) {
	if strings.TrimSpace(query) == "" {
		return nil, fmt.Errorf("source %q: query: %w", b.name, source.ErrEmptyQuery)
	}
	lim = lim.WithDefaults()
	start := time.Now()
	var res *source.Result
	err := b.ReadOnly(ctx, "query", lim.Timeout, func(ctx context.Context, q Querier) error {
		rows, err := q.QueryContext(ctx, query)
		if err != nil {
			return err
		}
		res, err = source.ReadRows(ctx, rows, lim)
		return err
	})
	if err != nil {
		return nil, err
	}
	res.Duration = time.Since(start)
	return res, nil
}

// ReadOnly runs fn in the kind's read-only session with the engine's time
// limit and a Go-side deadline DeadlineGrace past it, and maps the error.
func (b *Base) ReadOnly(ctx context.Context, op string, timeout time.Duration, fn func(context.Context, Querier) error) error {
	ctx, cancel := context.WithTimeout(ctx, timeout+DeadlineGrace)
	defer cancel()
	err := b.hooks.Session(ctx, b.db, timeout, fn)
	if err == nil {
		return nil
	}
	return b.queryError(ctx, op, timeout, err)
}

// DriverError is what a kind's Classify reads from its driver's error.
type DriverError struct {
	// Engine is set when the engine itself reported the error: its
	// message verbatim and its code (SQLSTATE, error number).
	Engine        bool
	Message, Code string
	// ReadOnly: the engine refused a write. Timeout: the engine's own time
	// limit stopped the statement. Lost: the server or connection went away.
	ReadOnly, Timeout, Lost bool
	// Conn: a failure to reach the server (network, a dead connection),
	// classified again by Hooks.ConnectError.
	Conn bool
	// Limit is the *source.LimitError a driver's refusal maps to, if any.
	Limit error
}

// queryError maps a query's error, in one order for every kind: a result
// limit; a refused write (the answer even when the context then ended);
// the caller's cancellation; the engine's timeout, then the Go-side
// deadline; a lost connection; the engine's own message, kept verbatim so
// that a model can repair its SQL; a connection failure; anything else.
func (b *Base) queryError(ctx context.Context, op string, timeout time.Duration, err error) error {
	d := b.hooks.Classify(err)
	engine := func(wrapped error) error {
		return &source.EngineError{Source: b.name, Op: op, Message: d.Message, Code: d.Code, Err: wrapped}
	}
	switch {
	case d.Limit != nil:
		return fmt.Errorf("source %q: %s: %w", b.name, op, d.Limit)
	case d.Engine && d.ReadOnly:
		return engine(fmt.Errorf("%w: %w", source.ErrReadOnly, err))
	case errors.Is(ctx.Err(), context.Canceled):
		return fmt.Errorf("source %q: %s: %w", b.name, op, ctx.Err())
	case d.Engine && d.Timeout:
		return engine(fmt.Errorf("%w (limit %s): %w", source.ErrTimeout, timeout, err))
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return fmt.Errorf("source %q: %s: %w (limit %s)", b.name, op, source.ErrTimeout, timeout)
	case d.Engine && d.Lost:
		return engine(fmt.Errorf("%w: %w", source.ErrUnreachable, err))
	case d.Engine:
		return engine(err)
	case d.Conn:
		return fmt.Errorf("source %q: %s: %w", b.name, op, b.hooks.ConnectError(err))
	}
	return fmt.Errorf("source %q: %s: %w", b.name, op, err)
}

// Lines is a Plan for engines whose EXPLAIN is one text column, a line per
// row (PostgreSQL, Redshift, Trino).
func Lines(_ context.Context, rows *sql.Rows) (string, error) {
	var lines []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return "", err
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n"), rows.Err()
}

// Discard makes database/sql close conn instead of pooling it.
func Discard(conn *sql.Conn) {
	_ = conn.Raw(func(any) error { return driver.ErrBadConn })
}
