package duckdb_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/source"
	_ "github.com/askdb/askdb/internal/source/duckdb"
	_ "github.com/askdb/askdb/internal/source/sqlite"
)

func noEnv(string) (string, bool) { return "", false }

// load parses doc as askdb.yaml at path (written there when path is set)
// and checks its sources, as askdb does at start-up.
func load(t *testing.T, path, doc string) (*config.Config, error) {
	t.Helper()
	var cfg *config.Config
	var err error
	if path == "" {
		cfg, err = config.Parse([]byte(doc), noEnv)
	} else {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, err = config.Load(path)
	}
	if err != nil {
		t.Fatalf("the YAML itself was refused: %v", err)
	}
	return cfg, source.CheckConfig(cfg)
}

func TestCheckFilesErrors(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a.csv"))
	tests := []struct {
		name, doc string
		want      []string
	}{
		{"files on another kind", "sources:\n  s: {kind: sqlite, path: x.db, files: {t: a.csv}}\n", []string{"line 2", `source "s"`, "files:", "sqlite", "reads path"}},
		{"table name with a space", "sources:\n  s: {kind: duckdb, files: {\"my table\": a.csv}}\n", []string{`source "s"`, `"my table"`}},
		{"table name starting with a digit", "sources:\n  s: {kind: duckdb, files: {1t: a.csv}}\n", []string{`"1t"`}},
		{"table name with a quote", "sources:\n  s: {kind: duckdb, files: {'a\"b': a.csv}}\n", []string{`"a\"b"`}},
		{"empty path", "sources:\n  s: {kind: duckdb, files: {t: \"\"}}\n", []string{`source "s"`, `table "t"`, "no path"}},
		{"path and files", "sources:\n  s:\n    kind: duckdb\n    path: shop.duckdb\n    files: {t: a.csv}\n", []string{"line 5", `source "s"`, "path:", "files:", "cannot be combined"}},
		{"neither path nor files", "sources:\n  s: {kind: duckdb}\n", []string{"line 2", `source "s"`, "files:", "path:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := load(t, filepath.Join(dir, "askdb.yaml"), tt.doc)
			if err == nil {
				t.Fatal("CheckConfig succeeded; want error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func writeFile(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("id\n1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestCheckResolvesFiles(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "data", "orders.csv"))
	writeFile(t, filepath.Join(dir, "data", "events", "a.parquet"))
	writeFile(t, filepath.Join(dir, "deep", "x", "y", "b.parquet"))
	abs := filepath.Join(dir, "data", "orders.csv")
	doc := `sources:
  files:
    kind: duckdb
    files:
      orders: ../data/orders.csv
      events: ../data/events/*.parquet
      deep: ../deep/**/*.parquet
      absolute: ` + abs + `
  other: {kind: sqlite, path: rel.db}
`
	cfg, err := load(t, filepath.Join(dir, "conf", "askdb.yaml"), doc)
	if err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "conf")
	want := map[string]string{
		"orders":   filepath.Join(conf, "..", "data", "orders.csv"),
		"events":   filepath.Join(conf, "..", "data", "events", "*.parquet"),
		"deep":     filepath.Join(conf, "..", "deep", "**", "*.parquet"),
		"absolute": abs,
	}
	if diff := cmp.Diff(want, cfg.Sources["files"].Files); diff != "" {
		t.Errorf("resolved files (-want +got):\n%s", diff)
	}
	if got := cfg.Sources["other"].Path; got != "rel.db" {
		t.Errorf("a sqlite path changed to %q; only duckdb sources are resolved here", got)
	}
}

func TestCheckMissingFile(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "orders.csv"))
	path := filepath.Join(dir, "askdb.yaml")
	tests := []struct {
		name, files string
		want        []string
	}{
		{"missing file", "{orders: orders.csv, items: items.csv}", []string{`source "files"`, `table "items"`, filepath.Join(dir, "items.csv")}},
		{"glob matching nothing", "{events: 'ev/*.parquet'}", []string{`table "events"`, filepath.Join(dir, "ev", "*.parquet")}},
		{"recursive glob under a missing folder", "{events: 'nope/**/*.parquet'}", []string{`table "events"`, "nope"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := load(t, path, "sources:\n  files: {kind: duckdb, files: "+tt.files+"}\n")
			if err == nil {
				t.Fatal("CheckConfig succeeded; want an error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
	t.Run("missing database file", func(t *testing.T) {
		_, err := load(t, path, "sources:\n  db: {kind: duckdb, path: shop.duckdb}\n")
		if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "shop.duckdb")) || !strings.Contains(err.Error(), `source "db"`) {
			t.Errorf("CheckConfig = %v; want an error naming the source and %q", err, filepath.Join(dir, "shop.duckdb"))
		}
	})
}
