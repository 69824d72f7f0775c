//go:build duckdb

package duckdb

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/source"
)

// lockedSource opens a source over one CSV file in a fresh folder.
func lockedSource(t *testing.T) (*Source, string) {
	t.Helper()
	dir := t.TempDir()
	csv := filepath.Join(dir, "orders.csv")
	writeCSV(t, csv, "id,total\n1,10\n2,20\n")
	return openSource(t, config.Source{Files: map[string]string{"orders": csv}}), dir
}

// TestCheck is the second layer alone: DuckDB's parser serializes the
// statement and only one SELECT over allowed functions passes. Several
// cases are DuckDB-only syntax that the PostgreSQL parser in sqlguard
// never sees, so only this layer judges them.
func TestCheck(t *testing.T) {
	src, dir := lockedSource(t)
	csv := filepath.Join(dir, "orders.csv")
	refused := []struct {
		name, sql string
		want      error
	}{
		{"two statements", "SELECT 1; SELECT 2", source.ErrNotAllowed},
		{"select then write", "SELECT 1; CREATE TABLE t (x INTEGER)", source.ErrReadOnly},
		{"copy", "COPY orders TO '" + csv + "' (USE_TMP_FILE false)", source.ErrReadOnly},
		{"insert", "INSERT INTO orders VALUES (1, 2)", source.ErrReadOnly},
		{"attach", "ATTACH ':memory:' AS m", source.ErrReadOnly},
		{"pragma", "PRAGMA version", source.ErrReadOnly},
		{"pivot statement", "PIVOT orders ON id USING sum(total)", source.ErrReadOnly},
		{"pivot subquery", "SELECT * FROM (PIVOT orders ON id USING sum(total))", source.ErrReadOnly},
		{"describe", "DESCRIBE orders", source.ErrNotAllowed},
		{"summarize", "SUMMARIZE orders", source.ErrNotAllowed},
		{"read_text", "SELECT * FROM read_text('/etc/passwd')", source.ErrNotAllowed},
		{"read_csv of a configured file", "SELECT * FROM read_csv('" + csv + "')", source.ErrNotAllowed},
		{"glob", "SELECT * FROM glob('*')", source.ErrNotAllowed},
		{"query table function", "SELECT * FROM query('SELECT 1')", source.ErrNotAllowed},
		{"getenv", "SELECT getenv('HOME')", source.ErrNotAllowed},
		{"current_setting", "SELECT current_setting('allowed_paths')", source.ErrNotAllowed},
		{"duckdb_settings", "SELECT * FROM duckdb_settings()", source.ErrNotAllowed},
		{"file as a table, FROM-first", "FROM '" + csv + "'", source.ErrNotAllowed},
		{"file as a table", "SELECT * FROM 'data.parquet'", source.ErrNotAllowed},
		{"function in a lambda", "SELECT list_transform([1], x -> getenv('HOME'))", source.ErrNotAllowed},
		{"function in a CTE", "WITH a AS (SELECT read_text('/etc/passwd') AS t) SELECT * FROM a", source.ErrNotAllowed},
		{"qualified with a catalog", "SELECT system.main.upper('a')", source.ErrNotAllowed},
		{"window over a denied function", "SELECT getenv('x') OVER () FROM orders", source.ErrNotAllowed},
	}
	for _, tc := range refused {
		t.Run("refuse "+tc.name, func(t *testing.T) {
			if err := src.check(context.Background(), "query", tc.sql); !errors.Is(err, tc.want) {
				t.Errorf("check(%q): got %v, want an error wrapping %v", tc.sql, err, tc.want)
			}
		})
	}
	accepted := []string{
		"FROM orders",
		"SELECT count(*), count(DISTINCT id), sum(total) FILTER (WHERE id > 1) FROM orders",
		"SELECT id, row_number() OVER (ORDER BY total DESC) FROM orders QUALIFY row_number() OVER (ORDER BY total DESC) <= 1",
		"SELECT * EXCLUDE (total) FROM orders",
		"SELECT id, sum(total) FROM orders GROUP BY ALL ORDER BY ALL",
		"SELECT [x * 2 FOR x IN [1, 2]], list_transform([1], x -> x + 1), {'k': 1}, [1, 2][1], 'ab' || 'c'",
		"SELECT 'a' LIKE 'a%', 'a' ILIKE 'A', 'a' SIMILAR TO 'a', 'a' GLOB 'a*', 2 ^ 3, 7 // 2, 7 % 2",
		"SELECT INTERVAL 1 DAY, DATE '2024-01-01', extract(year FROM DATE '2024-01-01'), date_trunc('month', current_date)",
		"SELECT CAST(total AS DECIMAL(10, 2)), total::INTEGER, CASE WHEN id = 1 THEN 'one' END FROM orders",
		"WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT * FROM r",
		"SELECT 1 UNION SELECT 2 EXCEPT SELECT 3 INTERSECT SELECT 4",
		"SELECT * FROM orders USING SAMPLE 50%",
		"SELECT * FROM range(3) t(i) JOIN orders o ON o.id = t.i",
		"SELECT (SELECT max(id) FROM orders), EXISTS (SELECT 1 FROM orders) ",
		"SELECT * FROM (VALUES (1, 'a')) v(id, name)",
		"SELECT main.upper('a')",
	}
	for _, q := range accepted {
		t.Run("accept "+q, func(t *testing.T) {
			if err := src.check(context.Background(), "query", q); err != nil {
				t.Errorf("check(%q): %v", q, err)
			}
		})
	}
	t.Run("syntax error is the engine's message", func(t *testing.T) {
		err := src.check(context.Background(), "query", "SELEC 1")
		var ee *source.EngineError
		if !errors.As(err, &ee) || ee.Op != "query" || ee.Message == "" || !source.Repairable(err) {
			t.Errorf("check(SELEC 1): got %v, want a repairable *source.EngineError", err)
		}
	})
}

// TestQueryRefusesCopyOverConfiguredFile: the checks refuse the COPY that
// overwrote a configured file in the first design (where allowed_paths
// granted writing); TestEngineCannotWrite proves the engine alone stops it.
func TestQueryRefusesCopyOverConfiguredFile(t *testing.T) {
	src, dir := lockedSource(t)
	csv := filepath.Join(dir, "orders.csv")
	before, err := os.ReadFile(csv)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"COPY (SELECT 42 AS x) TO '" + csv + "' (USE_TMP_FILE false)",
		"SELECT 1; COPY (SELECT 42 AS x) TO '" + csv + "' (USE_TMP_FILE false)",
	} {
		if _, err := src.Query(context.Background(), q, source.Limits{}); err == nil {
			t.Errorf("Query(%q) succeeded", q)
		}
		if _, err := src.Explain(context.Background(), q); err == nil {
			t.Errorf("Explain(%q) succeeded", q)
		}
	}
	after, err := os.ReadFile(csv)
	if err != nil || string(after) != string(before) {
		t.Errorf("orders.csv changed to %q (%v)", after, err)
	}
}
