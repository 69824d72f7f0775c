package aurora

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/rdsdata"
	"github.com/aws/smithy-go"

	"github.com/askdb/askdb/internal/awsconf"
	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/source/sqlbase"
)

// Kind is the source kind this package registers.
const Kind = "aurora"

func init() { source.Register(Kind, kind) }

// Source is an Aurora database reached through the RDS Data API. Ping,
// Close, Query and Explain are sqlbase's.
type Source struct {
	*sqlbase.Base
	name    string
	cfg     config.Source
	target  target
	log     *slog.Logger
	version string
}

var (
	_ source.Source  = (*Source)(nil)
	_ source.Factory = Open
)

// Open builds the Data API client from the SDK's default configuration
// (environment, profile, role; AWS_ENDPOINT_URL_RDS_DATA) in the cluster's
// region, and checks it by reading the engine's version.
func Open(ctx context.Context, name string, cfg config.Source, opts source.Options) (source.Source, error) {
	t, err := parseDSN(cfg.DSN)
	if err != nil {
		return nil, fmt.Errorf("dsn: %w", err)
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Source{name: name, cfg: cfg, target: t, log: log.With("source", name, "kind", Kind)}
	awsCfg, err := awsconfig.LoadDefaultConfig(ctx, awsconf.LoadOptions(t.Region, "", s.log)...)
	if err != nil {
		return nil, fmt.Errorf("cluster %q: aws configuration: %w", t.ResourceARN, err)
	}
	conn := &connector{client: rdsdata.NewFromConfig(awsCfg), target: t}
	hooks := sqlbase.Hooks{Session: s.inTransaction, Classify: classify, ConnectError: s.connectError, Plan: s.plan}
	probe := func(ctx context.Context, db *sql.DB) error {
		return db.QueryRowContext(ctx, "SELECT version()").Scan(&s.version)
	}
	if s.Base, err = sqlbase.Open(ctx, name, cfg, conn, hooks, probe); err != nil {
		return nil, err
	}
	return s, nil
}

// Name implements source.Source.
func (s *Source) Name() string { return s.name }

// Dialect implements source.Source: the engine= of the DSN.
func (s *Source) Dialect() catalog.Dialect { return s.target.Engine }

// inTransaction runs fn in one Data API transaction made read-only before
// anything else runs in it, with the engine's time limit, and always rolls
// it back (database/sql also does when ctx ends).
func (s *Source) inTransaction(ctx context.Context, db *sql.DB, timeout time.Duration, fn func(context.Context, sqlbase.Querier) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err := tx.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) {
			s.log.Debug("rollback", "err", err)
		}
	}()
	for _, stmt := range s.setup(timeout) {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("%w: %s: %w", errNotReadOnly, stmt, err)
		}
	}
	return fn(ctx, tx)
}

// errNotReadOnly means a transaction could not be made read-only; no
// query runs in it.
var errNotReadOnly = errors.New("the transaction could not be made read-only")

// setup is what makes a transaction read-only and time-limited. MySQL's
// SET TRANSACTION fails inside an open transaction (error 1568), so a Data
// API that began one refuses the query rather than run it read-write; the
// session form also covers DDL, which MySQL commits implicitly, ending the
// transaction. MariaDB (in tests only; Aurora MySQL is MySQL) limits time
// with max_statement_time, in seconds.
func (s *Source) setup(timeout time.Duration) []string {
	ms := max(timeout.Milliseconds(), 1)
	if s.target.Engine == catalog.Postgres {
		return []string{"SET TRANSACTION READ ONLY", "SET LOCAL statement_timeout = " + strconv.FormatInt(ms, 10)}
	}
	limit := "SET SESSION max_execution_time = " + strconv.FormatInt(ms, 10)
	if strings.Contains(strings.ToLower(s.version), "mariadb") {
		limit = "SET SESSION max_statement_time = " + strconv.FormatFloat(float64(ms)/1000, 'f', 3, 64)
	}
	return []string{"SET TRANSACTION READ ONLY", "SET SESSION TRANSACTION READ ONLY", limit}
}

// plan reads EXPLAIN: PostgreSQL's is a line per row, MySQL's a table.
func (s *Source) plan(ctx context.Context, rows *sql.Rows) (string, error) {
	if s.target.Engine == catalog.Postgres {
		return sqlbase.Lines(ctx, rows)
	}
	cols, err := rows.Columns()
	if err != nil {
		return "", err
	}
	lines := []string{strings.Join(cols, "\t")}
	vals := make([]sql.NullString, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return "", err
		}
		cells := make([]string, len(vals))
		for i, v := range vals {
			cells[i] = v.String
		}
		lines = append(lines, strings.Join(cells, "\t"))
	}
	return strings.Join(lines, "\n"), rows.Err()
}

// classify reads a Data API error for sqlbase. The engine's refusal comes
// back as BadRequestException with the engine's message; the API's own
// failures (throttling, a stopped cluster) as other codes.
func classify(err error) sqlbase.DriverError {
	var d sqlbase.DriverError
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		d.Conn = !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded)
		return d
	}
	switch ae.ErrorCode() {
	case "BadRequestException", "StatementTimeoutException", "DatabaseErrorException":
		m := strings.ReplaceAll(strings.ToLower(ae.ErrorMessage()), "-", " ")
		d.Engine, d.Message, d.Code = true, ae.ErrorMessage(), ae.ErrorCode()
		d.ReadOnly = strings.Contains(m, "read only transaction")
		d.Timeout = ae.ErrorCode() == "StatementTimeoutException" || strings.Contains(m, "statement timeout") ||
			strings.Contains(m, "max_statement_time") || strings.Contains(m, "maximum statement execution time")
	case "DatabaseNotFoundException", "DatabaseUnavailableException", "DatabaseResumingException":
		d.Engine, d.Message, d.Code, d.Lost = true, ae.ErrorMessage(), ae.ErrorCode(), true
	default:
		d.Conn = true
	}
	return d
}

// connectError classifies a failure to open: refused credentials or
// permissions are ErrAuth, the rest unreachable.
func (s *Source) connectError(err error) error {
	where := fmt.Sprintf("cluster %q", s.target.ResourceARN)
	var ae smithy.APIError
	if errors.As(err, &ae) {
		switch ae.ErrorCode() {
		case "AccessDeniedException", "ForbiddenException", "UnrecognizedClientException",
			"InvalidSignatureException", "ExpiredTokenException", "InvalidSecretException", "SecretsErrorException":
			return fmt.Errorf("%s: %w: %s", where, source.ErrAuth, ae.ErrorMessage())
		}
	}
	return fmt.Errorf("%s: %w: %w", where, source.ErrUnreachable, err)
}
