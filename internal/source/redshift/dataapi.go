package redshift

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/redshiftdata"
	"github.com/aws/aws-sdk-go-v2/service/redshiftdata/types"
	"github.com/aws/smithy-go"

	"github.com/askdb/askdb/internal/awsconf"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/source/sqlbase"
)

// sessionKeepAlive is how long the Data API keeps a session after its
// last statement: longer than the pool keeps an idle connection (five
// minutes), so that a pooled session has not expired when it is reused.
const sessionKeepAlive = 10 * 60

// openData opens the source over the Data API, with the SDK's default
// configuration (environment, profile, role; AWS_ENDPOINT_URL_REDSHIFT_DATA)
// and the DSN's region=.
func (s *Source) openData(ctx context.Context) error {
	target, err := parseDataDSN(s.cfg.DSN)
	if err != nil {
		return fmt.Errorf("dsn: %w", err)
	}
	s.addr = "cluster " + strconv.Quote(target.Cluster)
	if target.Workgroup != "" {
		s.addr = "workgroup " + strconv.Quote(target.Workgroup)
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconf.LoadOptions(target.Region, "", s.log)...)
	if err != nil {
		return fmt.Errorf("%s: aws configuration: %w", s.addr, err)
	}
	conn := &dataConnector{client: redshiftdata.NewFromConfig(cfg), target: target}
	hooks := sqlbase.Hooks{Session: dataSession, Classify: classifyData, ConnectError: s.dataConnectError, Plan: sqlbase.Lines}
	s.Base, err = sqlbase.Open(ctx, s.name, s.cfg, conn, hooks, nil)
	return err
}

// dataSession runs fn on one Data API session (a pooled connection, made
// read-only when it was created) with statement_timeout set for it.
func dataSession(ctx context.Context, db *sql.DB, timeout time.Duration, fn func(context.Context, sqlbase.Querier) error) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	ms := strconv.FormatInt(max(timeout.Milliseconds(), 1), 10)
	if _, err := conn.ExecContext(ctx, "SET statement_timeout TO "+ms); err != nil {
		return err
	}
	return fn(ctx, conn)
}

// dataError is a statement the engine failed, with its message verbatim.
type dataError struct{ msg string }

func (e *dataError) Error() string { return e.msg }

// errAborted is a statement that ended ABORTED: cancelled.
var errAborted = errors.New("the statement was cancelled")

// classifyData reads a Data API error for sqlbase: the engine's message
// (as DescribeStatement reports it), or the service's own error.
func classifyData(err error) sqlbase.DriverError {
	var d sqlbase.DriverError
	var de *dataError
	if errors.As(err, &de) {
		m := strings.ToLower(de.msg)
		d.Engine, d.Message = true, de.msg
		d.ReadOnly = strings.Contains(m, "read-only transaction")
		d.Timeout = strings.Contains(m, "statement timeout")
		return d
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		switch ae.ErrorCode() {
		case "ValidationException", "ExecuteStatementException":
			d.Engine, d.Message, d.Code = true, ae.ErrorMessage(), ae.ErrorCode()
		default:
			d.Conn = true
		}
		return d
	}
	d.Conn = !errors.Is(err, errAborted) && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded)
	return d
}

// dataConnectError classifies a failure to reach the Data API or to open
// a session: refused credentials are ErrAuth, the rest unreachable.
func (s *Source) dataConnectError(err error) error {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		switch ae.ErrorCode() {
		case "AccessDeniedException", "UnrecognizedClientException", "InvalidSignatureException",
			"ExpiredTokenException", "MissingAuthenticationTokenException":
			return fmt.Errorf("%s: %w: %s", s.addr, source.ErrAuth, ae.ErrorMessage())
		}
	}
	var de *dataError
	if errors.As(err, &de) && strings.Contains(strings.ToLower(de.msg), "authentication") {
		return fmt.Errorf("%s: %w: %s", s.addr, source.ErrAuth, de.msg)
	}
	return fmt.Errorf("%s: %w: %w", s.addr, source.ErrUnreachable, err)
}

