package mysql_test

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
// database, connected as root: it proves the read-only session and
// transaction layer alone, without help from a read-only user.
func TestIntegrationConformance(t *testing.T) {
	dsn := dbtest.MySQL(t)
	admin := openAdmin(t, dsn)
	if err := sample.Load(context.Background(), admin, catalog.MySQL, sourcetest.Options()); err != nil {
		t.Fatalf("load sample: %v", err)
	}
	sourcetest.Run(t, sourcetest.Harness{
		Open:      func(t *testing.T) source.Source { return openSource(t, dsn) },
		Admin:     func(*testing.T) *sql.DB { return admin },
		SlowQuery: "SELECT SLEEP(10)",
		Dialect:   catalog.MySQL,
	})
}
