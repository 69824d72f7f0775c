package aurora_test

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"testing"

	_ "github.com/go-sql-driver/mysql" // the fake's MySQL engine
	_ "github.com/jackc/pgx/v5/stdlib" // the fake's PostgreSQL engine

	"github.com/askdb/askdb/internal/awstest"
	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/dbtest"
	"github.com/askdb/askdb/internal/sample"
	"github.com/askdb/askdb/internal/source"
	_ "github.com/askdb/askdb/internal/source/aurora"
	"github.com/askdb/askdb/internal/source/sourcetest"
)

// flavour is one engine behind the fake.
type flavour struct {
	name, driver, script, slow string
	dialect                    catalog.Dialect
	adminDSN                   func(testing.TB) string
}

var flavours = []flavour{
	{"postgres", "pgx", "testdata/postgres.json", "SELECT pg_sleep(10)", catalog.Postgres, dbtest.Postgres},
	{"mysql", "mysql", "testdata/mysql.json", "SELECT SLEEP(10)", catalog.MySQL, dbtest.MySQL},
}

// cluster loads the sample into a fresh database of the flavour's engine
// and serves it through the RDS Data API fake, with the SDK pointed at it.
func cluster(t *testing.T, fl flavour) (*awstest.RDSData, awstest.RDSDataScript, *sql.DB) {
	t.Helper()
	admin, err := sql.Open(fl.driver, fl.adminDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	if err := sample.Load(context.Background(), admin, fl.dialect, sourcetest.Options()); err != nil {
		t.Fatalf("load sample: %v", err)
	}
	script := awstest.LoadRDSDataScript(t, fl.script)
	f := awstest.NewRDSData(t, script, admin)
	f.Setenv(t)
	return f, script, admin
}

func dsn(s awstest.RDSDataScript, secret string) string {
	return "aurora-data:///" + s.Database + "?resource_arn=" + s.ResourceARN + "&secret_arn=" + secret + "&engine=" + s.Engine
}

func open(t testing.TB, dsn string) source.Source {
	t.Helper()
	src, err := source.Open(context.Background(), "hr", config.Source{Kind: "aurora", DSN: dsn, Schemas: []string{"public"}}, source.Options{})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { src.Close() })
	return src
}

// TestIntegrationConformance runs the shared suite through the real SDK
// client and the RDS Data API fake, over PostgreSQL and MariaDB connected
// as their admins: the read-only transaction alone refuses the writes.
func TestIntegrationConformance(t *testing.T) {
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			f, script, admin := cluster(t, fl)
			sourcetest.Run(t, sourcetest.Harness{
				Open:      func(t *testing.T) source.Source { return open(t, dsn(script, script.SecretARN)) },
				Admin:     func(*testing.T) *sql.DB { return admin },
				SlowQuery: fl.slow,
				Dialect:   fl.dialect,
			})
			calls := f.Calls()
			for _, p := range []string{"/BeginTransaction", "/Execute", "/RollbackTransaction"} {
				if !slices.Contains(calls, p) {
					t.Errorf("the suite never called %s", p)
				}
			}
			if slices.Contains(calls, "/CommitTransaction") {
				t.Error("a transaction was committed; every one must be rolled back")
			}
		})
	}
}

// TestIntegrationRefusedIdentity checks that a secret the cluster does not
// accept, and a request signed with the wrong key, fail the open as
// ErrAuth.
func TestIntegrationRefusedIdentity(t *testing.T) {
	_, script, _ := cluster(t, flavours[0])
	ctx := context.Background()
	_, err := source.Open(ctx, "hr", config.Source{Kind: "aurora", DSN: dsn(script, "arn:aws:secretsmanager:us-east-1:1:secret:other")}, source.Options{})
	if !errors.Is(err, source.ErrAuth) {
		t.Errorf("open with another secret = %v, want ErrAuth", err)
	}
	t.Setenv("AWS_SECRET_ACCESS_KEY", "not-the-secret")
	_, err = source.Open(ctx, "hr", config.Source{Kind: "aurora", DSN: dsn(script, script.SecretARN)}, source.Options{})
	if !errors.Is(err, source.ErrAuth) {
		t.Errorf("open with a wrong signing key = %v, want ErrAuth", err)
	}
}

// TestIntegrationMySQLFailsClosed checks that, should the Data API open
// MySQL transactions with START TRANSACTION (where SET TRANSACTION READ
// ONLY is an error), askdb runs no query rather than one read-write.
func TestIntegrationMySQLFailsClosed(t *testing.T) {
	fl := flavours[1]
	fl.script = "testdata/mysql_start_transaction.json"
	_, script, admin := cluster(t, fl)
	src := open(t, dsn(script, script.SecretARN))
	_, err := src.Query(context.Background(), "UPDATE customers SET name = 'changed' WHERE customer_id = 1", source.Limits{})
	if err == nil {
		t.Fatal("the write ran")
	}
	var name string
	if err := admin.QueryRow("SELECT name FROM customers WHERE customer_id = 1").Scan(&name); err != nil {
		t.Fatal(err)
	}
	if name == "changed" {
		t.Fatalf("the write changed the data: %v", err)
	}
	if _, err := src.Query(context.Background(), "SELECT 1", source.Limits{}); err == nil {
		t.Error("a read ran in a transaction that could not be made read-only")
	}
}
