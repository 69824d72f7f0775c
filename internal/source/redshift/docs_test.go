package redshift_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/source/sourcetest"
	"github.com/askdb/askdb/internal/sqlguard"
)

// TestDocsConfigLoads checks that the documented askdb.yaml loads and
// passes the kind's checks, every source of it.
func TestDocsConfigLoads(t *testing.T) {
	if cfg := sourcetest.DocsConfig(t, "../../../docs/warehouses-redshift.md"); len(cfg.Sources) != 3 {
		t.Fatalf("%d sources, want the three documented ways in", len(cfg.Sources))
	}
}

// TestIntegrationDocsConfig opens the documented Data API sources, as a
// new user would configure them, against the fake: introspection, a
// query with TOP that the guard's Redshift profile rewrites, a refused
// write and a timeout.
func TestIntegrationDocsConfig(t *testing.T) {
	dataFake(t)
	cfg := sourcetest.DocsConfig(t, "../../../docs/warehouses-redshift.md")
	ctx := context.Background()
	for _, name := range []string{"sales_api", "sales_serverless"} {
		t.Run(name, func(t *testing.T) {
			sc := cfg.Sources[name]
			sc.Schemas = []string{"public"} // the fixture's tables; the docs name a schema "sales"
			src, err := source.Open(ctx, name, sc, source.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			cat, err := src.Introspect(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := cat.Table("orders"); !ok || cat.Profile != catalog.ProfileRedshift {
				t.Fatalf("catalog: orders present %v, profile %q", ok, cat.Profile)
			}
			v := sqlguard.Check("SELECT TOP 3 order_id FROM orders ORDER BY order_id", sqlguard.Options{Dialect: src.Dialect(), Catalog: cat, MaxRows: 100})
			if !v.Accepted {
				t.Fatalf("guard: %s", v.Message)
			}
			res, err := src.Query(ctx, v.SQL, source.Limits{})
			if err != nil || len(res.Rows) != 3 {
				t.Fatalf("query %q: %v rows, err %v; want 3", v.SQL, res, err)
			}
			if _, err := src.Query(ctx, "DELETE FROM orders", source.Limits{}); !errors.Is(err, source.ErrReadOnly) {
				t.Errorf("delete = %v, want ErrReadOnly", err)
			}
			if _, err := src.Query(ctx, "SELECT pg_sleep(5)", source.Limits{Timeout: 300 * time.Millisecond}); !errors.Is(err, source.ErrTimeout) {
				t.Errorf("slow query = %v, want ErrTimeout", err)
			}
		})
	}
}
