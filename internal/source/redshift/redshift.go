package redshift

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/source/postgres"
	"github.com/askdb/askdb/internal/source/sqlbase"
)

// Kind is the source kind this package registers.
const Kind = "redshift"

func init() { source.Register(Kind, kind) }

// Source is a connected Redshift database, over either API. Ping, Close,
// Query and Explain are sqlbase's.
type Source struct {
	*sqlbase.Base
	name string
	cfg  config.Source
	addr string // the endpoint, cluster or workgroup, for messages
	log  *slog.Logger
}

var (
	_ source.Source  = (*Source)(nil)
	_ source.Factory = Open
)

// Open connects over the wire protocol or the Data API, as the DSN says.
func Open(ctx context.Context, name string, cfg config.Source, opts source.Options) (source.Source, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Source{name: name, cfg: cfg, log: log.With("source", name, "kind", Kind)}
	if isDataAPI(cfg.DSN) {
		return s, s.openData(ctx)
	}
	return s, s.openWire(ctx)
}

// sessionSQL makes every later transaction of a connection read-only: a
// second layer under the BEGIN READ ONLY of each query.
const sessionSQL = "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"

// errNotPinned means a connection could not be made read-only.
var errNotPinned = errors.New("the session could not be made read-only")

func (s *Source) openWire(ctx context.Context) error {
	pgcfg, err := pgx.ParseConfig(wireDSN(s.cfg.DSN))
	if err != nil {
		return fmt.Errorf("parse dsn: %w", err) // pgconn redacts the password
	}
	pgcfg.ConnectTimeout = s.cfg.EffectiveConnectTimeout()
	_, maxBytes, _ := s.cfg.Limits()
	// pgx refuses a message larger than this from its header, before the
	// body is read into memory (see the postgres kind's limits.go).
	pgcfg.MaxProtocolMessageBodyLen = int(min(maxBytes+2+4*1600, 1<<30))
	pgcfg.BuildContextWatcherHandler = func(c *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{Conn: c, DeadlineDelay: 2 * time.Second}
	}
	s.addr = net.JoinHostPort(pgcfg.Host, strconv.Itoa(int(pgcfg.Port)))
	pin := func(ctx context.Context, c *pgx.Conn) error {
		if _, err := c.Exec(ctx, sessionSQL); err != nil {
			return fmt.Errorf("%w: %w", errNotPinned, err)
		}
		return nil
	}
	hooks := sqlbase.Hooks{Session: s.wireSession, Classify: s.classify, ConnectError: s.connectError, Plan: sqlbase.Lines}
	s.Base, err = sqlbase.Open(ctx, s.name, s.cfg, stdlib.GetConnector(*pgcfg, stdlib.OptionAfterConnect(pin)), hooks, nil)
	return err
}

// wireSession runs fn on one pooled connection inside BEGIN READ ONLY with
// statement_timeout, then rolls back and resets the session to its read-only
// start, or discards the connection when it cannot.
func (s *Source) wireSession(ctx context.Context, db *sql.DB, timeout time.Duration, fn func(context.Context, sqlbase.Querier) error) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	defer s.clean(conn)
	ms := strconv.FormatInt(max(timeout.Milliseconds(), 1), 10)
	if _, err := conn.ExecContext(ctx, "BEGIN READ ONLY; SET statement_timeout TO "+ms); err != nil {
		return err
	}
	return fn(ctx, conn)
}

// cleanSQL ends a query: the transaction, then any setting changed outside
// it, back to the read-only session it started as.
const cleanSQL = "ROLLBACK; RESET ALL; " + sessionSQL

func (s *Source) clean(conn *sql.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if _, err := conn.ExecContext(ctx, cleanSQL); err != nil {
		s.log.Debug("discarding a connection that could not be cleaned", "err", err)
		sqlbase.Discard(conn)
	}
}

// connectError classifies a failure to connect over the wire, as the
// postgres kind does.
func (s *Source) connectError(err error) error {
	return postgres.ConnectError(s.addr, err, errNotPinned)
}

// classify reads a pgx error for sqlbase, as the postgres kind does.
func (s *Source) classify(err error) sqlbase.DriverError {
	return postgres.Classify(err, source.LimitsFor(s.cfg).MaxBytes)
}

// Name implements source.Source.
func (s *Source) Name() string { return s.name }

// Dialect implements source.Source: PostgreSQL's, with the Redshift
// profile named in the catalog.
func (s *Source) Dialect() catalog.Dialect { return catalog.Postgres }
