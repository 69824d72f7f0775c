package cli_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/askdb/askdb/internal/cli"
	_ "github.com/askdb/askdb/internal/plugins"
)

// run drives the whole program the way main does.
func run(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = cli.Run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// sampleEnv isolates the sample database cache and config lookup.
func sampleEnv(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("ASKDB_CACHE_DIR", filepath.Join(dir, "cache"))
	t.Setenv("ASKDB_DATA_DIR", filepath.Join(dir, "data"))
	t.Setenv("ASKDB_CONFIG", "")
	t.Setenv("ASKDB_MODEL", "")
	t.Chdir(dir)
	return dir
}

func writeConfig(t *testing.T, dir, body string) string {
	t.Helper()
	path := filepath.Join(dir, "askdb.yaml")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestSQLOnSample(t *testing.T) {
	sampleEnv(t)
	code, out, errOut := run(t, "", "sql", "SELECT count(*) AS n FROM employees")
	if code != 0 || !strings.Contains(out, "300") || !strings.Contains(out, "(1 row)") {
		t.Fatalf("code %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if strings.Count(errOut, "built-in sample database") != 1 {
		t.Errorf("the no-config notice must appear once on stderr, got:\n%s", errOut)
	}

	code, out, _ = run(t, "", "sql", "--format", "json", "SELECT name, price FROM products ORDER BY product_id LIMIT 2")
	var res struct {
		Columns []struct{ Name string }
		Rows    [][]any
	}
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || len(res.Rows) != 2 || res.Columns[1].Name != "price" {
		t.Fatalf("json output (code %d):\n%s", code, out)
	}

	code, out, _ = run(t, "", "sql", "--format", "csv", "--max-rows", "3", "SELECT customer_id FROM customers ORDER BY customer_id")
	if code != 0 || out != "customer_id\n1\n2\n3\n" {
		t.Fatalf("csv output (code %d):\n%q", code, out)
	}

	// The row cap is applied with one row to spare, so truncation is reported.
	code, out, _ = run(t, "", "sql", "--format", "json", "SELECT order_id FROM orders")
	var capped struct {
		Rows        [][]any
		Truncated   bool   `json:"truncated"`
		TruncatedBy string `json:"truncated_by"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &capped) != nil || len(capped.Rows) != 1000 || !capped.Truncated || capped.TruncatedBy != "rows" {
		t.Fatalf("capped result: %d rows, truncated %v (code %d)", len(capped.Rows), capped.Truncated, code)
	}
	code, out, _ = run(t, "", "sql", "--format", "json", "SELECT department_id FROM departments")
	if code != 0 || json.Unmarshal([]byte(out), &capped) != nil || len(capped.Rows) != 9 || capped.Truncated {
		t.Fatalf("a small result must not be truncated: %d rows, truncated %v", len(capped.Rows), capped.Truncated)
	}

	code, out, _ = run(t, "SELECT count(*) FROM departments", "sql", "-")
	if code != 0 || !strings.Contains(out, "9") {
		t.Fatalf("sql from stdin (code %d):\n%s", code, out)
	}
}

func TestSQLBadInput(t *testing.T) {
	dir := sampleEnv(t)
	tests := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"write refused", []string{"sql", "UPDATE employees SET salary = 0"}, 1, []string{"UPDATE", "SELECT"}},
		{"empty statement", []string{"sql", "  "}, 2, []string{"empty"}},
		{"unknown source", []string{"sql", "--source", "nope", "SELECT 1"}, 2, []string{`"nope"`, "sample"}},
		{"bad format", []string{"sql", "--format", "xml", "SELECT 1"}, 2, []string{"xml"}},
		{"two statements", []string{"sql", "SELECT 1; DELETE FROM orders"}, 1, []string{"statement"}},
		{"engine error", []string{"sql", "SELECT nope FROM employees"}, 1, []string{"nope"}},
		{"unknown flag", []string{"sql", "--nope", "SELECT 1"}, 2, []string{"nope"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := run(t, "", tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.code, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr does not mention %q:\n%s", w, errOut)
				}
			}
			if strings.Contains(errOut, "goroutine ") || strings.Contains(errOut, "panic") {
				t.Errorf("stack trace on stderr:\n%s", errOut)
			}
		})
	}
	// The sample is unchanged after the refused write.
	if _, out, _ := run(t, "", "sql", "SELECT count(*) FROM employees WHERE salary = 0"); !strings.Contains(out, "\n0\n") {
		t.Errorf("salaries changed:\n%s", out)
	}
	_ = dir
}

func TestConfigErrors(t *testing.T) {
	dir := sampleEnv(t)
	path := writeConfig(t, dir, "sources:\n  db:\n    kind: sqlite\n    paht: x.db\n")
	code, _, errOut := run(t, "", "--config", path, "sources")
	if code == 0 || !strings.Contains(errOut, `unknown key "paht"`) || !strings.Contains(errOut, "line 4") {
		t.Fatalf("code %d, stderr:\n%s", code, errOut)
	}
	path = writeConfig(t, dir, "sources:\n  db: {kind: pgsql, dsn: x}\n")
	code, _, errOut = run(t, "", "--config", path, "sql", "SELECT 1")
	if code == 0 || !strings.Contains(errOut, `unknown source kind "pgsql"`) || !strings.Contains(errOut, "postgres") {
		t.Fatalf("code %d, stderr:\n%s", code, errOut)
	}
	path = writeConfig(t, dir, "sources:\n  db: {kind: sqlite, path: missing.db}\n")
	code, _, errOut = run(t, "", "--config", path, "sql", "SELECT 1")
	if code == 0 || !strings.Contains(errOut, "missing.db") {
		t.Fatalf("code %d, stderr:\n%s", code, errOut)
	}
}

func TestUnreachableSources(t *testing.T) {
	dir := sampleEnv(t)
	path := writeConfig(t, dir, `sources:
  pg: {kind: postgres, dsn: "postgres://u:secret@127.0.0.1:1/db?sslmode=disable", connect_timeout: 2s}
  my: {kind: mysql, dsn: "u:secret@tcp(127.0.0.1:1)/db", connect_timeout: 2s}
`)
	for _, name := range []string{"pg", "my"} {
		code, _, errOut := run(t, "", "--config", path, "sql", "--source", name, "SELECT 1")
		if code == 0 || !strings.Contains(errOut, `"`+name+`"`) || !strings.Contains(errOut, "127.0.0.1:1") || strings.Contains(errOut, "secret") {
			t.Errorf("%s: code %d, stderr:\n%s", name, code, errOut)
		}
	}
	code, out, _ := run(t, "", "--config", path, "sources", "--check")
	if code == 0 || strings.Count(out, "error: source") != 2 {
		t.Errorf("sources --check (code %d):\n%s", code, out)
	}
}

func TestSchema(t *testing.T) {
	sampleEnv(t)
	code, out, _ := run(t, "", "schema")
	for _, w := range []string{"table employees", "foreign key (department_id) references departments (department_id)", "primary key"} {
		if code != 0 || !strings.Contains(out, w) {
			t.Errorf("schema text lacks %q (code %d)", w, code)
		}
	}
	code, out, _ = run(t, "", "schema", "--format", "json")
	var cat struct {
		Dialect string
		Tables  []struct{ Name string }
	}
	if code != 0 || json.Unmarshal([]byte(out), &cat) != nil || cat.Dialect != "sqlite" || len(cat.Tables) < 9 {
		t.Fatalf("schema json (code %d): %.300s", code, out)
	}
}

func TestCheck(t *testing.T) {
	sampleEnv(t)
	code, out, _ := run(t, "", "check", "--dialect", "postgres", "SELECT pg_sleep(10)")
	if code != 1 || !strings.Contains(out, "pg_sleep") {
		t.Errorf("pg_sleep: code %d, %s", code, out)
	}
	code, out, _ = run(t, "", "check", "--dialect", "mysql", "--json", "SELECT id FROM t")
	var v struct {
		Accepted bool
		SQL      string
	}
	if code != 0 || json.Unmarshal([]byte(out), &v) != nil || !v.Accepted {
		t.Errorf("accepted query: code %d, %s", code, out)
	}
	in := "SELECT 1\tdb_a\nDELETE FROM t\tdb_b\n\nSELECT name FROM x WHERE a = 'x\ty'\n"
	code, out, _ = run(t, in, "check", "--dialect", "sqlite", "--lines")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 1 || len(lines) != 3 {
		t.Fatalf("--lines: code %d\n%s", code, out)
	}
	var first, second struct {
		Line     int
		Accepted bool
		Rule     string
	}
	_ = json.Unmarshal([]byte(lines[0]), &first)
	_ = json.Unmarshal([]byte(lines[1]), &second)
	if !first.Accepted || first.Line != 1 || second.Accepted || second.Line != 2 || second.Rule == "" {
		t.Errorf("--lines verdicts: %+v %+v", first, second)
	}
	// redshift is PostgreSQL's parser with Redshift's functions and TOP n.
	if code, out, _ := run(t, "", "check", "--dialect", "redshift", "SELECT TOP 5 NVL(name, '-') FROM t"); code != 0 {
		t.Errorf("redshift TOP and NVL: code %d, %s", code, out)
	}
	if code, out, _ := run(t, "", "check", "--dialect", "postgres", "SELECT TOP 5 NVL(name, '-') FROM t"); code != 1 {
		t.Errorf("postgres must refuse redshift's TOP: code %d, %s", code, out)
	}
	if code, _, errOut := run(t, "", "check", "--dialect", "oracle", "SELECT 1"); code != 2 || !strings.Contains(errOut, "oracle") {
		t.Errorf("unknown dialect: code %d %s", code, errOut)
	}
}

func TestAskWithoutModel(t *testing.T) {
	sampleEnv(t)
	code, _, errOut := run(t, "", "ask", "-q", "Which customers are likely to churn next quarter?")
	if code == 0 || !strings.Contains(errOut, "ASKDB_MODEL") {
		t.Fatalf("code %d, stderr:\n%s", code, errOut)
	}
	code, _, errOut = run(t, "", "ask", "-q", "delete the test customers")
	if code == 0 || !strings.Contains(errOut, "only reads") {
		t.Fatalf("code %d, stderr:\n%s", code, errOut)
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := run(t, "", "version")
	if code != 0 || !strings.HasPrefix(out, "askdb ") {
		t.Fatalf("version: %d %q", code, out)
	}
}

// TestCheckPolicySourceCatalog: with --policy-source the guard resolves
// attribute notation (e.f) against the source's real columns, so a name
// that is no column of the table is refused as the function call it would
// be, and a real column is accepted.
func TestCheckPolicySourceCatalog(t *testing.T) {
	dir := sampleEnv(t)
	db, err := sql.Open("sqlite3", filepath.Join(dir, "hr.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE employees (id INTEGER PRIMARY KEY, name TEXT, text TEXT, salary INTEGER)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	path := writeConfig(t, dir, "sources:\n  hr:\n    kind: sqlite\n    path: hr.db\n    policy: {deny: [employees.salary]}\n")
	for _, tc := range []struct {
		sql  string
		code int
		want string
	}{
		{"SELECT e.name, e.text FROM employees e", 0, "accepted"},
		{"SELECT e.varchar FROM employees e", 1, "function call varchar(e)"},
		{"SELECT e.my_udf FROM employees e", 1, "function call my_udf(e)"},
		{"SELECT e.salary FROM employees e", 1, "hidden by this source's policy"},
	} {
		code, out, errOut := run(t, "", "--config", path, "check", "--dialect", "postgres", "--policy-source", "hr", tc.sql)
		if code != tc.code || !strings.Contains(out, tc.want) {
			t.Errorf("%s: code %d, want %d with %q\n%s%s", tc.sql, code, tc.code, tc.want, out, errOut)
		}
	}
}

// TestMCPHTTPLoopbackOnly: askdb mcp --http has no authentication, so it
// refuses to listen beyond loopback (askdb serve mounts /mcp behind keys).
func TestMCPHTTPLoopbackOnly(t *testing.T) {
	sampleEnv(t)
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:0", "example.com:0"} {
		code, _, errOut := run(t, "", "mcp", "--http", addr)
		if code != 2 || !strings.Contains(errOut, "askdb serve") {
			t.Errorf("mcp --http %s: code %d, %s", addr, code, errOut)
		}
	}
}
