package mysql

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/askdb/askdb/internal/source/sqlbase"
)

// readOnlyConnector puts every new connection in SESSION TRANSACTION READ
// ONLY, so that even the autocommit transaction MySQL opens after an
// implicit commit (before DDL) is read-only, and pins its sql_mode (see
// pinMode).
type readOnlyConnector struct{ driver.Connector }

// Connect implements driver.Connector.
func (c readOnlyConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	ex, ok := conn.(driver.ExecerContext)
	if !ok {
		conn.Close()
		return nil, errors.New("mysql driver connection cannot execute statements")
	}
	if _, err := ex.ExecContext(ctx, "SET SESSION TRANSACTION READ ONLY", nil); err != nil {
		conn.Close()
		return nil, err
	}
	if err := pinMode(ctx, conn); err != nil {
		conn.Close()
		return nil, err
	}
	return conn, nil
}

// inReadOnlyTx is sqlbase's Session hook: fn runs in a READ ONLY
// transaction on one connection with the server-side statement time
// limit; a cancelled statement is killed on the server.
func (s *Source) inReadOnlyTx(ctx context.Context, db *sql.DB, timeout time.Duration, fn func(context.Context, sqlbase.Querier) error) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	var id int64
	if err := conn.QueryRowContext(ctx, "SELECT CONNECTION_ID()").Scan(&id); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, s.timeLimitSQL(timeout)); err != nil {
		return err
	}
	stop := s.killOnCancel(ctx, db, id)
	err = runTx(ctx, conn, fn)
	if killed := stop(); killed {
		// A KILL QUERY may arrive after the statement ended and hit the
		// next one on this connection: never reuse it.
		sqlbase.Discard(conn)
		return err
	}
	s.cleanSession(conn)
	return err
}

func runTx(ctx context.Context, conn *sql.Conn, fn func(context.Context, sqlbase.Querier) error) error {
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // nothing was written
	return fn(ctx, tx)
}

// killOnCancel stops the connection's running statement on the server
// when ctx ends. The returned stop waits for a kill under way and reports
// whether one was sent.
func (s *Source) killOnCancel(ctx context.Context, db *sql.DB, id int64) (stop func() bool) {
	done := make(chan struct{})
	var sent atomic.Bool
	stopAfter := context.AfterFunc(ctx, func() {
		defer close(done)
		sent.Store(true)
		kctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if _, err := db.ExecContext(kctx, "KILL QUERY "+strconv.FormatInt(id, 10)); err != nil {
			s.log.Warn("could not stop a cancelled query on the server", "connection_id", id, "err", err)
		}
	})
	return func() bool {
		if !stopAfter() {
			<-done
		}
		return sent.Load()
	}
}

// classify reads a driver error for sqlbase: the server error numbers
// askdb acts on, and connection failures.
func classify(err error) sqlbase.DriverError {
	var d sqlbase.DriverError
	var myErr *mysql.MySQLError
	if errors.As(err, &myErr) {
		d.Engine, d.Message, d.Code = true, myErr.Message, strconv.Itoa(int(myErr.Number))
		d.ReadOnly = myErr.Number == errReadOnlyTx
		d.Timeout = myErr.Number == errMySQLTimeout || myErr.Number == errMariaDBTimeout
	}
	d.Conn = isConnError(err)
	return d
}

func isConnError(err error) bool {
	var ne net.Error
	return errors.Is(err, mysql.ErrInvalidConn) || errors.Is(err, driver.ErrBadConn) || errors.As(err, &ne)
}

// driverLogger sends the driver's own log lines to slog at debug level
// instead of the driver's default, stderr.
type driverLogger struct{ log *slog.Logger }

// Print implements mysql.Logger.
func (l driverLogger) Print(v ...any) { l.log.Debug("mysql driver", "msg", fmt.Sprint(v...)) }
