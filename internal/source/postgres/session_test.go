package postgres_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/askdb/askdb/internal/dbtest"
	"github.com/askdb/askdb/internal/source"
)

const employeesDDL = `CREATE TABLE employees (id int PRIMARY KEY, name text, salary int);
INSERT INTO employees VALUES (1, 'ann', 100), (2, 'bob', 200), (3, 'cy', 300)`

func query(t *testing.T, src source.Source, q string) *source.Result {
	t.Helper()
	res, err := src.Query(context.Background(), q, source.Limits{})
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return res
}

func adminValue(t *testing.T, dsn, q string, args ...any) string {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v sql.NullString
	if err := db.QueryRow(q, args...).Scan(&v); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return v.String
}

// TestIntegrationSessionPinnedAgainstHostileRole catches a session that
// keeps a role's defaults the guard's parser does not share: with
// standard_conforming_strings off the server reads 'x\' as an escaped
// quote, and the string the guard saw becomes pg_sleep and salary; with
// pg_catalog late in search_path, a public.upper(text) shadows the built-in.
func TestIntegrationSessionPinnedAgainstHostileRole(t *testing.T) {
	dsn := dbtest.Postgres(t)
	execAll(t, dsn, employeesDDL,
		`CREATE FUNCTION public.upper(text) RETURNS text LANGUAGE sql AS $$ SELECT 'shadowed' $$`)
	role, roleDSN := dbtest.PostgresRole(t, dsn)
	execAll(t, dsn, `GRANT SELECT ON employees TO "`+role+`"`,
		`ALTER ROLE "`+role+`" SET standard_conforming_strings = off`,
		`ALTER ROLE "`+role+`" SET search_path = public, pg_catalog`)
	if got := adminValue(t, roleDSN, "SHOW standard_conforming_strings"); got != "off" {
		t.Fatalf("fixture: the role's own sessions have standard_conforming_strings=%s, want off", got)
	}
	src := openSource(t, roleDSN)

	res := query(t, src, `SELECT current_setting('standard_conforming_strings') AS scs,
  current_setting('search_path') AS path, current_setting('default_transaction_read_only') AS ro, upper('a') AS up`)
	if diff := cmp.Diff([]any{"on", "pg_catalog, public, pg_temp", "on", "A"}, res.Rows[0]); diff != "" {
		t.Errorf("session settings (-want +got):\n%s", diff)
	}

	res = query(t, src, `SELECT 'x\' AS a, ' , pg_sleep(0.5), salary FROM employees -- '`)
	want := [][]any{{`x\`, ` , pg_sleep(0.5), salary FROM employees -- `}}
	if diff := cmp.Diff(want, res.Rows); diff != "" {
		t.Errorf("the string literal ran as code (-want +got):\n%s", diff)
	}
}

// TestIntegrationNothingOutlivesAQuery catches a pooled connection that
// keeps what a hostile query left on its session: a session-level
// advisory lock, which survives the rollback, and a setting.
func TestIntegrationNothingOutlivesAQuery(t *testing.T) {
	dsn := dbtest.Postgres(t)
	src := openSource(t, dsn)
	key := rand.Int32()
	hostile := fmt.Sprintf(`SELECT pg_backend_pid()::text AS pid, pg_advisory_lock(%d)::text AS locked,
  set_config('application_name', 'hostile', false) AS app`, key)
	first := query(t, src, hostile).Rows[0]

	held := adminValue(t, dsn, "SELECT count(*)::text FROM pg_locks WHERE locktype = 'advisory' AND objid = $1", uint32(key))
	if held != "0" {
		t.Errorf("another session sees %s advisory locks on key %d after the query ended, want 0", held, key)
	}
	next := query(t, src, `SELECT pg_backend_pid()::text AS pid, current_setting('application_name') AS app,
  (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid())::text AS locks,
  current_setting('standard_conforming_strings') AS scs, current_setting('default_transaction_read_only') AS ro`).Rows[0]
	if next[0] != first[0] {
		t.Fatalf("the next query ran on backend %v, not the pooled connection %v: the test proves nothing", next[0], first[0])
	}
	// RESET ALL after the query returns to the pinned startup values.
	if diff := cmp.Diff([]any{first[0], "", "0", "on", "on"}, next); diff != "" {
		t.Errorf("the pooled connection kept state (-want +got):\n%s", diff)
	}
}

// TestIntegrationDblinkWriteStoppedByPrivilege catches a database where the
// read-only role may execute dblink: dblink opens its own connection, as
// any role it names, so BEGIN READ ONLY and default_transaction_read_only
// do not hold for what it runs (the superuser subtest shows the write going
// through). Only the guard and the missing EXECUTE privilege stop it.
func TestIntegrationDblinkWriteStoppedByPrivilege(t *testing.T) {
	dsn := dbtest.Postgres(t)
	execAll(t, dsn, `CREATE TABLE accounts (id int PRIMARY KEY, balance int)`, `INSERT INTO accounts VALUES (1, 100)`)
	dbtest.PostgresDblink(t, dsn)
	writer, writerDSN := dbtest.PostgresRole(t, dsn)
	execAll(t, dsn, `GRANT SELECT, UPDATE ON accounts TO "`+writer+`"`)
	dbName := adminValue(t, dsn, "SELECT current_database()")
	host := "127.0.0.1"
	if u, err := url.Parse(writerDSN); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	write := func(set int) string {
		return fmt.Sprintf(`SELECT dblink_exec('host=%s user=%s dbname=%s', 'UPDATE accounts SET balance = %d')`,
			host, writer, dbName, set)
	}
	balance := func() string { return adminValue(t, dsn, "SELECT balance::text FROM accounts WHERE id = 1") }

	t.Run("read-only role", func(t *testing.T) {
		src := openSource(t, dbtest.PostgresReadOnly(t, dsn))
		_, err := src.Query(context.Background(), write(0), source.Limits{})
		var ee *source.EngineError
		if !errors.As(err, &ee) || ee.Code != "42501" || !strings.Contains(ee.Message, "dblink_exec") {
			t.Errorf("dblink_exec as the read-only role: %v, want permission denied (42501) for dblink_exec", err)
		}
		if got := balance(); got != "100" {
			t.Fatalf("balance is %s after the refused dblink write, want 100", got)
		}
	})
	t.Run("superuser is not stopped by the read-only transaction", func(t *testing.T) {
		if adminValue(t, dsn, "SHOW is_superuser") != "on" {
			t.Skip("the admin DSN is not a superuser")
		}
		if _, err := openSource(t, dsn).Query(context.Background(), write(7), source.Limits{}); err != nil {
			t.Fatalf("dblink_exec as superuser: %v", err)
		}
		if got := balance(); got != "7" {
			t.Errorf("balance is %s: dblink no longer escapes the read-only transaction; update the README's security model", got)
		}
	})
}
