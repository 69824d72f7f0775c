package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/askdb/askdb/internal/source/sqlbase"
)

// errNotPinned means a connection did not come up with the session
// settings the guard's parser assumes; askdb refuses to run queries on it.
var errNotPinned = errors.New("session settings could not be pinned")

// pinned is what every connection of a source must run with, sent in the
// startup packet so that it beats role and database defaults (ALTER ROLE …
// SET), and is also what RESET ALL returns to.
//
//   - standard_conforming_strings=on: libpg_query reads 'a\' as a complete
//     literal; with it off the server reads the backslash as an escape, and a
//     query the guard saw as one string becomes code.
//   - client_encoding=UTF8: the guard refuses invalid UTF-8, and in the
//     client-only encodings (SJIS, BIG5, GBK) a multibyte character may end
//     in the byte of a backslash or quote.
//   - default_transaction_read_only=on: a second read-only layer under the
//     BEGIN READ ONLY of every query, for any path that forgets it.
//   - search_path: the server's own path with pg_catalog first and pg_temp
//     last, so that a function with a built-in's name and argument types in
//     a user schema cannot shadow the built-in, and a temporary table cannot
//     shadow a real one.
//
// backslash_quote only matters in escape strings (E'…'), where libpg_query and the
// server agree; its stricter values make the server refuse more, never
// read more. escape_string_warning only logs.
type pinned struct {
	searchPath string
}

func (p pinned) params() map[string]string {
	return map[string]string{
		"standard_conforming_strings":   "on",
		"client_encoding":               "UTF8",
		"default_transaction_read_only": "on",
		"search_path":                   p.searchPath,
	}
}

// pinnedSearchPath puts pg_catalog first and pg_temp last on the server's
// effective path (role, database and DSN settings included).
func pinnedSearchPath(effective string) string {
	var keep []string
	for _, s := range strings.Split(effective, ",") {
		s = strings.TrimSpace(s)
		switch strings.Trim(s, `"`) {
		case "", "pg_catalog", "pg_temp":
			continue
		}
		keep = append(keep, s)
	}
	return strings.Join(append(append([]string{"pg_catalog"}, keep...), "pg_temp"), ", ")
}

// verify is the AfterConnect hook: it reads the settings back and refuses
// the connection when any of them did not take.
func (p pinned) verify(ctx context.Context, c *pgx.Conn) error {
	want := p.params()
	names := []string{"standard_conforming_strings", "client_encoding", "default_transaction_read_only", "search_path"}
	got := make([]string, len(names))
	dest := make([]any, len(names))
	for i := range got {
		dest[i] = &got[i]
	}
	if err := c.QueryRow(ctx, `SELECT current_setting('standard_conforming_strings'), current_setting('client_encoding'),
  current_setting('default_transaction_read_only'), current_setting('search_path')`).Scan(dest...); err != nil {
		return fmt.Errorf("%w: read back: %w", errNotPinned, err)
	}
	for i, n := range names {
		if got[i] != want[n] {
			return fmt.Errorf("%w: %s is %q, want %q", errNotPinned, n, got[i], want[n])
		}
	}
	return nil
}

// probe reads what the pinned settings are built from over one short-lived
// connection: the version, the effective search_path, and whether the role
// is a superuser (which askdb warns about: no privilege stops it).
func probe(ctx context.Context, cfg *pgx.ConnConfig) (version, searchPath string, super bool, err error) {
	c, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return "", "", false, err
	}
	defer c.Close(context.Background())
	var su string
	err = c.QueryRow(ctx, "SELECT version(), current_setting('search_path'), current_setting('is_superuser')").
		Scan(&version, &searchPath, &su)
	return version, searchPath, su == "on", err
}

// beginSQL opens a query's READ ONLY transaction and sets its time limit in
// one round trip (the simple protocol takes several statements).
func beginSQL(timeout time.Duration) string {
	ms := max(timeout.Milliseconds(), 1)
	return "BEGIN READ ONLY; SET LOCAL statement_timeout = " + strconv.FormatInt(ms, 10)
}

// cleanSQL ends a query and undoes what it could leave on the session, in
// one round trip: the transaction (and with it every SET and set_config),
// session-level advisory locks, which outlive a rollback, and any setting
// changed outside a transaction (RESET ALL returns to the pinned startup
// values). Temporary tables cannot be created in a read-only transaction.
const cleanSQL = "ROLLBACK; SELECT pg_advisory_unlock_all(); RESET ALL"

// inSession runs fn on one pooled connection inside a READ ONLY
// transaction, then cleans the session before it goes back to the pool,
// or discards the connection when it cannot.
func (s *Source) inSession(ctx context.Context, db *sql.DB, timeout time.Duration, fn func(context.Context, sqlbase.Querier) error) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	defer s.clean(conn)
	if _, err := conn.ExecContext(ctx, beginSQL(timeout)); err != nil {
		return err
	}
	return fn(ctx, conn)
}

// clean runs cleanSQL on its own short deadline: the query's context may
// have ended, and the session must be cleaned all the same.
func (s *Source) clean(conn *sql.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if _, err := conn.ExecContext(ctx, cleanSQL); err != nil {
		s.log.Debug("discarding a connection that could not be cleaned", "err", err)
		sqlbase.Discard(conn)
	}
}
