package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"sync"

	sqlite3 "github.com/mattn/go-sqlite3"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/source"
)

// SQLite runs inside askdb's process, so every byte a query builds is
// askdb's memory. SQLITE_LIMIT_LENGTH caps any one string, BLOB or row
// record the engine builds (printf('%.*c', 900000000, 'x'), zeroblob,
// replace, group_concat), intermediate values included: past it the
// statement fails with SQLITE_TOOBIG before the memory is allocated. Each
// query sets it to its own max_bytes; between queries a connection keeps
// defaultLengthLimit, which is what introspection runs under.
const defaultLengthLimit = config.DefaultMaxBytes

// connLimits bound what a statement may ask of the engine besides values.
// SQLite's compiled-in defaults allow a billion bytes of SQL and
// expression trees 1000 deep; askdb's SQL is at most a few hundred KiB.
var connLimits = map[int]int{
	sqlite3.SQLITE_LIMIT_LENGTH:     defaultLengthLimit,
	sqlite3.SQLITE_LIMIT_SQL_LENGTH: 1 << 20,
	// A LIKE or GLOB pattern is matched without checking for interrupts,
	// and its cost grows with the pattern; 50000 is SQLite's default.
	sqlite3.SQLITE_LIMIT_LIKE_PATTERN_LENGTH: 10_000,
}

// connector opens a source's connections with sqliteDriver.
type connector struct{ dsn string }

var _ driver.Connector = connector{}

// sqliteDriver installs the authorizer and the limits on every connection.
var sqliteDriver = &sqlite3.SQLiteDriver{ConnectHook: setUp}

func newConnector(dsn string) driver.Connector { return connector{dsn: dsn} }

// Connect implements driver.Connector.
func (c connector) Connect(context.Context) (driver.Conn, error) { return sqliteDriver.Open(c.dsn) }

// Driver implements driver.Connector.
func (connector) Driver() driver.Driver { return sqliteDriver }

func setUp(c *sqlite3.SQLiteConn) error {
	c.RegisterAuthorizer(authorize)
	for id, v := range connLimits {
		c.SetLimit(id, v)
	}
	return nil
}

// setLengthLimit sets SQLITE_LIMIT_LENGTH on conn to n bytes, clamped to
// what SQLite accepts (its compiled-in maximum is 1,000,000,000).
func setLengthLimit(conn *sql.Conn, n int64) error {
	n = min(max(n, 1), 1_000_000_000)
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*sqlite3.SQLiteConn)
		if !ok {
			return fmt.Errorf("sqlite connection is a %T", dc)
		}
		c.SetLimit(sqlite3.SQLITE_LIMIT_LENGTH, int(n))
		return nil
	})
}

// limitError maps SQLITE_TOOBIG (a value past the length limit) and
// SQLITE_NOMEM (the heap limit) onto askdb's limit errors.
func limitError(se sqlite3.Error, maxBytes int64) error {
	if se.Code == sqlite3.ErrTooBig {
		return &source.LimitError{Limit: maxBytes, Err: source.ErrValueTooLarge, Cause: se}
	}
	heapLimit.Lock()
	defer heapLimit.Unlock()
	return &source.LimitError{Limit: heapLimit.n, Err: source.ErrMemoryLimit, Cause: se}
}

// heapLimit is the hard limit on SQLite's heap last set, in bytes.
var heapLimit struct {
	sync.Mutex
	n int64
}

// raiseHeapLimit makes SQLite's hard heap limit (sqlite3_hard_heap_limit64)
// at least n. The length limit bounds each value, not a row: a row of 100
// columns of 16 MB each is 1.6 GB inside SQLite before the first copy
// reaches Go. The heap limit fails such a query with SQLITE_NOMEM. It is
// process-wide, shared by every SQLite database askdb opens (sources and
// the store), so it only ever rises: to the largest max_memory of the
// sqlite sources.
func raiseHeapLimit(ctx context.Context, db *sql.DB, n int64) error {
	heapLimit.Lock()
	defer heapLimit.Unlock()
	if n <= heapLimit.n {
		return nil
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		c, ok := dc.(*sqlite3.SQLiteConn)
		if !ok {
			return fmt.Errorf("sqlite connection is a %T", dc)
		}
		// The authorizer would deny this PRAGMA; it goes through the
		// connection's own Exec with the authorizer lifted for the call.
		c.RegisterAuthorizer(nil)
		defer c.RegisterAuthorizer(authorize)
		_, err := c.Exec(fmt.Sprintf("PRAGMA hard_heap_limit = %d", n), nil)
		return err
	})
	if err != nil {
		return fmt.Errorf("set SQLite's heap limit: %w", err)
	}
	heapLimit.n = n
	return nil
}
