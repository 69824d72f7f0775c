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
	"path/filepath"
	"sort"
	"strings"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/sqlguard"
)

func init() { source.Register(Kind, New) }

// Source is DuckDB over configured CSV and Parquet files, and optionally a
// .duckdb database file opened read-only.
type Source struct {
	name      string
	cfg       config.Source
	connector *duckdb.Connector
	db        *sql.DB
	log       *slog.Logger
	// views create one TEMP VIEW per configured table on every connection.
	views []string
	// fileTables are the names of the configured file tables.
	fileTables map[string]bool
	// functions extends the allowlist with the source's policy.functions.
	functions map[string]bool
}

var (
	_ source.Source  = (*Source)(nil)
	_ source.Factory = New
)

// fileTable is one entry of files: after its glob is expanded.
type fileTable struct {
	name   string
	reader string // read_csv_auto or read_parquet
	files  []string
}

// New opens cfg.Path read-only (or an in-memory database when empty),
// exposes every entry of cfg.Files as a view, and then locks the engine
// down so that queries can read those files and nothing else.
func New(ctx context.Context, name string, cfg config.Source, opts source.Options) (source.Source, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := cfg.CheckFiles(name); err != nil {
		return nil, err
	}
	s := &Source{name: name, cfg: cfg, log: log.With("source", name, "kind", Kind), fileTables: map[string]bool{}, functions: map[string]bool{}}
	for _, f := range cfg.Policy.Functions {
		s.functions[strings.ToLower(strings.TrimSpace(f))] = true
	}
	connector, err := duckdb.NewConnector(dsn(cfg.Path), s.initConn)
	if err != nil {
		return nil, fmt.Errorf("open duckdb database %q: %w", cfg.Path, err)
	}
	s.connector = connector
	if err := s.setup(ctx); err != nil {
		connector.Close()
		return nil, err
	}
	s.db = sql.OpenDB(connector)
	s.db.SetMaxIdleConns(4)
	if err := s.db.PingContext(ctx); err != nil { // the first connection creates the views
		s.Close()
		return nil, fmt.Errorf("create views: %w", err)
	}
	s.log.Debug("duckdb source opened", "path", cfg.Path, "tables", len(s.views))
	return s, nil
}

// dsn opens path read-only, or an in-memory database. Extensions are never
// installed or loaded on demand.
func dsn(path string) string {
	q := url.Values{}
	q.Set("autoinstall_known_extensions", "false")
	q.Set("autoload_known_extensions", "false")
	if path == "" {
		return "?" + q.Encode()
	}
	q.Set("access_mode", "READ_ONLY")
	return path + "?" + q.Encode()
}

// initConn runs on every new connection: TEMP views live per connection,
// and a read-only database file cannot hold views of its own.
func (s *Source) initConn(ex driver.ExecerContext) error {
	for _, v := range s.views {
		if _, err := ex.ExecContext(context.Background(), v, nil); err != nil {
			return fmt.Errorf("%s: %w", v, err)
		}
	}
	return nil
}

// setup expands the globs with DuckDB's own glob(), builds the views and
// then restricts the engine: allowed_paths to exactly the matched files,
// no other external access, and a locked configuration.
func (s *Source) setup(ctx context.Context) error {
	conn, err := s.connector.Connect(ctx)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close()
	ex := conn.(driver.ExecerContext)
	q := conn.(driver.QueryerContext)
	var locked bool
	if err := queryRows(ctx, q, "SELECT current_setting('lock_configuration')", func(v []driver.Value) { locked, _ = v[0].(bool) }); err != nil {
		return err
	}
	if locked {
		return fmt.Errorf("database file %q is already open in this process by another duckdb source", s.cfg.Path)
	}
	tables, err := s.expand(ctx, q)
	if err != nil {
		return err
	}
	var allowed []string
	for _, t := range tables {
		s.fileTables[t.name] = true
		s.views = append(s.views, fmt.Sprintf("CREATE TEMP VIEW %s AS SELECT * FROM %s(%s)", quoteIdent(t.name), t.reader, stringList(t.files)))
		allowed = append(allowed, t.files...)
	}
	lockdown := []string{
		"SET allowed_paths = " + stringList(allowed),
		"SET enable_external_access = false",
		"SET allow_community_extensions = false",
		"SET lock_configuration = true",
	}
	for _, stmt := range lockdown {
		if _, err := ex.ExecContext(ctx, stmt, nil); err != nil {
			return fmt.Errorf("%s: %w", stmt, err)
		}
	}
	return nil
}

