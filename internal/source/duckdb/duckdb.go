//go:build duckdb

package duckdb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/sqlguard"
)

// Source is DuckDB over a read-only snapshot of configured CSV and Parquet
// files, or over a .duckdb database file opened read-only.
type Source struct {
	name      string
	cfg       config.Source
	connector *duckdb.Connector
	db        *sql.DB
	log       *slog.Logger
	// snapshotDir is the private folder of the snapshot ("" for path:).
	snapshotDir string
	// dbPath and dbName are the database file the engine opened and the
	// name every connection must still see as current.
	dbPath, dbName string
	// locked is set once the engine is locked down; from then on every new
	// connection is verified (verifyConn) before it is used.
	locked atomic.Bool
	// functions extends the allowlist with the source's policy.functions
	// and the global guard.functions.duckdb.
	functions map[string]bool
	// running counts the executions of run, including those its watchdog
	// gave up waiting for; Close waits for them.
	running sync.WaitGroup
	// stopping counts the calls run gave up on that have not returned yet.
	stopping atomic.Int32
}

var (
	_ source.Source  = (*Source)(nil)
	_ source.Factory = New
)

// New copies cfg.Files into a snapshot database in a private temporary
// folder (or takes cfg.Path as it is), opens that database read-only, and
// locks the engine so that queries cannot read or write any file.
func New(ctx context.Context, name string, cfg config.Source, opts source.Options) (source.Source, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	switch {
	case cfg.Path != "" && len(cfg.Files) > 0:
		return nil, errPathAndFiles
	case cfg.Path == "" && len(cfg.Files) == 0:
		return nil, errNothing
	}
	if err := checkFiles(cfg); err != nil {
		return nil, err
	}
	s := &Source{name: name, cfg: cfg, log: log.With("source", name, "kind", Kind), functions: map[string]bool{}}
	for _, f := range append(cfg.Policy.Functions, opts.Functions[string(catalog.DuckDB)]...) {
		s.functions[strings.ToLower(strings.TrimSpace(f))] = true
	}
	path := cfg.Path
	if len(cfg.Files) > 0 {
		start := time.Now()
		dir, err := buildSnapshot(ctx, cfg.Files)
		if err != nil {
			return nil, err
		}
		s.snapshotDir, path = dir, filepath.Join(dir, snapshotFile)
		s.log.Debug("duckdb snapshot built", "dir", dir, "tables", len(cfg.Files), "took", time.Since(start))
	}
	if err := s.open(ctx, path); err != nil {
		return nil, errors.Join(err, s.Close())
	}
	s.log.Debug("duckdb source opened", "path", path)
	return s, nil
}

// open opens path read-only with file access off from the start, locks
// the engine on one connection (the settings are global, so they hold for
// every connection after it), and only then hands out the pool.
func (s *Source) open(ctx context.Context, path string) error {
	connector, err := duckdb.NewConnector(dsn(path), s.verifyConn)
	if err != nil {
		return fmt.Errorf("open duckdb database %q: %w", path, err)
	}
	s.connector, s.dbPath = connector, path
	if err := s.lockDown(ctx); err != nil {
		return err
	}
	s.locked.Store(true)
	s.db = sql.OpenDB(connector)
	// No connection is reused: TEMP tables, USE and SET search_path are
	// per connection, so a statement that slipped past every check cannot
	// leave anything behind for a later query to see.
	s.db.SetMaxIdleConns(0)
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("open duckdb database %q: %w", path, err)
	}
	return nil
}

// dsn opens path with access_mode=READ_ONLY and with external access and
// extensions off from the start, for every connection.
// DuckDB still allows its own database file (and its .wal) as a path;
// lockDown closes that.
func dsn(path string) string {
	q := extensionsOff()
	q.Set("access_mode", "READ_ONLY")
	q.Set("enable_external_access", "false")
	return path + "?" + q.Encode()
}

// extensionsOff never installs or loads an extension on demand.
func extensionsOff() url.Values {
	q := url.Values{}
	q.Set("autoinstall_known_extensions", "false")
	q.Set("autoload_known_extensions", "false")
	q.Set("allow_community_extensions", "false")
	return q
}

// lockdown is run once per database instance, after the read-only open.
// enable_external_access=false still lets a query write the database file
// itself (COPY ... TO it with USE_TMP_FILE false overwrites it), so the
// local file system is disabled outright; the file stays readable through
// the handle DuckDB opened at start. That also means no spill files: a
// query that needs more than memory_limit fails. Then the configuration is
// locked.
var lockdown = []string{
	"SET disabled_filesystems = 'LocalFileSystem'",
	"SET lock_configuration = true",
}

