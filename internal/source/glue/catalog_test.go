package glue_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/askdb/askdb/internal/awstest"
	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/source/glue/gluetest"
	_ "github.com/askdb/askdb/internal/source/sqlite"
)

// TestCatalogOnAnySource gives a SQLite source catalog: {kind: glue}: its
// tables, comments and types come from Glue, not from the file, while its
// queries still run on SQLite.
func TestCatalogOnAnySource(t *testing.T) {
	f := gluetest.New(t, legal)
	awstest.Env(t)
	f.Setenv(t)
	path := filepath.Join(t.TempDir(), "local.db")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := load(t, "sources:\n  legal:\n    kind: sqlite\n    path: "+path+"\n    catalog: {kind: glue, database: legal, region: eu-west-1, catalog_id: \"123456789012\"}\n")
	if err := source.CheckConfig(cfg); err != nil {
		t.Fatal(err)
	}
	src, err := source.Open(context.Background(), "legal", cfg.Sources["legal"], source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	cat, err := src.Introspect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tb := range cat.Tables {
		names = append(names, tb.QualifiedName())
	}
	if got := strings.Join(names, ","); got != "contracts,filings,open_matters" {
		t.Errorf("tables %s, want Glue's contracts,filings,open_matters with no schema", got)
	}
	if tb, _ := cat.Table("contracts"); tb == nil || tb.Comment == "" || !strings.Contains(cat.Version, "Glue") || cat.Dialect != "sqlite" || cat.Source != "legal" {
		t.Errorf("catalog %+v: want Glue's comments and version, the source's name and dialect", cat)
	}
	res, err := src.Query(context.Background(), "SELECT 40 + 2", source.Limits{})
	if err != nil || len(res.Rows) != 1 || res.Rows[0][0] != int64(42) {
		t.Errorf("a query on the source: %v, %v; want SQLite's 42", res, err)
	}
}

func TestCatalogCheck(t *testing.T) {
	tests := []struct{ name, catalog, want string }{
		{"no database", "{kind: glue, region: eu-west-1}", `line 5: source "legal": catalog: kind glue needs database`},
		{"unknown kind", "{kind: hive, database: legal}", `catalog: unknown catalog kind "hive" (known: glue)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := load(t, "sources:\n  legal:\n    kind: sqlite\n    path: x.db\n    catalog: "+tc.catalog+"\n")
			err := source.CheckConfig(cfg)
			if !errors.Is(err, source.ErrConfig) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want a config error containing %q", err, tc.want)
			}
		})
	}
}

func load(t *testing.T, yaml string) *config.Config {
	t.Helper()
	cfg, err := config.Parse([]byte(yaml), func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}
