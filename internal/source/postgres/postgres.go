package postgres

import (
	"context"
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
	"github.com/askdb/askdb/internal/source/sqlbase"
)

// Kind is the source kind this package registers.
const Kind = "postgres"

// PostgreSQL SQLSTATE codes askdb acts on.
const (
	codeReadOnly       = "25006" // read_only_sql_transaction
	codeQueryCanceled  = "57014" // query_canceled (statement_timeout, cancel request)
	codeInvalidPass    = "28P01" // invalid_password
	codeInvalidAuthSpc = "28000" // invalid_authorization_specification
)

func init() { source.Register(Kind, kind) }

// Source is a connected PostgreSQL database. Ping, Close, Query and
// Explain are sqlbase's, over the hooks in session.go and errors below.
type Source struct {
	*sqlbase.Base
	name    string
	cfg     config.Source
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
	hooks := sqlbase.Hooks{Session: s.inSession, Classify: s.classify, ConnectError: s.connectError, Plan: sqlbase.Lines}
	connector := stdlib.GetConnector(*pgcfg, stdlib.OptionAfterConnect(pin.verify))
	if s.Base, err = sqlbase.Open(pingCtx, name, cfg, connector, hooks, nil); err != nil {
		return nil, err
	}
	s.log.Debug("connected", "addr", s.addr, "version", s.version)
	return s, nil
}

// connectError classifies a failure to connect. A connection whose session
// settings did not take is refused as such, not as unreachable.
func (s *Source) connectError(err error) error { return ConnectError(s.addr, err, errNotPinned) }

// ConnectError classifies a failure to connect to addr over the PostgreSQL
// wire protocol (this kind's and Redshift's): refused credentials are
// source.ErrAuth, a session that could not be made read-only (notPinned,
// the kind's own error) is itself, anything else is unreachable.
func ConnectError(addr string, err, notPinned error) error {
	var pgErr *pgconn.PgError
	switch {
	case errors.Is(err, notPinned):
		return fmt.Errorf("connect to %s: %w", addr, err)
	case errors.As(err, &pgErr) && (pgErr.Code == codeInvalidPass || pgErr.Code == codeInvalidAuthSpc):
		return fmt.Errorf("connect to %s: %w: %s", addr, source.ErrAuth, pgErr.Message)
	}
	return fmt.Errorf("connect to %s: %w: %w", addr, source.ErrUnreachable, err)
}

// Name implements source.Source.
func (s *Source) Name() string { return s.name }

// Dialect implements source.Source.
func (s *Source) Dialect() catalog.Dialect { return catalog.Postgres }

// classify reads a driver error for sqlbase.
func (s *Source) classify(err error) sqlbase.DriverError {
	return Classify(err, source.LimitsFor(s.cfg).MaxBytes)
}

// Classify reads a pgx error for sqlbase (this kind's and Redshift's): a
// message pgx refused for its size (over maxBytes), the SQLSTATEs askdb
// acts on, and connection failures.
func Classify(err error, maxBytes int64) sqlbase.DriverError {
	var d sqlbase.DriverError
	if le, ok := limitError(err, maxBytes); ok {
		d.Limit = le
		return d
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		d.Engine, d.Message, d.Code = true, pgErr.Message, pgErr.Code
		d.ReadOnly = pgErr.Code == codeReadOnly
		d.Timeout = pgErr.Code == codeQueryCanceled
		d.Lost = lostConnection(pgErr.Code)
	}
	d.Conn = isConnError(err)
	return d
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
