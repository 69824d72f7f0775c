package sample

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/askdb/askdb/internal/catalog"
	_ "github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib"
)

// scratchDB creates an empty database on a server reached with admin and
// returns a connection to it; it is dropped at the end of the test.
func scratchDB(t *testing.T, driver, adminDSN string, dsnFor func(db string) string) *sql.DB {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	admin, err := sql.Open(driver, adminDSN)
	if err == nil {
		err = admin.PingContext(ctx)
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s server unreachable: %v", driver, err)
		}
		t.Skipf("%s server unreachable (%v); set up a local server to run this test", driver, err)
	}
	name := fmt.Sprintf("askdb_sample_test_%d", time.Now().UnixNano())
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	db, err := sql.Open(driver, dsnFor(name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Close()
		if _, err := admin.Exec("DROP DATABASE " + name); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
		admin.Close()
	})
	return db
}

func TestIntegrationLoad(t *testing.T) {
	pgDSN := envOr("ASKDB_TEST_POSTGRES_DSN", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable")
	myDSN := envOr("ASKDB_TEST_MYSQL_DSN", "root@tcp(127.0.0.1:3306)/")
	tests := []struct {
		name    string
		dialect catalog.Dialect
		open    func(t *testing.T) *sql.DB
	}{
		{"postgres", catalog.Postgres, func(t *testing.T) *sql.DB {
			return scratchDB(t, "pgx", pgDSN, func(db string) string {
				return fmt.Sprintf("postgres://postgres@127.0.0.1:5432/%s?sslmode=disable", db)
			})
		}},
		{"mysql", catalog.MySQL, func(t *testing.T) *sql.DB {
			return scratchDB(t, "mysql", myDSN, func(db string) string { return "root@tcp(127.0.0.1:3306)/" + db })
		}},
	}
	opts := Options{Seed: 1, Today: testToday}
	want := Generate(opts)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			db := tc.open(t)
			if err := Load(ctx, db, tc.dialect, opts); err != nil {
				t.Fatalf("Load: %v", err)
			}
			for table, n := range want.RowCounts() {
				var got int
				if err := db.QueryRowContext(ctx, "SELECT count(*) FROM "+table).Scan(&got); err != nil || got != n {
					t.Errorf("%s: %d rows (%v), want %d", table, got, err, n)
				}
			}
			var name string
			if err := db.QueryRowContext(ctx, "SELECT name FROM customers WHERE customer_id = 1").Scan(&name); err != nil || name != "Zoë Müller" {
				t.Errorf("customer 1 = %q (%v), want Zoë Müller", name, err)
			}
			if err := Load(ctx, db, tc.dialect, opts); err == nil {
				t.Error("second Load succeeded, want an error")
			}
		})
	}
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
