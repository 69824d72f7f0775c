package mysql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/source"
)

// Kind is the source kind this package registers.
const Kind = "mysql"

// deadlineGrace is how long the Go-side deadline waits past the server's
// statement time limit, so that the server's own, clearer error wins.
const deadlineGrace = time.Second

// Server error numbers askdb acts on.
const (
	errReadOnlyTx        = 1792 // ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION
	errMySQLTimeout      = 3024 // ER_QUERY_TIMEOUT (max_execution_time)
	errMariaDBTimeout    = 1969 // ER_STATEMENT_TIMEOUT (max_statement_time)
	errQueryInterrupted  = 1317 // ER_QUERY_INTERRUPTED (KILL QUERY)
	errAccessDenied      = 1045 // ER_ACCESS_DENIED_ERROR
	errDBAccessDenied    = 1044 // ER_DBACCESS_DENIED_ERROR
	errAccessDeniedNoPwd = 1698 // ER_ACCESS_DENIED_NO_PASSWORD_ERROR
)

func init() { source.Register(Kind, kind) }

// Source is a connected MySQL or MariaDB database.
type Source struct {
	name    string
	cfg     config.Source
	db      *sql.DB
	addr    string // host:port or socket, for error messages (never the password)
	dbName  string // the connected database
	log     *slog.Logger
	version string
	mariaDB bool
}

var (
	_ source.Source  = (*Source)(nil)
	_ source.Factory = Open
)

// Open connects to the database in cfg.DSN and checks it, bounded by
// cfg.EffectiveConnectTimeout(). DATE and DATETIME values arrive as
// time.Time (parseTime is forced on) and multi-statements are forced off.
func Open(ctx context.Context, name string, cfg config.Source, opts source.Options) (source.Source, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	dsn, err := DriverDSN(cfg.DSN)
	if err != nil {
		return nil, err
	}
	mcfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return nil, fmt.Errorf("parse dsn: %w", err)
	}
	timeout := cfg.EffectiveConnectTimeout()
	mcfg.ParseTime = true
	mcfg.MultiStatements = false
	mcfg.Timeout = timeout
	mcfg.Logger = driverLogger{log}
	s := &Source{name: name, cfg: cfg, addr: mcfg.Addr, dbName: mcfg.DBName, log: log.With("source", name, "kind", Kind)}
	conn, err := mysql.NewConnector(mcfg)
	if err != nil {
		return nil, fmt.Errorf("dsn: %w", err)
	}
	s.db = sql.OpenDB(readOnlyConnector{conn})
	s.db.SetMaxIdleConns(4)
	s.db.SetConnMaxIdleTime(5 * time.Minute)
	pingCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := s.db.QueryRowContext(pingCtx, "SELECT version(), coalesce(database(), '')").Scan(&s.version, &s.dbName); err != nil {
		s.db.Close()
		if errors.Is(err, errNotPinned) {
			return nil, fmt.Errorf("connect to %s: %w", s.addr, err)
		}
		return nil, s.connectError(err)
	}
	s.mariaDB = isMariaDB(s.version)
	s.log.Debug("connected", "addr", s.addr, "version", s.version, "database", s.dbName)
	return s, nil
}

// connectError classifies a failure to connect.
func (s *Source) connectError(err error) error {
	var myErr *mysql.MySQLError
	if errors.As(err, &myErr) {
		switch myErr.Number {
		case errAccessDenied, errDBAccessDenied, errAccessDeniedNoPwd:
			return fmt.Errorf("connect to %s: %w: %s", s.addr, source.ErrAuth, myErr.Message)
		}
	}
	return fmt.Errorf("connect to %s: %w: %w", s.addr, source.ErrUnreachable, err)
}

// Name implements source.Source.
func (s *Source) Name() string { return s.name }

// Dialect implements source.Source.
func (s *Source) Dialect() catalog.Dialect { return catalog.MySQL }

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

// Explain implements source.Source. MySQL's EXPLAIN is a table; it comes
// back as a tab-separated header line followed by one line per row.
func (s *Source) Explain(ctx context.Context, query string) (string, error) {
	if strings.TrimSpace(query) == "" {
		return "", fmt.Errorf("source %q: explain: %w", s.name, source.ErrEmptyQuery)
	}
	var plan string
	err := s.readOnly(ctx, "explain", source.LimitsFor(s.cfg).Timeout, func(ctx context.Context, tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, "EXPLAIN "+query)
		if err != nil {
			return err
		}
		res, err := source.ReadRows(ctx, rows, source.Limits{MaxRows: 1000})
		if err != nil {
			return err
		}
		plan = formatPlan(res)
		return nil
	})
	return plan, err
}

func formatPlan(res *source.Result) string {
	var b strings.Builder
	for i, c := range res.Columns {
		if i > 0 {
			b.WriteByte('\t')
		}
		b.WriteString(c.Name)
	}
	for _, row := range res.Rows {
		b.WriteByte('\n')
		for i, v := range row {
			if i > 0 {
				b.WriteByte('\t')
			}
			if v == nil {
				v = "NULL"
			}
			fmt.Fprint(&b, v)
		}
	}
	return b.String()
}

// Query implements source.Source.
func (s *Source) Query(ctx context.Context, query string, lim source.Limits) (*source.Result, error) {
	if strings.TrimSpace(query) == "" {
		return nil, fmt.Errorf("source %q: query: %w", s.name, source.ErrEmptyQuery)
	}
	lim = lim.WithDefaults()
	start := time.Now()
	var res *source.Result
	err := s.readOnly(ctx, "query", lim.Timeout, func(ctx context.Context, tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, query)
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

// timeLimitSQL sets the per-statement time limit of the session, in the
// engine's own variable and unit.
func (s *Source) timeLimitSQL(timeout time.Duration) string {
	if s.mariaDB {
		return "SET SESSION max_statement_time = " + strconv.FormatFloat(max(timeout.Seconds(), 0.001), 'f', 3, 64)
	}
	return "SET SESSION max_execution_time = " + strconv.FormatInt(max(timeout.Milliseconds(), 1), 10)
}

func (s *Source) resetTimeLimitSQL() string {
	if s.mariaDB {
		return "SET SESSION max_statement_time = DEFAULT"
	}
	return "SET SESSION max_execution_time = DEFAULT"
}
