package dbtest_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/askdb/askdb/internal/dbtest"
)

func open(t *testing.T, driver, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func mustExec(t *testing.T, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.ExecContext(context.Background(), s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// engines describes each server so that one test body covers both.
var engines = []struct {
	name, driver string
	fresh        func(testing.TB) string
	readOnly     func(testing.TB, string) string
	currentDB    string
	exists       string
}{
	{"postgres", "pgx", dbtest.Postgres, dbtest.PostgresReadOnly, "SELECT current_database()",
		"SELECT count(*) FROM pg_database WHERE datname = $1"},
	{"mysql", "mysql", dbtest.MySQL, dbtest.MySQLReadOnly, "SELECT database()",
		"SELECT count(*) FROM information_schema.schemata WHERE schema_name = ?"},
}

func TestIntegrationFreshDatabaseIsDroppedAndReadOnlyCannotWrite(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			var name string
			t.Run("fresh", func(t *testing.T) {
				dsn := e.fresh(t)
				db := open(t, e.driver, dsn)
				if err := db.QueryRow(e.currentDB).Scan(&name); err != nil {
					t.Fatal(err)
				}
				if !strings.HasPrefix(name, "askdb_t_") {
					t.Fatalf("connected to %q, want a fresh askdb_t_ database", name)
				}
				mustExec(t, db, "CREATE TABLE t (id int PRIMARY KEY)", "INSERT INTO t VALUES (1)")

				ro := open(t, e.driver, e.readOnly(t, dsn))
				var n int
				if err := ro.QueryRow("SELECT count(*) FROM t").Scan(&n); err != nil || n != 1 {
					t.Fatalf("read-only SELECT: n=%d err=%v", n, err)
				}
				if _, err := ro.Exec("INSERT INTO t VALUES (2)"); err == nil {
					t.Fatal("read-only login could INSERT")
				}
				if _, err := ro.Exec("CREATE TABLE u (id int)"); err == nil {
					t.Fatal("read-only login could CREATE TABLE")
				}
			})
			if t.Failed() || t.Skipped() || name == "" {
				return
			}
			// The subtest's cleanup has run: its database must be gone.
			probe := open(t, e.driver, e.fresh(t))
			var n int
			if err := probe.QueryRow(e.exists, name).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 0 {
				t.Fatalf("database %q still exists after the test ended", name)
			}
		})
	}
}

func TestUniqueDatabasesPerCall(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			a, b := e.fresh(t), e.fresh(t)
			if a == b {
				t.Fatalf("two calls returned the same DSN %q", a)
			}
		})
	}
}
