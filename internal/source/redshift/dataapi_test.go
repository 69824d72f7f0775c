package redshift_test

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"testing"

	"github.com/askdb/askdb/internal/awstest"
	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/source/sourcetest"
)

// dataFake starts the Redshift Data API fake over the sample database
// (with the svv fixture on its path) and points the SDK at it.
func dataFake(t *testing.T) (*awstest.RedshiftData, *sql.DB) {
	t.Helper()
	dsn, admin := sampleDB(t)
	cluster, err := sql.Open("pgx", withSVV(t, dsn))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cluster.Close() })
	f := awstest.NewRedshiftData(t, awstest.LoadRedshiftDataScript(t, "testdata/dataapi.json"), cluster)
	f.Setenv(t)
	return f, admin
}

const (
	clusterDSN   = "redshift-data:///dev?cluster=analytics&db_user=askdb_ro"
	workgroupDSN = "redshift-data:///dev?workgroup=analytics&secret_arn=arn:aws:secretsmanager:us-east-1:123456789012:secret:redshift-askdb-AbCdEf"
)

// TestIntegrationConformanceDataAPI runs the shared suite through the real
// SDK client and the Data API fake, over PostgreSQL as the admin: the
// session's READ ONLY characteristics alone refuse the writes.
func TestIntegrationConformanceDataAPI(t *testing.T) {
	f, admin := dataFake(t)
	sourcetest.Run(t, sourcetest.Harness{
		Open: func(t *testing.T) source.Source {
			return open(t, config.Source{DSN: clusterDSN, Schemas: []string{"public"}})
		},
		Admin:     func(*testing.T) *sql.DB { return admin },
		SlowQuery: "SELECT pg_sleep(10)",
		Dialect:   catalog.Postgres,
	})
	calls := f.Calls()
	for _, op := range []string{"ExecuteStatement", "DescribeStatement", "GetStatementResult", "CancelStatement"} {
		if !slices.Contains(calls, "RedshiftData."+op) {
			t.Errorf("the suite never called %s", op)
		}
	}
}

// TestIntegrationDataAPI covers what the suite does not: paging across
// many pages, a workgroup with a secret, and refused identities.
func TestIntegrationDataAPI(t *testing.T) {
	f, _ := dataFake(t)
	ctx := context.Background()
	t.Run("paging", func(t *testing.T) {
		src := open(t, config.Source{DSN: workgroupDSN})
		res, err := src.Query(ctx, "SELECT customer_id FROM customers ORDER BY customer_id", source.Limits{MaxRows: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Rows) < 20 || res.Truncated {
			t.Fatalf("got %d rows (truncated %v), want every customer across pages of 7", len(res.Rows), res.Truncated)
		}
		for i, r := range res.Rows {
			if r[0] != int64(i+1) {
				t.Fatalf("row %d = %v, want %d: a page was lost or repeated", i, r[0], i+1)
			}
		}
		calls := f.Calls()
		count := func(op string) int {
			n := 0
			for _, c := range calls {
				if c == "RedshiftData."+op {
					n++
				}
			}
			return n
		}
		// The fake keeps every statement STARTED for two polls.
		if exec, desc := count("ExecuteStatement"), count("DescribeStatement"); desc < 3*exec {
			t.Errorf("%d DescribeStatement calls for %d statements: the client did not poll until FINISHED", desc, exec)
		}
		if pages := count("GetStatementResult"); pages < (len(res.Rows)+6)/7 {
			t.Errorf("%d GetStatementResult calls for %d rows in pages of 7", pages, len(res.Rows))
		}
	})
	t.Run("row cap stops paging", func(t *testing.T) {
		src := open(t, config.Source{DSN: workgroupDSN})
		res, err := src.Query(ctx, "SELECT customer_id FROM customers", source.Limits{MaxRows: 3})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Rows) != 3 || !res.Truncated {
			t.Fatalf("got %d rows (truncated %v), want 3, truncated", len(res.Rows), res.Truncated)
		}
	})
	for _, tc := range []struct{ name, dsn string }{
		{"unknown db user", "redshift-data:///dev?cluster=analytics&db_user=admin"},
		{"unknown secret", "redshift-data:///dev?workgroup=analytics&secret_arn=arn:aws:secretsmanager:us-east-1:1:secret:other"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := source.Open(ctx, "rs", config.Source{Kind: "redshift", DSN: tc.dsn}, source.Options{})
			if !errors.Is(err, source.ErrAuth) {
				t.Fatalf("open = %v, want ErrAuth", err)
			}
		})
	}
	t.Run("unknown cluster", func(t *testing.T) {
		_, err := source.Open(ctx, "rs", config.Source{Kind: "redshift", DSN: "redshift-data:///dev?cluster=nope&db_user=askdb_ro"}, source.Options{})
		if !errors.Is(err, source.ErrUnreachable) {
			t.Fatalf("open = %v, want ErrUnreachable", err)
		}
	})
}

// TestIntegrationDataAPIUnsigned checks that the fake refuses a request
// signed with other credentials, so the signature check can fail.
func TestIntegrationDataAPIUnsigned(t *testing.T) {
	dataFake(t)
	t.Setenv("AWS_SECRET_ACCESS_KEY", "not-the-secret")
	_, err := source.Open(context.Background(), "rs", config.Source{Kind: "redshift", DSN: clusterDSN}, source.Options{})
	if !errors.Is(err, source.ErrAuth) {
		t.Fatalf("open with a wrong signing key = %v, want ErrAuth", err)
	}
}