func (s *Source) lockDown(ctx context.Context) error {
	conn, err := s.connector.Connect(ctx)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close()
	var locked bool
	err = queryRows(ctx, conn.(driver.QueryerContext), "SELECT current_setting('lock_configuration'), current_database()", func(v []driver.Value) {
		locked, _ = v[0].(bool)
		s.dbName = fmt.Sprint(v[1])
	})
	if err != nil {
		return err
	}
	if locked {
		return fmt.Errorf("database file %q is already open in this process by another duckdb source", s.cfg.Path)
	}
	for _, stmt := range append(limitSettings(s.cfg), lockdown...) {
		if _, err := conn.(driver.ExecerContext).ExecContext(ctx, stmt, nil); err != nil {
			return fmt.Errorf("%s: %w", stmt, err)
		}
	}
	return nil
}

// lockedSQL is true on a connection of a locked-down engine that still has
// its database. current_setting('disabled_filesystems') reads back empty
// in DuckDB 1.4, so probeSQL checks that one by trying it.
const lockedSQL = `SELECT current_setting('lock_configuration') AND lower(current_setting('access_mode')) = 'read_only'
	AND NOT current_setting('enable_external_access') AND current_database() = `

// probeSQL lists the database file itself, the one path DuckDB still
// allows with external access off; it must fail with the local file
// system disabled.
const probeSQL = "SELECT count(*) FROM glob("

// verifyConn runs on every new connection once the engine is locked, so
// that a pool connection is never used unless the lockdown holds on it. A
// database detached by an earlier statement fails here too: the source
// then refuses queries instead of running them elsewhere.
func (s *Source) verifyConn(ex driver.ExecerContext) error {
	if !s.locked.Load() {
		return nil // the lockDown connection itself
	}
	err := s.verify(ex.(driver.QueryerContext))
	if err != nil {
		if c, ok := ex.(io.Closer); ok {
			c.Close() // the driver does not close a connection it fails to set up
		}
		return fmt.Errorf("%w: connection refused: %w", source.ErrNotAllowed, err)
	}
	return nil
}

func (s *Source) verify(q driver.QueryerContext) error {
	ctx := context.Background()
	ok := false
	if err := queryRows(ctx, q, lockedSQL+quoteString(s.dbName), func(v []driver.Value) { ok, _ = v[0].(bool) }); err != nil {
		return err
	}
	if !ok {
		return errors.New("the engine is not locked down")
	}
	err := queryRows(ctx, q, probeSQL+quoteString(s.dbPath)+")", func([]driver.Value) {})
	if err == nil || !strings.Contains(err.Error(), "disabled by configuration") {
		return fmt.Errorf("the local file system is not disabled (probe: %v)", err)
	}
	return nil
}

// Name implements source.Source.
func (s *Source) Name() string { return s.name }

// Dialect implements source.Source.
func (s *Source) Dialect() catalog.Dialect { return catalog.DuckDB }

// Ping implements source.Source.
func (s *Source) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("source %q: ping: %w: %w", s.name, source.ErrUnreachable, err)
	}
	return nil
}

// Close implements source.Source. It removes the snapshot folder; a process
// that crashes leaves it in the OS temporary directory (askdb-duckdb-*).
func (s *Source) Close() error {
	var errs []error
	s.running.Wait() // queries the watchdog gave up on still hold connections
	if s.db != nil {
		errs = append(errs, s.db.Close())
	}
	if s.connector != nil {
		errs = append(errs, s.connector.Close())
	}
	if s.snapshotDir != "" {
		errs = append(errs, os.RemoveAll(s.snapshotDir))
	}
	return errors.Join(errs...)
}

// Explain implements source.Source: the statement passes the same check as
// a query, then EXPLAIN (never ANALYZE) runs in a read-only transaction.
func (s *Source) Explain(ctx context.Context, query string) (string, error) {
	if strings.TrimSpace(query) == "" {
		return "", fmt.Errorf("source %q: explain: %w", s.name, source.ErrEmptyQuery)
	}
	if err := s.check(ctx, "explain", query); err != nil {
		return "", err
	}
	lim := source.LimitsFor(s.cfg)
	lim.MaxRows = 10_000
	res, err := s.run(ctx, "explain", "EXPLAIN "+query, lim)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, row := range res.Rows {
		if len(row) > 0 {
			b.WriteString(source.FormatValue(row[len(row)-1])) // explain_key, explain_value
			b.WriteString("\n")
		}
	}
	return b.String(), nil
}

// Query implements source.Source: DuckDB's own parser must see one SELECT
// over allowed functions (check), then it runs read-only within lim.
func (s *Source) Query(ctx context.Context, query string, lim source.Limits) (*source.Result, error) {
	if strings.TrimSpace(query) == "" {
		return nil, fmt.Errorf("source %q: query: %w", s.name, source.ErrEmptyQuery)
	}
	if err := s.check(ctx, "query", query); err != nil {
		return nil, err
	}
	return s.run(ctx, "query", query, lim)
}

