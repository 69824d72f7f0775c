package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/source"
)

// Kind is the source kind this package registers.
const Kind = "postgres"

// deadlineGrace is how long the Go-side deadline waits past the server's
// statement_timeout, so that the server's own, clearer error wins the race.
const deadlineGrace = time.Second

// PostgreSQL SQLSTATE codes askdb acts on.
const (
	codeReadOnly       = "25006" // read_only_sql_transaction
	codeQueryCanceled  = "57014" // query_canceled (statement_timeout, cancel request)
	codeInvalidPass    = "28P01" // invalid_password
	codeInvalidAuthSpc = "28000" // invalid_authorization_specification
)

func init() { source.Register(Kind, kind) }

// Source is a connected PostgreSQL database.
type Source struct {
	name    string
	cfg     config.Source
	db      *sql.DB
	addr    string // host:port, for error messages (never the password)
	log     *slog.Logger
	version string
}

var (
	_ source.Source  = (*Source)(nil)
	_ source.Factory = Open
)

// Open connects to the database in cfg.DSN and checks it with a ping,
// bounded by cfg.EffectiveConnectTimeout().
func Open(ctx context.Context, name string, cfg config.Source, opts source.Options) (source.Source, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	pgcfg, err := pgx.ParseConfig(cfg.DSN)
	if err != nil {
		return nil, fmt.Errorf("parse dsn: %w", err) // pgconn redacts the password
	}
	timeout := cfg.EffectiveConnectTimeout()
	pgcfg.ConnectTimeout = timeout
	pgcfg.MaxProtocolMessageBodyLen = maxMessageLen(cfg)
	// Cancel on the server, not only on our side of the socket.
	pgcfg.BuildContextWatcherHandler = func(c *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{Conn: c, DeadlineDelay: 2 * time.Second}
	}
	s := &Source{
		name: name,
		cfg:  cfg,
		addr: net.JoinHostPort(pgcfg.Host, strconv.Itoa(int(pgcfg.Port))),
		log:  log.With("source", name, "kind", Kind),
	}
	pingCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	version, path, super, err := probe(pingCtx, pgcfg.Copy())
	if err != nil {
		return nil, s.connectError(err)
	}
	s.version = version
	if super {
		s.log.Warn("connected as a superuser: no privilege stops its functions (dblink, file access); use a read-only role")
	}
	pin := pinned{searchPath: pinnedSearchPath(path)}
	for k, v := range pin.params() {
		pgcfg.RuntimeParams[k] = v
	}
	s.db = stdlib.OpenDB(*pgcfg, stdlib.OptionAfterConnect(pin.verify))
	s.db.SetMaxIdleConns(4)
	s.db.SetConnMaxIdleTime(5 * time.Minute)
	if err := s.db.PingContext(pingCtx); err != nil {
		s.db.Close()
		if errors.Is(err, errNotPinned) {
			return nil, fmt.Errorf("connect to %s: %w", s.addr, err)
		}
		return nil, s.connectError(err)
	}
	s.log.Debug("connected", "addr", s.addr, "version", s.version)
	return s, nil
}

// connectError classifies a failure to connect.
func (s *Source) connectError(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && (pgErr.Code == codeInvalidPass || pgErr.Code == codeInvalidAuthSpc) {
		return fmt.Errorf("connect to %s: %w: %s", s.addr, source.ErrAuth, pgErr.Message)
	}
	return fmt.Errorf("connect to %s: %w: %w", s.addr, source.ErrUnreachable, err)
}

// Name implements source.Source.
func (s *Source) Name() string { return s.name }

// Dialect implements source.Source.
func (s *Source) Dialect() catalog.Dialect { return catalog.Postgres }

// Ping implements source.Source.
func (s *Source) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.EffectiveConnectTimeout())
	defer cancel()
	if err := s.db.PingContext(ctx); err != nil {
		return s.connectError(err)
	}
	return nil
}

// Close implements source.Source.
func (s *Source) Close() error { return s.db.Close() }

