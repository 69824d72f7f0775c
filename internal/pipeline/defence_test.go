package pipeline_test

import (
	"context"
	"testing"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/sqlguard"
)

// TestIntegrationDefenceInDepth proves each layer alone: the guard refuses
// every write, and with the guard bypassed on purpose, and connected as a
// superuser so that no role stands in the way, the source's read-only
// transaction or session still refuses it, on every engine, and the data
// is unchanged.
func TestIntegrationDefenceInDepth(t *testing.T) {
	writes := map[catalog.Dialect][]string{
		catalog.SQLite: {
			"UPDATE employees SET salary = 0",
			"DELETE FROM customers",
			"INSERT INTO departments (department_id, name, location, budget) VALUES (99, 'x', 'y', 1)",
			"CREATE TABLE stolen AS SELECT * FROM customers",
			"DROP TABLE timesheets",
			"WITH d AS (SELECT 1) DELETE FROM customers",
			"REPLACE INTO departments (department_id, name, location, budget) VALUES (1, 'x', 'y', 1)",
		},
		catalog.Postgres: {
			"UPDATE employees SET salary = 0",
			"DELETE FROM customers",
			"WITH d AS (DELETE FROM customers RETURNING *) SELECT count(*) FROM d",
			"SELECT * INTO stolen FROM customers",
			"CREATE TABLE stolen AS SELECT * FROM customers",
			"DROP TABLE timesheets",
			"TRUNCATE orders",
		},
		catalog.MySQL: {
			"UPDATE employees SET salary = 0",
			"DELETE FROM customers",
			"CREATE TABLE stolen AS SELECT * FROM customers",
			"DROP TABLE timesheets",
			"TRUNCATE orders",
			"REPLACE INTO departments (department_id, name, location, budget) VALUES (1, 'x', 'y', 1)",
		},
	}
	ctx := context.Background()
	for _, open := range engines(t) {
		e := open(t)
		t.Run(e.name, func(t *testing.T) {
			set := source.NewSet(&config.Config{Sources: map[string]config.Source{e.name: e.adminCfg}}, nil)
			defer set.Close()
			src, err := set.Get(ctx, e.name)
			if err != nil {
				t.Fatal(err)
			}
			before := []int{count(t, e.admin, "employees WHERE salary = 0"), count(t, e.admin, "customers"), count(t, e.admin, "timesheets"), count(t, e.admin, "orders")}
			for _, stmt := range writes[src.Dialect()] {
				if v := sqlguard.Check(stmt, sqlguard.Options{Dialect: src.Dialect()}); v.Accepted {
					t.Errorf("guard accepted %q", stmt)
				}
				// The guard is bypassed: the statement goes straight to the source.
				if _, err := src.Query(ctx, stmt, source.Limits{}); err == nil {
					t.Errorf("source ran %q", stmt)
				}
			}
			after := []int{count(t, e.admin, "employees WHERE salary = 0"), count(t, e.admin, "customers"), count(t, e.admin, "timesheets"), count(t, e.admin, "orders")}
			for i := range before {
				if before[i] != after[i] {
					t.Fatalf("data changed: before %v, after %v", before, after)
				}
			}
			if _, err := e.admin.Exec("SELECT count(*) FROM stolen"); err == nil {
				t.Error("table stolen exists")
			}
		})
	}
}
