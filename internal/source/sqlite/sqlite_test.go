package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/sample"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/source/sourcetest"
)

// slowQuery counts to a billion in a recursive CTE: minutes of pure reading.
const slowQuery = `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) SELECT count(*) FROM c`

var (
	sampleOnce sync.Once
	samplePath string
	sampleErr  error
)

// sampleDB builds the conformance sample once per test binary.
func sampleDB(tb testing.TB) string {
	tb.Helper()
	sampleOnce.Do(func() {
		dir, err := os.MkdirTemp("", "askdb-sqlite-test-")
		if err != nil {
			sampleErr = err
			return
		}
		samplePath = filepath.Join(dir, "sample.db")
		sampleErr = sample.EnsureSQLite(context.Background(), samplePath, sourcetest.Options())
	})
	if sampleErr != nil {
		tb.Fatalf("build sample database: %v", sampleErr)
	}
	return samplePath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if samplePath != "" {
		os.RemoveAll(filepath.Dir(samplePath))
	}
	os.Exit(code)
}

func openSource(tb testing.TB, path string) source.Source {
	tb.Helper()
	src, err := source.Open(context.Background(), "test", config.Source{Kind: Kind, Path: path}, source.Options{})
	if err != nil {
		tb.Fatalf("open: %v", err)
	}
	tb.Cleanup(func() { src.Close() })
	return src
}

func TestConformance(t *testing.T) {
	path := sampleDB(t)
	sourcetest.Run(t, sourcetest.Harness{
		Open: func(t *testing.T) source.Source { return openSource(t, path) },
		Admin: func(t *testing.T) *sql.DB {
			db, err := sql.Open("sqlite3", path)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		},
		SlowQuery: slowQuery,
		Dialect:   catalog.SQLite,
	})
}

func TestEngineRefuses(t *testing.T) {
	src := openSource(t, sampleDB(t))
	sourcetest.RefusesWrites(t, src, []sourcetest.Statement{
		{Name: "pragma write", SQL: "PRAGMA query_only = 0"},
		{Name: "attach", SQL: "ATTACH DATABASE ':memory:' AS other"},
		{Name: "create temp table", SQL: "CREATE TEMP TABLE scratch (x INTEGER)"},
		{Name: "load extension", SQL: "SELECT load_extension('/tmp/evil.so')"},
		{Name: "drop", SQL: "DROP TABLE customers"},
		{Name: "write after select", SQL: "SELECT 1; DELETE FROM customers"},
	})
	var n int
	admin, err := sql.Open("sqlite3", sampleDB(t))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if err := admin.QueryRow("SELECT count(*) FROM customers").Scan(&n); err != nil || n != 500 {
		t.Errorf("customers after refused writes = %d (%v), want 500", n, err)
	}
}

func TestEngineAllows(t *testing.T) {
	src := openSource(t, sampleDB(t))
	tests := []struct {
		name string
		sql  string
		rows int
	}{
		{"recursive cte", "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5) SELECT x FROM c", 5},
		{"pragma read", "PRAGMA table_info(customers)", 7},
		{"pragma status", "PRAGMA query_only", 1},
		{"functions", "SELECT upper(name), strftime('%Y', signup_date) FROM customers LIMIT 3", 3},
		{"transaction-free join", "SELECT o.order_id FROM orders o JOIN customers c USING (customer_id) LIMIT 2", 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := src.Query(context.Background(), tc.sql, source.Limits{})
			if err != nil {
				t.Fatalf("Query(%q): %v", tc.sql, err)
			}
			if len(res.Rows) != tc.rows {
				t.Errorf("got %d rows, want %d", len(res.Rows), tc.rows)
			}
		})
	}
}

func TestOpenMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope.db")
	_, err := source.Open(context.Background(), "missing", config.Source{Kind: Kind, Path: path}, source.Options{})
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("open missing file: got %v, want an error naming %q", err, path)
	}
	if _, statErr := os.Stat(path); !errors.Is(statErr, os.ErrNotExist) {
		t.Errorf("opening a missing file created it (stat: %v)", statErr)
	}
}

// TestOpenWithoutPath: an sqlite source with no file is refused, where it
// used to open the sample database silently.
func TestOpenWithoutPath(t *testing.T) {
	t.Setenv(EnvCacheDir, t.TempDir())
	_, err := source.Open(context.Background(), "db", config.Source{Kind: Kind}, source.Options{})
	if err == nil || !strings.Contains(err.Error(), "kind: sample") {
		t.Errorf("open with no path = %v; want an error pointing at kind: sample", err)
	}
}

func TestOpenBundledSample(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(EnvCacheDir, dir)
	src, err := source.Open(context.Background(), "test", config.Source{Kind: SampleKind}, source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Close() })
	want := filepath.Join(dir, "sample-"+time.Now().UTC().Format(time.DateOnly)+".db")
	if got := src.(*Source).Path(); got != want {
		t.Errorf("sample path = %q, want %q", got, want)
	}
	res, err := src.Query(context.Background(), "SELECT count(*) FROM employees", source.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([][]any{{int64(300)}}, res.Rows); diff != "" {
		t.Errorf("employees count (-want +got):\n%s", diff)
	}
}

