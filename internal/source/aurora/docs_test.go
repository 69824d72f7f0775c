package aurora_test

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
	if cfg := sourcetest.DocsConfig(t, "../../../docs/warehouses-aurora.md"); len(cfg.Sources) != 2 {
		t.Fatalf("%d sources, want the MySQL and the PostgreSQL example", len(cfg.Sources))
	}
}

// TestIntegrationDocsConfig opens the documented MySQL source, as a new
// user would configure it, against the fake over MariaDB: introspection,
// a guarded query, a refused write and a timeout.
func TestIntegrationDocsConfig(t *testing.T) {
	fl := flavours[1]
	fl.script = "testdata/docs-mysql.json"
	cluster(t, fl)
	cfg := sourcetest.DocsConfig(t, "../../../docs/warehouses-aurora.md")
	ctx := context.Background()
	src, err := source.Open(ctx, "hr", cfg.Sources["hr"], source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	cat, err := src.Introspect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := cat.Table("employees"); !ok || cat.Dialect != catalog.MySQL {
		t.Fatalf("catalog: employees present %v, dialect %q", ok, cat.Dialect)
	}
	v := sqlguard.Check("SELECT last_name FROM employees ORDER BY employee_id", sqlguard.Options{Dialect: src.Dialect(), Catalog: cat, MaxRows: 2})
	if !v.Accepted {
		t.Fatalf("guard: %s", v.Message)
	}
	if res, err := src.Query(ctx, v.SQL, source.Limits{}); err != nil || len(res.Rows) != 2 {
		t.Fatalf("query %q: %v, %v; want 2 rows", v.SQL, res, err)
	}
	if v := sqlguard.Check("SELECT salary FROM employees", sqlguard.Options{Dialect: src.Dialect(), Policy: cfg.Sources["hr"].Policy}); v.Accepted {
		t.Error("the documented policy does not hide employees.salary")
	}
	if _, err := src.Query(ctx, "DELETE FROM timesheets", source.Limits{}); !errors.Is(err, source.ErrReadOnly) {
		t.Errorf("delete = %v, want ErrReadOnly", err)
	}
	if _, err := src.Query(ctx, "SELECT SLEEP(5)", source.Limits{Timeout: 300 * time.Millisecond}); !errors.Is(err, source.ErrTimeout) {
		t.Errorf("slow query = %v, want ErrTimeout", err)
	}
}
