package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Environment variables naming the admin DSNs of the test servers.
const (
	PostgresEnv = "ASKDB_TEST_POSTGRES_DSN"
	MySQLEnv    = "ASKDB_TEST_MYSQL_DSN"
)

// Local defaults, as set up by scripts/testdb.sh.
const (
	DefaultPostgresDSN = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	DefaultMySQLDSN    = "root@tcp(127.0.0.1:3306)/"
)

// ReadOnlyUser and ReadOnlyPassword are the read-only login that
// scripts/testdb.sh creates and PostgresReadOnly / MySQLReadOnly grant.
const (
	ReadOnlyUser     = "askdb_ro"
	ReadOnlyPassword = "askdb_ro"
)

// setupTimeout bounds every administrative step (reach, create, drop).
const setupTimeout = 30 * time.Second

// unavailable skips the test, or fails it under CI=true.
func unavailable(t testing.TB, engine, env, dsn string, err error) {
	t.Helper()
	msg := engine + " test server unreachable (set " + env + " or run scripts/testdb.sh); tried " +
		redact(dsn) + ": " + err.Error()
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// openAdmin opens dsn with driver and pings it, skipping (or failing under
// CI) when the server cannot be reached.
func openAdmin(t testing.TB, engine, driver, env, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatalf("dbtest: open %s admin DSN: %v", engine, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		unavailable(t, engine, env, dsn, err)
	}
	return db
}

// exec runs each statement on db, failing the test on the first error.
func exec(t testing.TB, db *sql.DB, stmts ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s); err != nil {
			t.Fatalf("dbtest: %s: %v", s, err)
		}
	}
}

func envOr(env, def string) string {
	if v := os.Getenv(env); v != "" {
		return v
	}
	return def
}

var unsafeChars = regexp.MustCompile(`[^a-z0-9]+`)

// uniqueName is a database name that says which test made it and cannot
// clash with another test or package running at the same time.
func uniqueName(t testing.TB) string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	stem := strings.Trim(unsafeChars.ReplaceAllString(strings.ToLower(t.Name()), "_"), "_")
	if len(stem) > 40 {
		stem = stem[:40]
	}
	return "askdb_t_" + stem + "_" + hex.EncodeToString(b[:])
}

var (
	keywordPassword = regexp.MustCompile(`(password=)\S+`)
	mysqlPassword   = regexp.MustCompile(`^([^:@/]*):[^@]*@`)
)

// redact hides a password in a DSN so that it never reaches test output.
func redact(dsn string) string {
	if strings.Contains(dsn, "://") {
		if u, err := url.Parse(dsn); err == nil {
			return u.Redacted()
		}
		return "(unparsable DSN)"
	}
	if strings.Contains(dsn, "password=") {
		return keywordPassword.ReplaceAllString(dsn, "${1}xxxxx")
	}
	return mysqlPassword.ReplaceAllString(dsn, "${1}:xxxxx@")
}
