package mysql

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/askdb/askdb/internal/source/sqlbase"
)

// errNotPinned means a connection did not take the sql_mode the guard's
// parser assumes; askdb refuses to run queries on it.
var errNotPinned = errors.New("session sql_mode could not be pinned")

// keptModes are the sql_mode flags a session may keep from the server's or
// account's default: none of them changes how a statement is read. Every
// other flag is dropped, among them the ones that do: ANSI_QUOTES ("a" is
// an identifier), NO_BACKSLASH_ESCAPES ('a\' is a whole literal),
// PIPES_AS_CONCAT, HIGH_NOT_PRECEDENCE, IGNORE_SPACE (added back for
// MariaDB, below), MariaDB's ORACLE and MSSQL grammars and
// EMPTY_STRING_IS_NULL, the composite modes (ANSI, TRADITIONAL…), and any
// flag a future server adds. The TiDB parser in sqlguard runs with none of
// them.
var keptModes = map[string]bool{
	"ONLY_FULL_GROUP_BY": true, "STRICT_TRANS_TABLES": true, "STRICT_ALL_TABLES": true,
	"NO_ZERO_IN_DATE": true, "NO_ZERO_DATE": true, "ERROR_FOR_DIVISION_BY_ZERO": true,
	"NO_AUTO_CREATE_USER": true, "NO_ENGINE_SUBSTITUTION": true, "NO_AUTO_VALUE_ON_ZERO": true,
	"NO_DIR_IN_CREATE": true, "ALLOW_INVALID_DATES": true, "NO_UNSIGNED_SUBTRACTION": true,
	"PAD_CHAR_TO_FULL_LENGTH": true, "TIME_TRUNCATE_FRACTIONAL": true,
	"NO_FIELD_OPTIONS": true, "NO_KEY_OPTIONS": true, "NO_TABLE_OPTIONS": true,
}

// ignoreSpace is pinned on MariaDB, where without it "count (x)" or
// "now ()" (a space before the parenthesis) calls a stored function of the
// current database named count or now, while the TiDB parser reads the
// built-in. MariaDB still accepts those names as identifiers with it on.
// MySQL makes them reserved words under IGNORE_SPACE, so a column named
// position would stop working there; it is not pinned on MySQL.
const ignoreSpace = "IGNORE_SPACE"

// pinnedMode is the sql_mode a session runs with, from the one it started
// with.
func pinnedMode(current string, mariaDB bool) string {
	var out []string
	for _, f := range strings.Split(current, ",") {
		if keptModes[f] {
			out = append(out, f)
		}
	}
	if mariaDB {
		out = append(out, ignoreSpace)
	}
	return strings.Join(out, ",")
}

// checkMode reports why a session's sql_mode is not one askdb pins.
func checkMode(mode string, mariaDB bool) error {
	flags := strings.Split(mode, ",")
	for _, f := range flags {
		if f != "" && !keptModes[f] && (f != ignoreSpace || !mariaDB) {
			return fmt.Errorf("%w: sql_mode %q holds %s", errNotPinned, mode, f)
		}
	}
	if mariaDB && !slices.Contains(flags, ignoreSpace) {
		return fmt.Errorf("%w: sql_mode %q lacks %s", errNotPinned, mode, ignoreSpace)
	}
	return nil
}

// pinMode sets the pinned sql_mode on a new connection and reads it back.
func pinMode(ctx context.Context, conn driver.Conn) error {
	q, qok := conn.(driver.QueryerContext)
	ex, eok := conn.(driver.ExecerContext)
	if !qok || !eok {
		return errors.New("mysql driver connection cannot run statements")
	}
	row, err := queryRow(ctx, q, "SELECT @@SESSION.sql_mode, VERSION()")
	if err != nil {
		return fmt.Errorf("%w: %w", errNotPinned, err)
	}
	mariaDB := isMariaDB(row[1])
	// The flags are names from keptModes: nothing to quote.
	if _, err := ex.ExecContext(ctx, "SET SESSION sql_mode = '"+pinnedMode(row[0], mariaDB)+"'", nil); err != nil {
		return fmt.Errorf("%w: %w", errNotPinned, err)
	}
	if row, err = queryRow(ctx, q, "SELECT @@SESSION.sql_mode"); err != nil {
		return fmt.Errorf("%w: %w", errNotPinned, err)
	}
	return checkMode(row[0], mariaDB)
}

func isMariaDB(version string) bool { return strings.Contains(strings.ToLower(version), "mariadb") }

// queryRow reads the first row of query as strings, on a driver connection.
func queryRow(ctx context.Context, q driver.QueryerContext, query string) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, nil)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	vals := make([]driver.Value, len(rows.Columns()))
	if err := rows.Next(vals); err != nil {
		if errors.Is(err, io.EOF) {
			err = errors.New("no row")
		}
		return nil, err
	}
	out := make([]string, len(vals))
	for i, v := range vals {
		if b, ok := v.([]byte); ok {
			v = string(b)
		}
		out[i] = fmt.Sprint(v)
	}
	return out, nil
}

// cleanSession undoes what a query could leave on its pooled connection,
// or discards the connection, in one round trip. RELEASE_ALL_LOCKS() frees
// every named lock (GET_LOCK) the session holds; a query that took one was
// hostile, so its whole session, user variables included, is thrown away
// rather than reused (the driver has no COM_RESET_CONNECTION). A session
// whose sql_mode is no longer the pinned one is thrown away too. The time
// limit is left as the query set it: whoever runs next on the connection
// sets its own (the next query, or introspect's reset to the default).
func (s *Source) cleanSession(conn *sql.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var released int64
	var mode string
	err := conn.QueryRowContext(ctx, "SELECT RELEASE_ALL_LOCKS(), @@SESSION.sql_mode").Scan(&released, &mode)
	if err == nil && released > 0 {
		err = fmt.Errorf("the query held %d named locks", released)
	}
	if err == nil {
		err = checkMode(mode, s.mariaDB)
	}
	if err != nil {
		s.log.Debug("discarding a connection that could not be cleaned", "err", err)
		sqlbase.Discard(conn)
	}
}