// Explain implements source.Source: EXPLAIN (never ANALYZE) in a read-only
// transaction; the plan comes back one line per row.
func (s *Source) Explain(ctx context.Context, query string) (string, error) {
	if strings.TrimSpace(query) == "" {
		return "", fmt.Errorf("source %q: explain: %w", s.name, source.ErrEmptyQuery)
	}
	var lines []string
	err := s.readOnly(ctx, "explain", source.LimitsFor(s.cfg).Timeout, func(ctx context.Context, conn *sql.Conn) error {
		rows, err := conn.QueryContext(ctx, "EXPLAIN "+query)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				return err
			}
			lines = append(lines, line)
		}
		return rows.Err()
	})
	return strings.Join(lines, "\n"), err
}

// Query implements source.Source.
func (s *Source) Query(ctx context.Context, query string, lim source.Limits) (*source.Result, error) {
	if strings.TrimSpace(query) == "" {
		return nil, fmt.Errorf("source %q: query: %w", s.name, source.ErrEmptyQuery)
	}
	lim = lim.WithDefaults()
	start := time.Now()
	var res *source.Result
	err := s.readOnly(ctx, "query", lim.Timeout, func(ctx context.Context, conn *sql.Conn) error {
		rows, err := conn.QueryContext(ctx, query)
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

// readOnly runs fn in a READ ONLY transaction with a server-side statement
// timeout and a Go-side deadline, cleans the session afterwards (see
// inSession), and maps the error.
func (s *Source) readOnly(ctx context.Context, op string, timeout time.Duration, fn func(context.Context, *sql.Conn) error) error {
	ctx, cancel := context.WithTimeout(ctx, timeout+deadlineGrace)
	defer cancel()
	err := s.inSession(ctx, timeout, fn)
	if err == nil {
		return nil
	}
	return s.queryError(ctx, op, timeout, err)
}

// queryError maps a driver error onto askdb's sentinels, keeping the
// engine's message verbatim in a *source.EngineError.
func (s *Source) queryError(ctx context.Context, op string, timeout time.Duration, err error) error {
	var pgErr *pgconn.PgError
	isPg := errors.As(err, &pgErr)
	engineErr := func(sentinel error) error {
		return &source.EngineError{Source: s.name, Op: op, Message: pgErr.Message, Code: pgErr.Code,
			Err: fmt.Errorf("%w: %w", sentinel, err)}
	}
	if le, ok := limitError(err, source.LimitsFor(s.cfg).MaxBytes); ok {
		return fmt.Errorf("source %q: %s: %w", s.name, op, le)
	}
	switch {
	case isPg && pgErr.Code == codeReadOnly:
		return engineErr(source.ErrReadOnly)
	case errors.Is(ctx.Err(), context.Canceled):
		return fmt.Errorf("source %q: %s: %w", s.name, op, ctx.Err())
	case isPg && pgErr.Code == codeQueryCanceled:
		return engineErr(fmt.Errorf("%w (limit %s)", source.ErrTimeout, timeout))
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return fmt.Errorf("source %q: %s: %w (limit %s)", s.name, op, source.ErrTimeout, timeout)
	case isPg && lostConnection(pgErr.Code):
		return engineErr(source.ErrUnreachable)
	case isPg:
		return &source.EngineError{Source: s.name, Op: op, Message: pgErr.Message, Code: pgErr.Code, Err: err}
	case isConnError(err):
		return fmt.Errorf("source %q: %s: %w", s.name, op, s.connectError(err))
	}
	return fmt.Errorf("source %q: %s: %w", s.name, op, err)
}

// lostConnection reports SQLSTATEs that mean the server or connection went
// away (class 08, and 57P01–57P05: shutdown, crash, cannot connect now),
// which no change to the SQL can fix.
func lostConnection(code string) bool {
	return strings.HasPrefix(code, "08") || strings.HasPrefix(code, "57P")
}

func isConnError(err error) bool {
	var ce *pgconn.ConnectError
	var ne net.Error
	return errors.As(err, &ce) || errors.As(err, &ne)
}
