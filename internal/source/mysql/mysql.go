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
	"github.com/askdb/askdb/internal/source/sqlbase"
)

// Kind is the source kind this package registers.
const Kind = "mysql"

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

// Source is a connected MySQL or MariaDB database. Ping, Close, Query and
// Explain are sqlbase's, over the hooks in readonly.go.
type Source struct {
	*sqlbase.Base
	name    string
	cfg     config.Source
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
	mcfg.ParseTime = true
	mcfg.MultiStatements = false
	mcfg.Timeout = cfg.EffectiveConnectTimeout()
	mcfg.Logger = driverLogger{log}
	s := &Source{name: name, cfg: cfg, addr: mcfg.Addr, dbName: mcfg.DBName, log: log.With("source", name, "kind", Kind)}
	conn, err := mysql.NewConnector(mcfg)
	if err != nil {
		return nil, fmt.Errorf("dsn: %w", err)
	}
	hooks := sqlbase.Hooks{Session: s.inReadOnlyTx, Classify: classify, ConnectError: s.connectError, Plan: plan}
	if s.Base, err = sqlbase.Open(ctx, name, cfg, readOnlyConnector{conn}, hooks, s.readServer); err != nil {
		return nil, err
	}
	s.mariaDB = isMariaDB(s.version)
	s.log.Debug("connected", "addr", s.addr, "version", s.version, "database", s.dbName)
	return s, nil
}

// readServer is the first query of a new pool: it checks the connection
// and reads the server's version and the connected database.
func (s *Source) readServer(ctx context.Context, db *sql.DB) error {
	return db.QueryRowContext(ctx, "SELECT version(), coalesce(database(), '')").Scan(&s.version, &s.dbName)
}

// connectError classifies a failure to connect. A connection whose sql_mode
// did not take is refused as such, not as unreachable.
func (s *Source) connectError(err error) error {
	if errors.Is(err, errNotPinned) {
		return fmt.Errorf("connect to %s: %w", s.addr, err)
	}
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

// plan reads MySQL's EXPLAIN, a table, as a tab-separated header line
// followed by one line per row.
func plan(ctx context.Context, rows *sql.Rows) (string, error) {
	res, err := source.ReadRows(ctx, rows, source.Limits{MaxRows: 1000})
	if err != nil {
		return "", err
	}
	return formatPlan(res), nil
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
