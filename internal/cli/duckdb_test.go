//go:build duckdb

package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDuckDBFiles drives the commands a user runs on a CSV file through a
// duckdb source, with a relative path resolved against the config file.
func TestDuckDBFiles(t *testing.T) {
	dir := sampleEnv(t)
	data := filepath.Join(dir, "data")
	if err := os.MkdirAll(data, 0o755); err != nil {
		t.Fatal(err)
	}
	csv := "order_id,customer,status,total\n1,Ana,shipped,12.50\n2,Bo,pending,7.25\n3,Cy,shipped,30.00\n"
	if err := os.WriteFile(filepath.Join(data, "orders.csv"), []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	writeConfig(t, dir, "sources:\n  files:\n    kind: duckdb\n    files:\n      orders: data/orders.csv\n"+
		"guard:\n  functions:\n    duckdb: [jaro_similarity]\n")
	t.Chdir(t.TempDir()) // the path must resolve against the config, not the working directory
	t.Setenv("ASKDB_CONFIG", filepath.Join(dir, "askdb.yaml"))

	code, out, errOut := run(t, "", "sources", "--check")
	if code != 0 || !strings.Contains(out, "files") || !strings.Contains(out, "duckdb") {
		t.Fatalf("sources: code %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = run(t, "", "schema", "--source", "files")
	if code != 0 || !strings.Contains(out, "table orders") || !strings.Contains(out, "status") {
		t.Fatalf("schema: code %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = run(t, "", "sql", "--source", "files", "--format", "json",
		"SELECT status, count(*) AS n FROM orders GROUP BY status ORDER BY status")
	var res struct{ Rows [][]any }
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || len(res.Rows) != 2 || res.Rows[1][0] != "shipped" || res.Rows[1][1] != float64(2) {
		t.Fatalf("sql: code %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = run(t, "", "ask", "--source", "files", "--json", "-q", "how many orders")
	var ans struct {
		Outcome string
		Engine  string
		Dialect string
		Rows    [][]any
	}
	if code != 0 || json.Unmarshal([]byte(out), &ans) != nil || ans.Outcome != "answered" || ans.Engine != "offline" || ans.Dialect != "duckdb" {
		t.Fatalf("ask: code %d\n%s\n%s", code, out, errOut)
	}
	if len(ans.Rows) != 1 || len(ans.Rows[0]) != 1 || ans.Rows[0][0] != float64(3) {
		t.Errorf("ask: rows %v, want [[3]]", ans.Rows)
	}
	// guard.functions reaches both layers: sqlguard and the source's own check.
	code, out, errOut = run(t, "", "sql", "--source", "files", "--format", "json",
		"SELECT jaro_similarity(customer, 'Ana') AS s FROM orders ORDER BY order_id LIMIT 1")
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || len(res.Rows) != 1 || res.Rows[0][0] != float64(1) {
		t.Fatalf("sql with a guard.functions function: code %d\n%s\n%s", code, out, errOut)
	}
	code, _, errOut = run(t, "", "sql", "--source", "files", "SELECT * FROM read_text('/etc/passwd')")
	if code == 0 || !strings.Contains(errOut, "read_text") {
		t.Errorf("sql with read_text: code %d, stderr:\n%s", code, errOut)
	}
}