// expand resolves each configured path to its sorted list of files.
func (s *Source) expand(ctx context.Context, q driver.QueryerContext) ([]fileTable, error) {
	names := make([]string, 0, len(s.cfg.Files))
	for n := range s.cfg.Files {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []fileTable
	for _, n := range names {
		p, err := filepath.Abs(s.cfg.Files[n])
		if err != nil {
			return nil, fmt.Errorf("table %q: %w", n, err)
		}
		reader, err := readerFor(p)
		if err != nil {
			return nil, fmt.Errorf("table %q: %w", n, err)
		}
		t := fileTable{name: n, reader: reader}
		err = queryRows(ctx, q, "SELECT file FROM glob("+quoteString(p)+") ORDER BY file", func(v []driver.Value) {
			t.files = append(t.files, fmt.Sprint(v[0]))
		})
		if err != nil {
			return nil, fmt.Errorf("table %q: glob %q: %w", n, p, err)
		}
		if len(t.files) == 0 {
			return nil, fmt.Errorf("table %q: no file matches %q", n, p)
		}
		out = append(out, t)
	}
	return out, nil
}

// readerFor picks the table function from the file name.
func readerFor(path string) (string, error) {
	lower := strings.ToLower(path)
	for _, ext := range []string{".gz", ".zst"} {
		lower = strings.TrimSuffix(lower, ext)
	}
	switch filepath.Ext(lower) {
	case ".parquet", ".pq":
		return "read_parquet", nil
	case ".csv", ".tsv", ".txt":
		return "read_csv_auto", nil
	}
	return "", fmt.Errorf("%q: not a CSV (.csv, .tsv, .txt) or Parquet (.parquet, .pq) file", path)
}

func queryRows(ctx context.Context, q driver.QueryerContext, query string, fn func([]driver.Value)) error {
	rows, err := q.QueryContext(ctx, query, nil)
	if err != nil {
		return err
	}
	defer rows.Close()
	vals := make([]driver.Value, len(rows.Columns()))
	for {
		err := rows.Next(vals)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		fn(vals)
	}
}

func quoteIdent(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

func quoteString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func stringList(items []string) string {
	quoted := make([]string, len(items))
	for i, it := range items {
		quoted[i] = quoteString(it)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
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

// Close implements source.Source.
func (s *Source) Close() error {
	var err error
	if s.db != nil {
		err = s.db.Close()
	}
	return errors.Join(err, s.connector.Close())
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

// run executes query on one connection inside BEGIN TRANSACTION READ ONLY,
// always rolled back, with a deadline that interrupts DuckDB. It is the
// engine layer alone: it does not check the statement.
func (s *Source) run(ctx context.Context, op, query string, lim source.Limits) (*source.Result, error) {
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
	e := &source.EngineError{Source: s.name, Op: op, Message: de.Msg, Err: err}
	switch {
	case strings.Contains(de.Msg, "read-only mode"):
		e.Err = fmt.Errorf("%w: %w", source.ErrReadOnly, err)
	case de.Type == duckdb.ErrorTypePermission, strings.Contains(de.Msg, "configuration has been locked"):
		e.Err = fmt.Errorf("%w: %w", source.ErrNotAllowed, err)
	}
	return e
}
