package sourcetest

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/sample"
	"github.com/askdb/askdb/internal/source"
)

// FixedToday is the date the sample is generated for in conformance tests.
var FixedToday = time.Date(2025, 6, 15, 0, 0, 0, 0, time.UTC)

// Options are the sample options a Harness must load.
func Options() sample.Options { return sample.Options{Seed: 1, Today: FixedToday} }

// Harness connects the suite to one engine.
type Harness struct {
	// Open returns a source whose database holds the sample loaded with
	// Options(). Run closes it.
	Open func(t *testing.T) source.Source
	// Admin returns a connection to the same database outside askdb, with
	// the rights to read everything, to verify that refused writes changed nothing.
	Admin func(t *testing.T) *sql.DB
	// SlowQuery is a read-only query that runs for more than 5 seconds.
	SlowQuery string
	Dialect   catalog.Dialect
	// FileBacked marks a source whose tables are data files (CSV, Parquet):
	// files declare no keys, comments, defaults or NOT NULL, so those checks
	// are skipped. Types, values, limits, timeouts and read-only checks run.
	FileBacked bool
	// Keyless marks an engine that declares no primary or foreign keys and
	// reports no column defaults (Trino): those checks are skipped; types,
	// nullability and comments run.
	Keyless bool
}

// Run runs the conformance suite against h.
func Run(t *testing.T, h Harness) {
	t.Helper()
	src := h.Open(t)
	t.Cleanup(func() { src.Close() })
	want := sample.Generate(Options())
	if src.Dialect() != h.Dialect {
		t.Errorf("Dialect() = %q, want %q", src.Dialect(), h.Dialect)
	}
	t.Run("Ping", func(t *testing.T) {
		if err := src.Ping(context.Background()); err != nil {
			t.Fatalf("Ping: %v", err)
		}
	})
	t.Run("Introspect", func(t *testing.T) { testIntrospect(t, src, h) })
	t.Run("Values", func(t *testing.T) { testValues(t, src, want) })
	t.Run("Limits", func(t *testing.T) { testLimits(t, src) })
	t.Run("Timeout", func(t *testing.T) { testTimeout(t, src, h) })
	t.Run("Cancel", func(t *testing.T) { testCancel(t, src, h) })
	t.Run("ReadOnly", func(t *testing.T) { testReadOnly(t, src, h, want) })
	t.Run("Explain", func(t *testing.T) { testExplain(t, src) })
	t.Run("EmptyQuery", func(t *testing.T) { testEmpty(t, src) })
}

func testIntrospect(t *testing.T, src source.Source, h Harness) {
	cat, err := src.Introspect(context.Background())
	if err != nil {
		t.Fatalf("Introspect: %v", err)
	}
	if cat.Dialect != h.Dialect || cat.Version == "" || cat.Source != src.Name() {
		t.Errorf("catalog header = (source %q, dialect %q, version %q), want (%q, %q, non-empty)",
			cat.Source, cat.Dialect, cat.Version, src.Name(), h.Dialect)
	}
	for _, name := range sample.Tables() {
		tb, ok := cat.Table(name)
		if !ok {
			t.Errorf("table %q missing from the catalog", name)
			continue
		}
		if tb.Kind != catalog.KindTable || tb.RowCount < -1 {
			t.Errorf("table %q: kind %q, row count %d; want table and a count >= -1", name, tb.Kind, tb.RowCount)
		}
	}
	t.Run("Columns", func(t *testing.T) { testColumns(t, cat, h.FileBacked, h.Keyless) })
	if h.FileBacked {
		return // no keys or comments in data files
	}
	if !h.Keyless {
		t.Run("Keys", func(t *testing.T) { testKeys(t, cat) })
	}
	t.Run("Comments", func(t *testing.T) { testComments(t, cat) })
}

func column(t *testing.T, cat *catalog.Catalog, table, col string) *catalog.Column {
	t.Helper()
	tb, ok := cat.Table(table)
	if !ok {
		t.Fatalf("table %q missing", table)
	}
	c, ok := tb.Column(col)
	if !ok {
		t.Fatalf("column %s.%s missing", table, col)
	}
	return c
}

