package redshift_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/source"
	_ "github.com/askdb/askdb/internal/source/redshift"
	"github.com/askdb/askdb/internal/source/sourcetest"
)

// TestIntegrationConformanceWire runs the shared suite over the wire
// protocol against PostgreSQL with the svv fixture, connected as the
// admin: it proves the read-only session alone.
func TestIntegrationConformanceWire(t *testing.T) {
	dsn, admin := sampleDB(t)
	sourcetest.Run(t, sourcetest.Harness{
		Open: func(t *testing.T) source.Source {
			return open(t, config.Source{DSN: withSVV(t, dsn), Schemas: []string{"public"}})
		},
		Admin:     func(*testing.T) *sql.DB { return admin },
		SlowQuery: "SELECT pg_sleep(10)",
		Dialect:   catalog.Postgres,
	})
}

// TestIntegrationCatalogPaths checks that the svv views are read when
// they exist and information_schema otherwise, to the same catalog, and
// that the catalog names the Redshift profile for the guard.
func TestIntegrationCatalogPaths(t *testing.T) {
	dsn, _ := sampleDB(t)
	ctx := context.Background()
	svv, err := open(t, config.Source{DSN: withSVV(t, dsn), Schemas: []string{"public"}}).Introspect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	info, err := open(t, config.Source{DSN: dsn, Schemas: []string{"public"}}).Introspect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := svv.Table("only_in_svv"); !ok {
		t.Error("with the svv views on the path, the catalog lacks only_in_svv: they were not read")
	}
	if _, ok := info.Table("only_in_svv"); ok {
		t.Error("without the svv views, the catalog has only_in_svv")
	}
	if svv.Profile != catalog.ProfileRedshift || info.Profile != catalog.ProfileRedshift {
		t.Errorf("profiles %q and %q, want %q", svv.Profile, info.Profile, catalog.ProfileRedshift)
	}
	var kept []catalog.Table
	for _, tb := range svv.Tables {
		if tb.Name != "only_in_svv" {
			kept = append(kept, tb)
		}
	}
	svv.Tables = kept
	if diff := cmp.Diff(info, svv); diff != "" {
		t.Errorf("catalogs differ (-information_schema +svv):\n%s", diff)
	}
}
