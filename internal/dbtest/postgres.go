package dbtest

import (
	_ "embed"
	"net/url"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
)

// Postgres creates a fresh, uniquely named PostgreSQL database for t and
// returns an admin DSN for it. The database is dropped in t.Cleanup.
func Postgres(t testing.TB) string {
	t.Helper()
	base := envOr(PostgresEnv, DefaultPostgresDSN)
	admin := openAdmin(t, "PostgreSQL", "pgx", PostgresEnv, base)
	name := uniqueName(t)
	exec(t, admin, `CREATE DATABASE "`+name+`"`)
	t.Cleanup(func() {
		defer admin.Close()
		exec(t, admin, `DROP DATABASE IF EXISTS "`+name+`" WITH (FORCE)`)
	})
	return postgresWithDB(t, base, name)
}

// PostgresReadOnly returns a DSN for the database of adminDSN that logs in
// as the read-only role askdb_ro, creating the role when it is missing and
// granting it SELECT on every table (present and future) of every user
// schema. Call it after creating the schemas.
func PostgresReadOnly(t testing.TB, adminDSN string) string {
	t.Helper()
	db := openAdmin(t, "PostgreSQL", "pgx", PostgresEnv, adminDSN)
	defer db.Close()
	// Roles are cluster-wide and test packages run in parallel, so a
	// concurrent CREATE ROLE is tolerated rather than raced.
	exec(t, db, `DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '`+ReadOnlyUser+`') THEN
    CREATE ROLE `+ReadOnlyUser+` LOGIN PASSWORD '`+ReadOnlyPassword+`';
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$`)
	exec(t, db, `DO $$
DECLARE s text;
BEGIN
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO `+ReadOnlyUser+`', current_database());
  FOR s IN SELECT nspname FROM pg_namespace
           WHERE nspname NOT LIKE 'pg\_%' AND nspname <> 'information_schema' LOOP
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO `+ReadOnlyUser+`', s);
    EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO `+ReadOnlyUser+`', s);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT ON TABLES TO `+ReadOnlyUser+`', s);
  END LOOP;
END $$`)
	return postgresWithUser(t, adminDSN, ReadOnlyUser, ReadOnlyPassword)
}

// postgresWithDB points a URL or keyword/value DSN at database name.
func postgresWithDB(t testing.TB, dsn, name string) string {
	t.Helper()
	if !isURL(dsn) {
		return dsn + " dbname=" + name
	}
	u := parseURL(t, dsn)
	u.Path = "/" + name
	return u.String()
}

func postgresWithUser(t testing.TB, dsn, user, password string) string {
	t.Helper()
	if !isURL(dsn) {
		return dsn + " user=" + user + " password=" + password
	}
	u := parseURL(t, dsn)
	u.User = url.UserPassword(user, password)
	return u.String()
}

func isURL(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

func parseURL(t testing.TB, dsn string) *url.URL {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("dbtest: parse PostgreSQL DSN %q: %v", redact(dsn), err)
	}
	return u
}

// PostgresRole creates a uniquely named login role (no password; the test
// server trusts local connections) with CONNECT on the database of
// adminDSN and USAGE on its public schema, and returns the role's name
// and a DSN that logs in as it. Tests grant the rest, or give it hostile
// defaults with ALTER ROLE … SET. The role is dropped in t.Cleanup, after
// its privileges in the database.
func PostgresRole(t testing.TB, adminDSN string) (name, dsn string) {
	t.Helper()
	db := openAdmin(t, "PostgreSQL", "pgx", PostgresEnv, adminDSN)
	name = uniqueName(t)
	exec(t, db, `CREATE ROLE "`+name+`" LOGIN`,
		`DO $$ BEGIN EXECUTE format('GRANT CONNECT ON DATABASE %I TO "`+name+`"', current_database()); END $$`,
		`GRANT USAGE ON SCHEMA public TO "`+name+`"`)
	t.Cleanup(func() {
		defer db.Close()
		exec(t, db, `DROP OWNED BY "`+name+`"`, `DROP ROLE "`+name+`"`)
	})
	if !isURL(adminDSN) {
		return name, adminDSN + " user=" + name
	}
	u := parseURL(t, adminDSN)
	u.User = url.User(name)
	return name, u.String()
}

// dblinkSQL installs dblink and revokes EXECUTE on it from PUBLIC; see the
// file's own comment.
//
//go:embed dblink.sql
var dblinkSQL string

// PostgresDblink installs the dblink extension in the database of
// adminDSN with EXECUTE on its functions revoked from PUBLIC (dblink.sql).
func PostgresDblink(t testing.TB, adminDSN string) {
	t.Helper()
	db := openAdmin(t, "PostgreSQL", "pgx", PostgresEnv, adminDSN)
	defer db.Close()
	exec(t, db, dblinkSQL)
}