func TestIntrospectSchemaShapes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shapes.db")
	admin, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	ddl := []string{
		`CREATE TABLE "parent x" ( -- a table; with a ";" -- and dashes
			id INTEGER PRIMARY KEY, -- the id
			"odd -- name" TEXT DEFAULT 'a -- b', -- quoted name
			[bracket] REAL)`,
		`CREATE TABLE child (pid INTEGER REFERENCES "parent x", note) -- child table`,
		`CREATE VIEW v AS SELECT id FROM "parent x"`,
	}
	for _, stmt := range ddl {
		if _, err := admin.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	cat, err := openSource(t, path).Introspect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	def := "'a -- b'"
	want := []catalog.Table{
		{Name: "child", Kind: catalog.KindTable, Columns: []catalog.Column{
			{Name: "pid", DBType: "INTEGER", Type: catalog.TypeInteger, Nullable: true},
			{Name: "note", Type: catalog.TypeOther, Nullable: true},
		}, ForeignKeys: []catalog.ForeignKey{{Columns: []string{"pid"}, RefTable: "parent x", RefColumns: []string{"id"}}}},
		{Name: "parent x", Kind: catalog.KindTable, Comment: `a table; with a ";" -- and dashes`, PrimaryKey: []string{"id"},
			Columns: []catalog.Column{
				{Name: "id", DBType: "INTEGER", Type: catalog.TypeInteger, Comment: "the id"},
				{Name: "odd -- name", DBType: "TEXT", Type: catalog.TypeText, Nullable: true, Default: &def, Comment: "quoted name"},
				{Name: "bracket", DBType: "REAL", Type: catalog.TypeFloat, Nullable: true},
			}},
		{Name: "v", Kind: catalog.KindView, RowCount: -1, Columns: []catalog.Column{
			{Name: "id", DBType: "INTEGER", Type: catalog.TypeInteger, Nullable: true},
		}},
	}
	if diff := cmp.Diff(want, cat.Tables); diff != "" {
		t.Errorf("catalog (-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(cat.Version, "SQLite 3.") {
		t.Errorf("version = %q, want SQLite 3.x", cat.Version)
	}
}

func TestQueryErrors(t *testing.T) {
	src := openSource(t, sampleDB(t))
	_, err := src.Query(context.Background(), "SELEC 1", source.Limits{})
	var ee *source.EngineError
	if !errors.As(err, &ee) || !strings.Contains(ee.Message, "syntax error") || ee.Op != "query" {
		t.Errorf("syntax error: got %v, want *source.EngineError with SQLite's message", err)
	}
	_, err = src.Query(context.Background(), slowQuery, source.Limits{Timeout: 50 * time.Millisecond})
	if !errors.Is(err, source.ErrTimeout) || !strings.Contains(err.Error(), "50ms") {
		t.Errorf("timeout: got %v, want ErrTimeout naming the 50ms limit", err)
	}
}

// createWideSchema writes a schema of n tables with ten columns each, every
// table after the first referencing its predecessor.
func createWideSchema(b *testing.B, path string, n int) {
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	for i := range n {
		ref := ""
		if i > 0 {
			ref = fmt.Sprintf(", FOREIGN KEY (parent_id) REFERENCES t%04d (id)", i-1)
		}
		stmt := fmt.Sprintf(`CREATE TABLE t%04d ( -- table %d
			id INTEGER PRIMARY KEY, -- key
			parent_id INTEGER, name TEXT NOT NULL, amount DECIMAL(10,2), created DATE,
			flag BOOLEAN DEFAULT 0, note VARCHAR(200), score REAL, qty INTEGER, code CHAR(3)%s)`, i, i, ref)
		if _, err := tx.Exec(stmt); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

func BenchmarkIntrospect2000Tables(b *testing.B) {
	path := filepath.Join(b.TempDir(), "wide.db")
	createWideSchema(b, path, 2000)
	src := openSource(b, path)
	b.ReportAllocs()
	for b.Loop() {
		cat, err := src.Introspect(context.Background())
		if err != nil || len(cat.Tables) != 2000 {
			b.Fatalf("introspect: %d tables, %v", len(cat.Tables), err)
		}
	}
}

func benchmarkQuery(b *testing.B, sql string, rows int) {
	sourcetest.BenchQuery(b, openSource(b, sampleDB(b)), sql, rows)
}

func BenchmarkQuery1Row(b *testing.B) {
	benchmarkQuery(b, "SELECT name, email, signup_date FROM customers WHERE customer_id = 42", 1)
}

func BenchmarkQuery10000Rows(b *testing.B) {
	benchmarkQuery(b, "SELECT order_id, line_no, product_id, quantity, unit_price FROM order_items LIMIT 10000", 10000)
}
