package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseFilesErrors(t *testing.T) {
	tests := []struct {
		name, doc string
		want      []string
	}{
		{"files on another kind", "sources:\n  s: {kind: sqlite, files: {t: a.csv}}\n", []string{`source "s"`, "duckdb", `"sqlite"`}},
		{"table name with a space", "sources:\n  s: {kind: duckdb, files: {\"my table\": a.csv}}\n", []string{`source "s"`, `"my table"`}},
		{"table name starting with a digit", "sources:\n  s: {kind: duckdb, files: {1t: a.csv}}\n", []string{`"1t"`}},
		{"table name with a quote", "sources:\n  s: {kind: duckdb, files: {'a\"b': a.csv}}\n", []string{`"a\"b"`}},
		{"empty path", "sources:\n  s: {kind: duckdb, files: {t: \"\"}}\n", []string{`source "s"`, `table "t"`, "no path"}},
		{"path and files", "sources:\n  s: {kind: duckdb, path: shop.duckdb, files: {t: a.csv}}\n", []string{`source "s"`, "path:", "files:", "cannot be combined"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.doc), env(nil))
			if err == nil {
				t.Fatal("Parse succeeded; want error")
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

func TestLoadResolvesFiles(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "data", "orders.csv"))
	writeFile(t, filepath.Join(dir, "data", "events", "a.parquet"))
	writeFile(t, filepath.Join(dir, "deep", "x", "y", "b.parquet"))
	abs := filepath.Join(dir, "data", "orders.csv")
	cfgPath := filepath.Join(dir, "conf", "askdb.yaml")
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
	if err := os.MkdirAll(filepath.Dir(cfgPath), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfgPath, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(cfgPath)
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

func TestLoadMissingFile(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "orders.csv"))
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
			path := filepath.Join(dir, "askdb.yaml")
			doc := "sources:\n  files: {kind: duckdb, files: " + tt.files + "}\n"
			if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Load(path)
			if err == nil {
				t.Fatal("Load succeeded; want an error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
	t.Run("missing database file", func(t *testing.T) {
		path := filepath.Join(dir, "askdb.yaml")
		if err := os.WriteFile(path, []byte("sources:\n  db: {kind: duckdb, path: shop.duckdb}\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := Load(path)
		if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "shop.duckdb")) || !strings.Contains(err.Error(), `source "db"`) {
			t.Errorf("Load = %v; want an error naming the source and %q", err, filepath.Join(dir, "shop.duckdb"))
		}
	})
}
