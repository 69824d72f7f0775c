package athena_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/sample"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/source/glue/gluetest"
	"github.com/askdb/askdb/internal/source/sourcetest"
	_ "github.com/askdb/askdb/internal/source/sqlite"
)

var update = flag.Bool("update", false, "rewrite testdata/glue-sample.json from the sample schema")

var (
	sampleOnce sync.Once
	sampleDir  string
	sampleErr  error
)

// samplePath is the bundled sample as a SQLite file, the data the Athena
// fake queries; built once per test binary.
func samplePath(t *testing.T) string {
	t.Helper()
	sampleOnce.Do(func() {
		if sampleDir, sampleErr = os.MkdirTemp("", "askdb-athena-"); sampleErr == nil {
			sampleErr = sample.EnsureSQLite(context.Background(), filepath.Join(sampleDir, "sample.db"), sourcetest.Options())
		}
	})
	if sampleErr != nil {
		t.Fatal(sampleErr)
	}
	return filepath.Join(sampleDir, "sample.db")
}

func TestMain(m *testing.M) {
	code := m.Run()
	if sampleDir != "" {
		os.RemoveAll(sampleDir)
	}
	os.Exit(code)
}

func openSQLite(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+samplePath(t)+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestGlueSampleTestdata keeps testdata/glue-sample.json, the Glue
// catalog the fake serves for the sample, in step with the sample's
// schema: its columns with Hive types, comments and row counts.
func TestGlueSampleTestdata(t *testing.T) {
	src, err := source.Open(context.Background(), "sample", config.Source{Kind: "sqlite", Path: samplePath(t)}, source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	cat, err := src.Introspect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	counts := sample.Generate(sourcetest.Options()).RowCounts()
	var tables []any
	for _, tb := range cat.Tables {
		var cols []map[string]string
		for _, c := range tb.Columns {
			cols = append(cols, map[string]string{"Name": c.Name, "Type": hiveType(c), "Comment": c.Comment})
		}
		tables = append(tables, map[string]any{
			"Name": tb.Name, "DatabaseName": "askdb_sample", "TableType": "EXTERNAL_TABLE", "Description": tb.Comment,
			"Parameters":        map[string]string{"classification": "parquet", "numRows": fmt.Sprint(counts[tb.Name])},
			"StorageDescriptor": map[string]any{"Location": "s3://askdb-sample/" + tb.Name + "/", "Columns": cols},
		})
	}
	got, _ := json.MarshalIndent(map[string]any{
		"databases": []any{map[string]string{"Name": "askdb_sample", "Description": "askdb's bundled sample, as Parquet"}},
		"tables":    map[string]any{"askdb_sample": tables},
	}, "", "  ")
	gluetest.Golden(t, "testdata/glue-sample.json", got, *update)
}

// hiveType spells a sample column's type as a Glue table declares it.
func hiveType(c catalog.Column) string {
	switch c.Type {
	case catalog.TypeInteger:
		return "bigint"
	case catalog.TypeDecimal:
		return strings.ToLower(strings.ReplaceAll(c.DBType, " ", ""))
	case catalog.TypeDate, catalog.TypeBoolean:
		return string(c.Type)
	}
	if strings.HasPrefix(strings.ToUpper(c.DBType), "VARCHAR") {
		return strings.ToLower(c.DBType)
	}
	return "string"
}