// dataConnector opens Data API sessions as database/sql connections.
type dataConnector struct {
	client *redshiftdata.Client
	target dataTarget
}

var _ driver.Connector = (*dataConnector)(nil)

// Connect opens a session whose transactions are read-only.
func (c *dataConnector) Connect(ctx context.Context) (driver.Conn, error) {
	in := &redshiftdata.ExecuteStatementInput{
		Sql: aws.String(sessionSQL), Database: aws.String(c.target.Database),
		SessionKeepAliveSeconds: aws.Int32(sessionKeepAlive),
	}
	if c.target.Cluster != "" {
		in.ClusterIdentifier = aws.String(c.target.Cluster)
	}
	if c.target.Workgroup != "" {
		in.WorkgroupName = aws.String(c.target.Workgroup)
	}
	if c.target.SecretARN != "" {
		in.SecretArn = aws.String(c.target.SecretARN)
	}
	if c.target.DBUser != "" {
		in.DbUser = aws.String(c.target.DBUser)
	}
	conn := &dataConn{client: c.client}
	out, err := conn.run(ctx, in)
	if err != nil {
		return nil, err
	}
	if out.SessionId == nil {
		return nil, fmt.Errorf("%w: the Data API opened no session", errNotPinned)
	}
	conn.session = *out.SessionId
	return conn, nil
}

// Driver implements driver.Connector.
func (c *dataConnector) Driver() driver.Driver { return dataDriver{} }

type dataDriver struct{}

func (dataDriver) Open(string) (driver.Conn, error) {
	return nil, errors.New("redshift data api: open through the connector")
}

// dataConn is one Data API session.
type dataConn struct {
	client  *redshiftdata.Client
	session string
}

var (
	_ driver.QueryerContext = (*dataConn)(nil)
	_ driver.ExecerContext  = (*dataConn)(nil)
)

func (c *dataConn) Prepare(string) (driver.Stmt, error) {
	return nil, errors.New("redshift data api: prepared statements are not supported")
}
func (c *dataConn) Close() error { return nil } // the session expires on its own
func (c *dataConn) Begin() (driver.Tx, error) {
	return nil, errors.New("redshift data api: transactions are not supported")
}

// ExecContext runs a statement that returns no rows.
func (c *dataConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if len(args) > 0 {
		return nil, errors.New("redshift data api: parameters are not supported")
	}
	if _, err := c.run(ctx, c.statement(query)); err != nil {
		return nil, err
	}
	return driver.RowsAffected(0), nil
}

// QueryContext runs a query and returns its rows, read page by page.
func (c *dataConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if len(args) > 0 {
		return nil, errors.New("redshift data api: parameters are not supported")
	}
	out, err := c.run(ctx, c.statement(query))
	if err != nil {
		return nil, err
	}
	r := &dataRows{ctx: ctx, client: c.client, id: aws.ToString(out.Id)}
	if !aws.ToBool(out.HasResultSet) {
		return r, nil
	}
	return r, r.fetch()
}

func (c *dataConn) statement(query string) *redshiftdata.ExecuteStatementInput {
	return &redshiftdata.ExecuteStatementInput{Sql: aws.String(query), SessionId: aws.String(c.session)}
}

