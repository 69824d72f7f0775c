//go:build duckdb

package duckdb

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

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/sample"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/source/sourcetest"
)

// slowQuery hashes a trillion integers: minutes of pure reading.
const slowQuery = "SELECT sum(hash(i)) FROM range(1000000000000) t(i)"

var (
	sampleOnce sync.Once
	sampleDir  string
	sampleErr  error
)

// sampleFiles builds the conformance sample once per test binary: a
// .duckdb database loaded by sample.Load, and one Parquet file per table
// written from it with COPY.
func sampleFiles(tb testing.TB) (dbPath string, parquet map[string]string) {
	tb.Helper()
	sampleOnce.Do(func() {
		sampleDir, sampleErr = os.MkdirTemp("", "askdb-duckdb-test-")
		if sampleErr == nil {
			sampleErr = buildSample(sampleDir)
		}
	})
	if sampleErr != nil {
		tb.Fatalf("build sample: %v", sampleErr)
	}
	parquet = map[string]string{}
	for _, t := range sample.Tables() {
		parquet[t] = filepath.Join(sampleDir, "parquet", t+".parquet")
	}
	return filepath.Join(sampleDir, "sample.duckdb"), parquet
}

func buildSample(dir string) error {
	ctx := context.Background()
	db, err := openPlain(filepath.Join(dir, "sample.duckdb"))
	if err != nil {
		return err
	}
	defer db.Close()
	if err := sample.Load(ctx, db, catalog.DuckDB, sourcetest.Options()); err != nil {
		return err
	}
	if err := os.Mkdir(filepath.Join(dir, "parquet"), 0o755); err != nil {
		return err
	}
	for _, t := range sample.Tables() {
		out := filepath.Join(dir, "parquet", t+".parquet")
		if _, err := db.ExecContext(ctx, fmt.Sprintf("COPY %s TO %s (FORMAT parquet)", t, quoteString(out))); err != nil {
			return fmt.Errorf("copy %s: %w", t, err)
		}
	}
	return nil
}

// openPlain opens a DuckDB database with no askdb restrictions: the test's
// admin view of the data ("" is in-memory).
func openPlain(dsn string) (*sql.DB, error) {
	c, err := duckdb.NewConnector(dsn, nil)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(c), nil
}

func TestMain(m *testing.M) {
	code := m.Run()
	if sampleDir != "" {
		os.RemoveAll(sampleDir)
	}
	os.Exit(code)
}

func openSource(tb testing.TB, cfg config.Source) *Source {
	tb.Helper()
	cfg.Kind = Kind
	src, err := source.Open(context.Background(), "files", cfg, source.Options{})
	if err != nil {
		tb.Fatalf("open: %v", err)
	}
	tb.Cleanup(func() { src.Close() })
	return src.(*Source)
}

// TestConformanceParquet runs the shared suite over the sample written as
// Parquet files, one per table.
func TestConformanceParquet(t *testing.T) {
	_, files := sampleFiles(t)
	sourcetest.Run(t, sourcetest.Harness{
		Open: func(t *testing.T) source.Source { return openSource(t, config.Source{Files: files}) },
		Admin: func(t *testing.T) *sql.DB {
			db, err := openPlain("")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			for table, path := range files {
				if _, err := db.Exec(fmt.Sprintf("CREATE VIEW %s AS SELECT * FROM read_parquet(%s)", table, quoteString(path))); err != nil {
					t.Fatal(err)
				}
			}
			return db
		},
		SlowQuery:  slowQuery,
		Dialect:    catalog.DuckDB,
		FileBacked: true,
	})
}

// TestConformanceDatabase runs the whole suite, keys and comments included,
// over the sample as a .duckdb file opened read-only.
func TestConformanceDatabase(t *testing.T) {
	path, _ := sampleFiles(t)
	sourcetest.Run(t, sourcetest.Harness{
		Open: func(t *testing.T) source.Source { return openSource(t, config.Source{Path: path}) },
		Admin: func(t *testing.T) *sql.DB {
			// The same file is already open read-only in this process, and
			// DuckDB shares one instance per file: reuse it.
			db, err := openPlain(dsn(path))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		},
		SlowQuery: slowQuery,
		Dialect:   catalog.DuckDB,
	})
}

