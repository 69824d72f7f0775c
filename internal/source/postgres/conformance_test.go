package postgres_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/dbtest"
	"github.com/askdb/askdb/internal/sample"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/source/sourcetest"
)

// TestIntegrationConformance runs the shared source suite over the sample
// database, connected as the admin: it proves the read-only transaction
// layer alone, without help from a read-only role.
func TestIntegrationConformance(t *testing.T) {
	dsn := dbtest.Postgres(t)
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	if err := sample.Load(context.Background(), admin, catalog.Postgres, sourcetest.Options()); err != nil {
		t.Fatalf("load sample: %v", err)
	}
	sourcetest.Run(t, sourcetest.Harness{
		Open:      func(t *testing.T) source.Source { return openSource(t, dsn) },
		Admin:     func(*testing.T) *sql.DB { return admin },
		SlowQuery: "SELECT pg_sleep(10)",
		Dialect:   catalog.Postgres,
	})
}