// run submits a statement and polls it until it ends, with a backoff from
// 20 ms to 1 s. When ctx ends first the statement is cancelled on the
// service.
func (c *dataConn) run(ctx context.Context, in *redshiftdata.ExecuteStatementInput) (*redshiftdata.DescribeStatementOutput, error) {
	sub, err := c.client.ExecuteStatement(ctx, in)
	if err != nil {
		if sessionGone(err) {
			return nil, driver.ErrBadConn
		}
		return nil, err
	}
	id := aws.ToString(sub.Id)
	if c.session == "" && sub.SessionId != nil {
		c.session = *sub.SessionId
	}
	wait := 20 * time.Millisecond
	for {
		d, err := c.client.DescribeStatement(ctx, &redshiftdata.DescribeStatementInput{Id: sub.Id})
		if ctx.Err() != nil {
			c.cancel(ctx, id)
			return nil, ctx.Err()
		}
		if err != nil {
			return nil, err
		}
		switch d.Status {
		case types.StatusStringFinished:
			if d.SessionId == nil {
				d.SessionId = sub.SessionId
			}
			return d, nil
		case types.StatusStringFailed:
			return nil, &dataError{msg: aws.ToString(d.Error)}
		case types.StatusStringAborted:
			return nil, errAborted
		}
		select {
		case <-ctx.Done():
			c.cancel(ctx, id)
			return nil, ctx.Err()
		case <-time.After(wait):
		}
		wait = min(2*wait, time.Second)
	}
}

// cancel stops statement id on the service, on its own short deadline:
// the query's context has ended.
func (c *dataConn) cancel(ctx context.Context, id string) {
	ctx, stop := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer stop()
	_, _ = c.client.CancelStatement(ctx, &redshiftdata.CancelStatementInput{Id: aws.String(id)})
}

// sessionGone reports the Data API's refusal of an expired session.
func sessionGone(err error) bool {
	var ae smithy.APIError
	return errors.As(err, &ae) && ae.ErrorCode() == "ValidationException" &&
		strings.Contains(strings.ToLower(ae.ErrorMessage()), "session")
}

// dataRows reads GetStatementResult a page at a time, following
// NextToken only as far as the reader asks.
type dataRows struct {
	ctx    context.Context
	client *redshiftdata.Client
	id     string
	cols   []types.ColumnMetadata
	page   [][]types.Field
	i      int
	next   *string
	done   bool
}

func (r *dataRows) fetch() error {
	out, err := r.client.GetStatementResult(r.ctx, &redshiftdata.GetStatementResultInput{Id: aws.String(r.id), NextToken: r.next})
	if err != nil {
		return err
	}
	if r.cols == nil {
		r.cols = out.ColumnMetadata
	}
	r.page, r.i, r.next = out.Records, 0, out.NextToken
	r.done = out.NextToken == nil || *out.NextToken == ""
	return nil
}

func (r *dataRows) Columns() []string {
	names := make([]string, len(r.cols))
	for i, c := range r.cols {
		names[i] = aws.ToString(c.Name)
	}
	return names
}

// ColumnTypeDatabaseTypeName is the engine's type name (int4, numeric,
// varchar, timestamp…), which source.ReadRows normalises.
func (r *dataRows) ColumnTypeDatabaseTypeName(i int) string { return aws.ToString(r.cols[i].TypeName) }

func (r *dataRows) Close() error { return nil }

func (r *dataRows) Next(dest []driver.Value) error {
	for r.i >= len(r.page) {
		if r.done || r.cols == nil {
			return io.EOF
		}
		if err := r.fetch(); err != nil {
			return err
		}
	}
	row := r.page[r.i]
	r.i++
	if len(row) != len(dest) {
		return fmt.Errorf("redshift data api: a record of %d fields for %d columns", len(row), len(dest))
	}
	for i, f := range row {
		dest[i] = fieldValue(f)
	}
	return nil
}

// fieldValue converts one Data API field to a driver value.
func fieldValue(f types.Field) driver.Value {
	switch v := f.(type) {
	case *types.FieldMemberStringValue:
		return v.Value
	case *types.FieldMemberLongValue:
		return v.Value
	case *types.FieldMemberDoubleValue:
		return v.Value
	case *types.FieldMemberBooleanValue:
		return v.Value
	case *types.FieldMemberBlobValue:
		return v.Value
	}
	return nil // isNull, or a member this SDK does not know
}