// check is the second guard layer: json_serialize_sql, walked by checkSerialized.
func (s *Source) check(ctx context.Context, op, query string) error {
	var doc string
	if err := s.db.QueryRowContext(ctx, "SELECT CAST(json_serialize_sql(CAST(? AS VARCHAR)) AS VARCHAR)", query).Scan(&doc); err != nil {
		return fmt.Errorf("source %q: %s: check the statement: %w", s.name, op, err)
	}
	err := checkSerialized(doc, s.allowed)
	var pe *parseError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &pe):
		return &source.EngineError{Source: s.name, Op: op, Message: pe.msg, Err: err}
	}
	return fmt.Errorf("source %q: %s: %w", s.name, op, err)
}

func (s *Source) allowed(name string) bool {
	return sqlguard.FunctionAllowed(catalog.DuckDB, name) || s.functions[name]
}

// execute runs query on one connection inside BEGIN TRANSACTION READ ONLY,
// always rolled back, with a deadline that interrupts DuckDB. It is the
// engine layer alone: it does not check the statement. run calls it under
// a watchdog.
func (s *Source) execute(ctx context.Context, op, query string, lim source.Limits) (*source.Result, error) {
	lim = lim.WithDefaults()
	qctx, cancel := context.WithTimeout(ctx, lim.Timeout)
	defer cancel()
	start := time.Now()
	conn, err := s.db.Conn(qctx)
	if err != nil {
		return nil, s.queryError(ctx, qctx, op, lim, err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(qctx, "BEGIN TRANSACTION READ ONLY"); err != nil {
		return nil, s.queryError(ctx, qctx, op, lim, err)
	}
	res, err := func() (*source.Result, error) {
		rows, err := conn.QueryContext(qctx, query)
		if err != nil {
			return nil, err
		}
		return source.ReadRows(qctx, rows, lim)
	}()
	if rbErr := s.rollback(conn); rbErr != nil && err == nil {
		err = rbErr
	}
	if err != nil {
		return nil, s.queryError(ctx, qctx, op, lim, err)
	}
	res.Duration = time.Since(start)
	return res, nil
}

// errTxEnded means the statement ended askdb's read-only transaction
// itself (COMMIT, ROLLBACK); the connection is discarded.
var errTxEnded = errors.New("the statement ended askdb's read-only transaction")

// rollback ends the read-only transaction. When that fails the statement
// left the connection in a state askdb did not set up, so the connection
// is closed instead of going back to the pool.
func (s *Source) rollback(conn *sql.Conn) error {
	if _, err := conn.ExecContext(context.Background(), "ROLLBACK"); err != nil {
		_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		return fmt.Errorf("%w: %w: %w", source.ErrReadOnly, errTxEnded, err)
	}
	return nil
}

// queryError maps an error: the caller's cancellation stays
// context.Canceled, the query's own deadline becomes ErrTimeout, refusals
// by the read-only transaction or the locked engine wrap ErrReadOnly or
// ErrNotAllowed, and the rest is the engine's message verbatim.
func (s *Source) queryError(ctx, qctx context.Context, op string, lim source.Limits, err error) error {
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("source %q: %s: %w", s.name, op, ctx.Err())
	case errors.Is(qctx.Err(), context.DeadlineExceeded):
		return fmt.Errorf("source %q: %s stopped after %s: %w", s.name, op, lim.Timeout, source.ErrTimeout)
	case errors.Is(err, errTxEnded):
		return fmt.Errorf("source %q: %s: %w", s.name, op, err)
	}
	var de *duckdb.Error
	if !errors.As(err, &de) {
		return fmt.Errorf("source %q: %s: %w", s.name, op, err)
	}
	if de.Type == duckdb.ErrorTypeOutOfMemory {
		return fmt.Errorf("source %q: %s: %w", s.name, op,
			&source.LimitError{Limit: s.cfg.EffectiveMaxMemory(), Err: source.ErrMemoryLimit, Cause: errors.New(firstLine(de.Msg))})
	}
	e := &source.EngineError{Source: s.name, Op: op, Message: de.Msg, Err: err}
	switch {
	case strings.Contains(de.Msg, "read-only mode"):
		e.Err = fmt.Errorf("%w: %w", source.ErrReadOnly, err)
	case de.Type == duckdb.ErrorTypePermission, strings.Contains(de.Msg, "configuration has been locked"):
		e.Err = fmt.Errorf("%w: %w", source.ErrNotAllowed, err)
	}
	return e
}
