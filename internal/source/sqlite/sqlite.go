package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	sqlite3 "github.com/mattn/go-sqlite3"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/sample"
	"github.com/askdb/askdb/internal/source"
)

// Kind is the source kind this package registers.
const Kind = "sqlite"

// EnvCacheDir overrides where the bundled sample database is generated.
const EnvCacheDir = "ASKDB_CACHE_DIR"

// busyTimeout is how long a query waits for a writer's lock to clear.
const busyTimeout = 5 * time.Second

// SampleKind is the kind of the built-in sample database: an SQLite file
// askdb generates on first use. It takes no path.
const SampleKind = config.SampleKind

func init() {
	source.Register(Kind, source.Kind{Open: New, Keys: []string{"path"}, Check: check})
	source.Register(SampleKind, source.Kind{Open: NewSample, Database: Kind})
}

// check refuses an sqlite source with no file: it used to open the sample
// database silently.
func check(e *source.Entry) error {
	if e.Source.Path == "" {
		return e.Errorf("path", "kind sqlite needs the database file; for the built-in sample database use kind: %s", SampleKind)
	}
	return nil
}

// Source is a SQLite database opened read-only.
type Source struct {
	name   string
	path   string
	db     *sql.DB
	logger *slog.Logger
}

var (
	_ source.Source  = (*Source)(nil)
	_ source.Factory = New
	_ source.Factory = NewSample
)

// New opens cfg.Path read-only. A missing file is an error: it never
// creates an empty database.
func New(ctx context.Context, name string, cfg config.Source, opts source.Options) (source.Source, error) {
	if cfg.Path == "" {
		return nil, errors.New("path: kind sqlite needs the database file; for the built-in sample database use kind: " + SampleKind)
	}
	return open(ctx, name, cfg.Path, cfg, opts)
}

// NewSample opens the bundled sample database, generating it first.
func NewSample(ctx context.Context, name string, cfg config.Source, opts source.Options) (source.Source, error) {
	path, err := SamplePath(ctx, time.Now())
	if err != nil {
		return nil, err
	}
	return open(ctx, name, path, cfg, opts)
}

func open(ctx context.Context, name, path string, cfg config.Source, opts source.Options) (source.Source, error) {
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s, err := Open(ctx, name, path, logger)
	if err != nil {
		return nil, err
	}
	if err := raiseHeapLimit(ctx, s.db, cfg.EffectiveMaxMemory()); err != nil {
		s.Close()
		return nil, fmt.Errorf("open sqlite database %q: %w", path, err)
	}
	return s, nil
}

// SamplePath returns the bundled sample database for now's date, generating
// it first when missing, in $ASKDB_CACHE_DIR or <user cache dir>/askdb.
func SamplePath(ctx context.Context, now time.Time) (string, error) {
	dir := os.Getenv(EnvCacheDir)
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return "", fmt.Errorf("locate the sample database: %w (set %s)", err, EnvCacheDir)
		}
		dir = filepath.Join(base, "askdb")
	}
	opts := sample.DefaultOptions(now)
	path := filepath.Join(dir, "sample-"+opts.Today.Format(time.DateOnly)+".db")
	if err := sample.EnsureSQLite(ctx, path, opts); err != nil {
		return "", err
	}
	return path, nil
}

// Open opens the SQLite file at path read-only as the source called name.
func Open(ctx context.Context, name, path string, logger *slog.Logger) (*Source, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("open sqlite database %q: %w", path, err)
	}
	db := sql.OpenDB(newConnector(dsn(path)))
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open sqlite database %q: %w", path, err)
	}
	logger.Debug("sqlite source opened", "source", name, "path", path)
	return &Source{name: name, path: path, db: db, logger: logger}, nil
}

// dsn is a read-only URI for path; characters that URIs reserve are escaped.
func dsn(path string) string {
	esc := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	return fmt.Sprintf("file:%s?mode=ro&_query_only=1&_busy_timeout=%d", esc, busyTimeout.Milliseconds())
}

// Name implements source.Source.
func (s *Source) Name() string { return s.name }

// Dialect implements source.Source.
func (s *Source) Dialect() catalog.Dialect { return catalog.SQLite }

// Path is the database file.
func (s *Source) Path() string { return s.path }

// Ping implements source.Source.
func (s *Source) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("source %q: ping: %w: %w", s.name, source.ErrUnreachable, err)
	}
	return nil
}