// testColumns checks types and nullability; for file-backed sources only
// types, since every file column is nullable and has no default.
func testColumns(t *testing.T, cat *catalog.Catalog, fileBacked, keyless bool) {
	tests := []struct {
		table, column string
		typ           catalog.Type
		nullable      bool
	}{
		{"customers", "customer_id", catalog.TypeInteger, false},
		{"customers", "name", catalog.TypeText, false},
		{"customers", "city", catalog.TypeText, true},
		{"customers", "signup_date", catalog.TypeDate, false},
		{"products", "price", catalog.TypeDecimal, false},
		{"products", "active", catalog.TypeBoolean, false},
		{"orders", "total", catalog.TypeDecimal, false},
		{"order_items", "quantity", catalog.TypeInteger, false},
		{"employees", "manager_id", catalog.TypeInteger, true},
		{"projects", "end_date", catalog.TypeDate, true},
		{"timesheets", "hours", catalog.TypeDecimal, false},
	}
	for _, tc := range tests {
		t.Run(tc.table+"."+tc.column, func(t *testing.T) {
			c := column(t, cat, tc.table, tc.column)
			if fileBacked {
				tc.nullable = true
			}
			if c.Type != tc.typ || c.Nullable != tc.nullable || c.DBType == "" {
				t.Errorf("got type %q (db type %q), nullable %v; want type %q, nullable %v",
					c.Type, c.DBType, c.Nullable, tc.typ, tc.nullable)
			}
		})
	}
	if fileBacked || keyless {
		return
	}
	t.Run("default", func(t *testing.T) {
		c := column(t, cat, "orders", "status")
		if c.Default == nil || !strings.Contains(*c.Default, "pending") {
			t.Errorf("orders.status default = %v, want one containing \"pending\"", c.Default)
		}
		if c := column(t, cat, "customers", "name"); c.Default != nil {
			t.Errorf("customers.name default = %q, want none", *c.Default)
		}
	})
}

func testKeys(t *testing.T, cat *catalog.Catalog) {
	pks := map[string][]string{
		"customers":       {"customer_id"},
		"order_items":     {"order_id", "line_no"},
		"project_members": {"project_id", "employee_id"},
	}
	for table, want := range pks {
		tb, _ := cat.Table(table)
		if tb == nil || !cmp.Equal(tb.PrimaryKey, want) {
			t.Errorf("primary key of %q = %v, want %v", table, primaryKey(tb), want)
		}
	}
	fks := []struct {
		name, table string
		want        catalog.ForeignKey
	}{
		{"simple", "orders", catalog.ForeignKey{Columns: []string{"customer_id"}, RefTable: "customers", RefColumns: []string{"customer_id"}}},
		{"self", "employees", catalog.ForeignKey{Columns: []string{"manager_id"}, RefTable: "employees", RefColumns: []string{"employee_id"}}},
		{"composite", "timesheets", catalog.ForeignKey{Columns: []string{"project_id", "employee_id"}, RefTable: "project_members", RefColumns: []string{"project_id", "employee_id"}}},
	}
	ignore := cmpopts.IgnoreFields(catalog.ForeignKey{}, "Name", "RefSchema")
	for _, tc := range fks {
		t.Run("fk_"+tc.name, func(t *testing.T) {
			tb, ok := cat.Table(tc.table)
			if !ok {
				t.Fatalf("table %q missing", tc.table)
			}
			for _, fk := range tb.ForeignKeys {
				if cmp.Equal(fk, tc.want, ignore) {
					return
				}
			}
			t.Errorf("%q has foreign keys %+v, want one equal to %+v", tc.table, tb.ForeignKeys, tc.want)
		})
	}
}

func primaryKey(tb *catalog.Table) []string {
	if tb == nil {
		return nil
	}
	return tb.PrimaryKey
}

func testComments(t *testing.T, cat *catalog.Catalog) {
	tb, ok := cat.Table("customers")
	if !ok {
		t.Fatal("table customers missing")
	}
	if want := sample.Comment("customers", ""); tb.Comment != want {
		t.Errorf("customers comment = %q, want %q", tb.Comment, want)
	}
	for _, col := range []string{"city", "segment"} {
		c := column(t, cat, "customers", col)
		if want := sample.Comment("customers", col); c.Comment != want {
			t.Errorf("customers.%s comment = %q, want %q", col, c.Comment, want)
		}
	}
}
