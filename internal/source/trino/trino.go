package trino

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	trino "github.com/trinodb/trino-go-client/trino"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/source/sqlbase"
)

// Source is a Trino catalog.
type Source struct {
	*sqlbase.Base
	name    string
	cfg     config.Source
	catalog string // the DSN's catalog, whose information_schema is introspected
	schema  string // the DSN's schema, introspected when schemas: is empty
	version string
}

var _ source.Source = (*Source)(nil)

// Open connects to a Trino coordinator and checks it within the connect
// timeout by reading its version.
func Open(ctx context.Context, name string, cfg config.Source, opts source.Options) (source.Source, error) {
	conf, err := parseDSN(cfg.DSN)
	if err != nil {
		return nil, fmt.Errorf("dsn: %w", err)
	}
	if err := needUser(conf.ServerURI); err != nil {
		return nil, fmt.Errorf("dsn: %w", err)
	}
	if u, _ := url.Parse(cfg.DSN); u.Query().Get("source") == "" {
		conf.Source = defaultSource // the client would say trino-go-client
	}
	connector, err := trino.NewConnector(conf)
	if err != nil {
		return nil, fmt.Errorf("dsn: %w", err)
	}
	s := &Source{name: name, cfg: cfg, catalog: conf.Catalog, schema: conf.Schema}
	hooks := sqlbase.Hooks{Session: session, Classify: classify, ConnectError: connectError, Plan: sqlbase.Lines}
	s.Base, err = sqlbase.Open(ctx, name, cfg, connector, hooks, func(ctx context.Context, db *sql.DB) error {
		return db.QueryRowContext(ctx, "SELECT version()").Scan(&s.version)
	})
	if err != nil {
		return nil, err
	}
	opts.Logger.Debug("trino source open", "source", name, "catalog", s.catalog, "version", s.version)
	return s, nil
}

// Name implements source.Source.
func (s *Source) Name() string { return s.name }

// Dialect implements source.Source.
func (s *Source) Dialect() catalog.Dialect { return catalog.Trino }

// Explain implements source.Source: EXPLAIN (TYPE VALIDATE) first, which
// analyses the statement (names, types, access rights) without planning
// it, so that a wrong column comes back as the engine's own message; then
// EXPLAIN for the plan. Both run in the read-only session.
func (s *Source) Explain(ctx context.Context, query string) (string, error) {
	if strings.TrimSpace(query) == "" {
		return "", fmt.Errorf("source %q: explain: %w", s.name, source.ErrEmptyQuery)
	}
	var plan string
	err := s.ReadOnly(ctx, "explain", source.LimitsFor(s.cfg).Timeout, func(ctx context.Context, q sqlbase.Querier) error {
		if err := drain(ctx, q, "EXPLAIN (TYPE VALIDATE) "+query); err != nil {
			return err
		}
		rows, err := q.QueryContext(ctx, "EXPLAIN "+query)
		if err != nil {
			return err
		}
		defer rows.Close()
		plan, err = sqlbase.Lines(ctx, rows)
		return err
	})
	return plan, err
}

// drain runs query and reads its rows to the end, so that an error the
// engine reports only with the last page is seen.
func drain(ctx context.Context, q sqlbase.Querier, query string) error {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
	}
	return rows.Err()
}

// Trino's error names that askdb acts on (io.trino.spi.StandardErrorCode).
const (
	errReadOnlyViolation = "READ_ONLY_VIOLATION"
	errPermissionDenied  = "PERMISSION_DENIED"
	errTimeLimit         = "EXCEEDED_TIME_LIMIT"
	errMemoryLimit       = "EXCEEDED_LOCAL_MEMORY_LIMIT"
	errGlobalMemory      = "EXCEEDED_GLOBAL_MEMORY_LIMIT"
	errCanceled          = "USER_CANCELED"
	errAbandoned         = "ABANDONED_QUERY"
	errServerShutting    = "SERVER_SHUTTING_DOWN"
	errNoNodes           = "NO_NODES_AVAILABLE"
)

// writeDenied matches the access-denied messages of Trino's access
// control for statements that would change data or metadata.
var writeDenied = []string{
	"Cannot insert", "Cannot delete", "Cannot update", "Cannot merge", "Cannot truncate",
	"Cannot create", "Cannot drop", "Cannot rename", "Cannot add", "Cannot set",
	"Cannot comment", "Cannot grant", "Cannot revoke", "Cannot execute procedure",
	"Cannot execute table procedure", "Cannot refresh",
}

// classify reads what askdb acts on from the client's errors.
func classify(err error) sqlbase.DriverError {
	var te *trino.ErrTrino
	if errors.As(err, &te) {
		d := sqlbase.DriverError{Engine: true, Message: te.Message, Code: te.ErrorName}
		switch te.ErrorName {
		case errReadOnlyViolation:
			d.ReadOnly = true
		case errPermissionDenied:
			d.ReadOnly = deniesWrite(te.Message)
		case errTimeLimit:
			d.Timeout = true
		case errMemoryLimit, errGlobalMemory:
			d.Limit = &source.LimitError{Err: source.ErrMemoryLimit, Cause: err}
		case errAbandoned, errServerShutting, errNoNodes:
			d.Lost = true
		}
		return d
	}
	var qf *trino.ErrQueryFailed
	if errors.As(err, &qf) || isNetError(err) {
		return sqlbase.DriverError{Conn: true}
	}
	return sqlbase.DriverError{}
}

func deniesWrite(msg string) bool {
	_, rest, ok := strings.Cut(msg, "Access Denied: ")
	if !ok || strings.Contains(rest, "session property") {
		return false // a session property is not a write; the admin's rules refuse it
	}
	for _, p := range writeDenied {
		if strings.HasPrefix(rest, p) {
			return true
		}
	}
	return false
}

func isNetError(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, sql.ErrConnDone)
}

// connectError classifies a failure to reach or log in to the
// coordinator: HTTP 401 and 403 are the credentials, anything else is the
// server. The client's errors name the URL without the password.
func connectError(err error) error {
	var qf *trino.ErrQueryFailed
	if errors.As(err, &qf) && (qf.StatusCode == 401 || qf.StatusCode == 403) {
		return fmt.Errorf("%w: HTTP %d: %w", source.ErrAuth, qf.StatusCode, err)
	}
	var te *trino.ErrTrino
	if errors.As(err, &te) {
		return fmt.Errorf("%w: %s", source.ErrUnreachable, te.Message)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		// The client retries a refused or reset connection until the
		// connect timeout: the coordinator is unavailable, not a query slow.
		return fmt.Errorf("%w: no answer from the coordinator within the connect timeout (%v)", source.ErrUnreachable, err)
	}
	return fmt.Errorf("%w: %w", source.ErrUnreachable, err)
}