// Close implements source.Source.
func (s *Source) Close() error { return s.db.Close() }

// Explain returns SQLite's query plan as an indented tree.
func (s *Source) Explain(ctx context.Context, query string) (string, error) {
	if isEmpty(query) {
		return "", fmt.Errorf("source %q: explain: %w", s.name, source.ErrEmptyQuery)
	}
	rows, err := s.db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+query)
	if err != nil {
		return "", s.engineError("explain", err)
	}
	defer rows.Close()
	depth := map[int64]int{}
	var b strings.Builder
	for rows.Next() {
		var id, parent, unused int64
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			return "", fmt.Errorf("source %q: explain: %w", s.name, err)
		}
		depth[id] = depth[parent] + 1
		b.WriteString(strings.Repeat("  ", depth[id]-1) + detail + "\n")
	}
	if err := rows.Err(); err != nil {
		return "", s.engineError("explain", err)
	}
	return b.String(), nil
}

// Query runs query read-only within lim. The deadline interrupts SQLite
// (sqlite3_interrupt) and is reported as source.ErrTimeout.
func (s *Source) Query(ctx context.Context, query string, lim source.Limits) (*source.Result, error) {
	if isEmpty(query) {
		return nil, fmt.Errorf("source %q: query: %w", s.name, source.ErrEmptyQuery)
	}
	lim = lim.WithDefaults()
	qctx, cancel := context.WithTimeout(ctx, lim.Timeout)
	defer cancel()
	start := time.Now()
	conn, err := s.db.Conn(qctx)
	if err != nil {
		return nil, s.queryError(ctx, qctx, lim, err)
	}
	defer conn.Close()
	// The connection holds this query's length limit only while it runs;
	// introspection and the next query get the default back.
	if err := setLengthLimit(conn, lim.MaxBytes); err != nil {
		return nil, s.queryError(ctx, qctx, lim, err)
	}
	defer setLengthLimit(conn, defaultLengthLimit) //nolint:errcheck // fails only on a foreign connection, refused above
	rows, err := conn.QueryContext(qctx, query)
	if err != nil {
		return nil, s.queryError(ctx, qctx, lim, err)
	}
	res, err := source.ReadRows(qctx, rows, lim)
	if err != nil {
		return nil, s.queryError(ctx, qctx, lim, err)
	}
	res.Duration = time.Since(start)
	return res, nil
}

func isEmpty(query string) bool {
	return strings.TrimSpace(strings.Trim(strings.TrimSpace(query), ";")) == ""
}

// queryError maps a driver error: the query's own deadline becomes
// ErrTimeout, the caller's cancellation stays context.Canceled, a refused
// write becomes ErrReadOnly and anything else is the engine's message.
func (s *Source) queryError(ctx, qctx context.Context, lim source.Limits, err error) error {
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("source %q: query: %w", s.name, ctx.Err())
	case errors.Is(qctx.Err(), context.DeadlineExceeded):
		return fmt.Errorf("source %q: query stopped after %s: %w", s.name, lim.Timeout, source.ErrTimeout)
	}
	var le *source.LimitError
	if errors.As(err, &le) {
		return fmt.Errorf("source %q: query: %w", s.name, err)
	}
	var se sqlite3.Error
	if errors.As(err, &se) && (se.Code == sqlite3.ErrTooBig || se.Code == sqlite3.ErrNomem) {
		return fmt.Errorf("source %q: query: %w", s.name, limitError(se, lim.MaxBytes))
	}
	// The authorizer fails statements with SQLITE_AUTH, and denied functions
	// with a plain error saying "not authorized"; query_only gives SQLITE_READONLY.
	if errors.As(err, &se) && (se.Code == sqlite3.ErrAuth || se.Code == sqlite3.ErrReadonly ||
		strings.Contains(se.Error(), "not authorized")) {
		return fmt.Errorf("source %q: query: %w (sqlite: %s)", s.name, source.ErrReadOnly, se.Error())
	}
	return s.engineError("query", err)
}

func (s *Source) engineError(op string, err error) error {
	e := &source.EngineError{Source: s.name, Op: op, Message: err.Error(), Err: err}
	var se sqlite3.Error
	if errors.As(err, &se) {
		e.Code = fmt.Sprint(int(se.ExtendedCode))
	}
	return e
}