func writeCSV(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestCSVAndGlobs(t *testing.T) {
	dir := t.TempDir()
	writeCSV(t, filepath.Join(dir, "orders.csv"), "order_id,customer,total,ordered_on\n1,Ana,12.50,2025-01-02\n2,Bo,7.25,2025-01-03\n")
	writeCSV(t, filepath.Join(dir, "events", "2025-01.csv"), "id,kind\n1,click\n2,view\n")
	writeCSV(t, filepath.Join(dir, "events", "2025-02.csv"), "id,kind\n3,click\n")
	src := openSource(t, config.Source{Files: map[string]string{
		"orders": filepath.Join(dir, "orders.csv"),
		"events": filepath.Join(dir, "events", "*.csv"),
	}})
	res, err := src.Query(context.Background(), "SELECT kind, count(*) AS n FROM events GROUP BY kind ORDER BY kind", source.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(res.Rows); got != "[[click 2] [view 1]]" {
		t.Errorf("events by kind = %s, want [[click 2] [view 1]] (both files of the glob)", got)
	}
	cat, err := src.Introspect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	orders, ok := cat.Table("orders")
	if !ok || orders.Kind != catalog.KindTable || orders.RowCount != 2 || len(orders.Columns) != 4 {
		t.Fatalf("orders in catalog = %+v, want a table of 4 columns and 2 rows (counted in the snapshot)", orders)
	}
	want := map[string]catalog.Type{"order_id": catalog.TypeInteger, "customer": catalog.TypeText, "total": catalog.TypeFloat, "ordered_on": catalog.TypeDate}
	for _, c := range orders.Columns {
		if c.Type != want[c.Name] || !c.Nullable {
			t.Errorf("orders.%s: type %s (%s), nullable %v; want %s, nullable", c.Name, c.Type, c.DBType, c.Nullable, want[c.Name])
		}
	}
	if len(cat.Tables) != 2 || !strings.HasPrefix(cat.Version, "DuckDB v1.") {
		t.Errorf("catalog has %d tables, version %q; want 2 and DuckDB v1.x", len(cat.Tables), cat.Version)
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	writeCSV(t, filepath.Join(dir, "a.json"), "{}")
	tests := []struct {
		name string
		cfg  config.Source
		want []string
	}{
		{"missing file", config.Source{Files: map[string]string{"orders": filepath.Join(dir, "nope.csv")}}, []string{`source "files"`, `table "orders"`, "nope.csv"}},
		{"empty glob", config.Source{Files: map[string]string{"ev": filepath.Join(dir, "ev", "*.parquet")}}, []string{`table "ev"`, "*.parquet"}},
		{"not csv or parquet", config.Source{Files: map[string]string{"j": filepath.Join(dir, "a.json")}}, []string{`table "j"`, "a.json", "CSV"}},
		{"missing database", config.Source{Path: filepath.Join(dir, "shop.duckdb")}, []string{"shop.duckdb", "does not exist"}},
		{"path and files", config.Source{Path: filepath.Join(dir, "a.json"), Files: map[string]string{"j": filepath.Join(dir, "a.json")}}, []string{`source "files"`, "cannot be combined"}},
		{"neither path nor files", config.Source{}, []string{`source "files"`, "files:", "path:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmp := t.TempDir()
			t.Setenv("TMPDIR", tmp) // where a snapshot folder would be left
			tt.cfg.Kind = Kind
			_, err := source.Open(context.Background(), "files", tt.cfg, source.Options{})
			for _, w := range tt.want {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("open: got %v, want an error mentioning %q", err, w)
				}
			}
			if left, _ := os.ReadDir(tmp); len(left) > 0 {
				t.Errorf("a failed open left %s in the temporary directory", left[0].Name())
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "shop.duckdb")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("opening a missing database created it (stat: %v)", err)
	}
}

func TestOpenSameDatabaseTwice(t *testing.T) {
	path, _ := sampleFiles(t)
	openSource(t, config.Source{Path: path})
	_, err := source.Open(context.Background(), "again", config.Source{Kind: Kind, Path: path}, source.Options{})
	if err == nil || !strings.Contains(err.Error(), "already open") {
		t.Errorf("second open of %q: got %v, want an error saying it is already open", path, err)
	}
}
