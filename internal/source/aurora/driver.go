package aurora

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rdsdata"
	"github.com/aws/aws-sdk-go-v2/service/rdsdata/types"
)

// connector hands out connections to the Data API. The API is stateless
// between transactions, so a connection is only the transaction it may
// hold.
type connector struct {
	client *rdsdata.Client
	target target
}

var _ driver.Connector = (*connector)(nil)

func (c *connector) Connect(context.Context) (driver.Conn, error) { return &conn{c: c}, nil }
func (c *connector) Driver() driver.Driver                        { return dataDriver{} }

type dataDriver struct{}

func (dataDriver) Open(string) (driver.Conn, error) {
	return nil, errors.New("rds data api: open through the connector")
}

// conn runs statements alone, or in its current transaction.
type conn struct {
	c  *connector
	tx string
}

var (
	_ driver.QueryerContext = (*conn)(nil)
	_ driver.ExecerContext  = (*conn)(nil)
	_ driver.ConnBeginTx    = (*conn)(nil)
)

func (c *conn) Prepare(string) (driver.Stmt, error) {
	return nil, errors.New("rds data api: prepared statements are not supported")
}
func (c *conn) Close() error              { return nil }
func (c *conn) Begin() (driver.Tx, error) { return c.BeginTx(context.Background(), driver.TxOptions{}) }

// BeginTx starts a Data API transaction. Read-only is set by the caller's
// first statement, in the engine's own syntax.
func (c *conn) BeginTx(ctx context.Context, _ driver.TxOptions) (driver.Tx, error) {
	if c.tx != "" {
		return nil, errors.New("rds data api: a transaction is already open")
	}
	out, err := c.c.client.BeginTransaction(ctx, &rdsdata.BeginTransactionInput{
		ResourceArn: aws.String(c.c.target.ResourceARN), SecretArn: aws.String(c.c.target.SecretARN),
		Database: aws.String(c.c.target.Database),
	})
	if err != nil {
		return nil, err
	}
	c.tx = aws.ToString(out.TransactionId)
	return &tx{c: c}, nil
}

// tx commits or rolls back with its own deadline: database/sql rolls
// back when the query's context ends, and that end must reach the service.
type tx struct{ c *conn }

func (t *tx) Commit() error {
	return t.end(func(ctx context.Context, in target, id string) error {
		_, err := t.c.c.client.CommitTransaction(ctx, &rdsdata.CommitTransactionInput{ResourceArn: &in.ResourceARN, SecretArn: &in.SecretARN, TransactionId: &id})
		return err
	})
}

func (t *tx) Rollback() error {
	return t.end(func(ctx context.Context, in target, id string) error {
		_, err := t.c.c.client.RollbackTransaction(ctx, &rdsdata.RollbackTransactionInput{ResourceArn: &in.ResourceARN, SecretArn: &in.SecretARN, TransactionId: &id})
		return err
	})
}

func (t *tx) end(call func(context.Context, target, string) error) error {
	id := t.c.tx
	t.c.tx = ""
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return call(ctx, t.c.c.target, id)
}

func (c *conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	out, err := c.execute(ctx, query, args)
	if err != nil {
		return nil, err
	}
	return driver.RowsAffected(out.NumberOfRecordsUpdated), nil
}

func (c *conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	out, err := c.execute(ctx, query, args)
	if err != nil {
		return nil, err
	}
	return &rows{cols: out.ColumnMetadata, records: out.Records}, nil
}

// execute runs one statement with typed records and their column
// metadata; decimals come back as strings, so they stay exact.
func (c *conn) execute(ctx context.Context, query string, args []driver.NamedValue) (*rdsdata.ExecuteStatementOutput, error) {
	if len(args) > 0 {
		return nil, errors.New("rds data api: parameters are not supported")
	}
	in := &rdsdata.ExecuteStatementInput{
		ResourceArn: aws.String(c.c.target.ResourceARN), SecretArn: aws.String(c.c.target.SecretARN),
		Database: aws.String(c.c.target.Database), Sql: aws.String(query), IncludeResultMetadata: true,
		FormatRecordsAs:  types.RecordsFormatTypeNone,
		ResultSetOptions: &types.ResultSetOptions{DecimalReturnType: types.DecimalReturnTypeString, LongReturnType: types.LongReturnTypeLong},
	}
	if c.tx != "" {
		in.TransactionId = aws.String(c.tx)
	}
	return c.c.client.ExecuteStatement(ctx, in)
}

// rows is one response's records: the Data API does not page a result
// (it refuses one over its response size limit).
type rows struct {
	cols    []types.ColumnMetadata
	records [][]types.Field
	i       int
}

func (r *rows) Columns() []string {
	names := make([]string, len(r.cols))
	for i, c := range r.cols {
		names[i] = aws.ToString(c.Label)
		if names[i] == "" {
			names[i] = aws.ToString(c.Name)
		}
	}
	return names
}

// ColumnTypeDatabaseTypeName is the engine's type name, which
// source.ReadRows normalises.
func (r *rows) ColumnTypeDatabaseTypeName(i int) string { return aws.ToString(r.cols[i].TypeName) }

func (r *rows) Close() error { return nil }

func (r *rows) Next(dest []driver.Value) error {
	if r.i >= len(r.records) {
		return io.EOF
	}
	rec := r.records[r.i]
	r.i++
	if len(rec) != len(dest) {
		return fmt.Errorf("rds data api: a record of %d fields for %d columns", len(rec), len(dest))
	}
	for i, f := range rec {
		dest[i] = fieldValue(f)
	}
	return nil
}

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
	return nil // isNull; arrays are not a result type askdb reads
}
