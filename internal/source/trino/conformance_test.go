package trino_test

import (
	"database/sql"
	"testing"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/source/sourcetest"
	"github.com/askdb/askdb/internal/source/trino/trinofake"
)

// slowQuery is valid Trino that runs for minutes on the sample: a triple
// cross join of orders.
const slowQuery = "SELECT count(*) FROM orders a CROSS JOIN orders b CROSS JOIN orders c"

// TestIntegrationConformance runs the shared source suite through the real
// client against the fake coordinator, connected as admin, whom the access
// rules allow everything: the read-only transaction alone refuses writes.
// Trino declares no keys and reports no column defaults (Keyless).
func TestIntegrationConformance(t *testing.T) {
	l := newLake(t, trinofake.Options{PageSize: 25})
	sourcetest.Run(t, sourcetest.Harness{
		Open:      func(t *testing.T) source.Source { return open(t.Context(), t, l.dsn("admin", nil)) },
		Admin:     func(*testing.T) *sql.DB { return l.admin },
		SlowQuery: slowQuery,
		Dialect:   catalog.Trino,
		Keyless:   true,
	})
	if n := l.fake.Running(); n != 0 {
		t.Errorf("%d queries still running on the coordinator after the suite", n)
	}
}
