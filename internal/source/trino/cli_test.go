package trino_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/cli"
	"github.com/askdb/askdb/internal/llm/llmtest"
	_ "github.com/askdb/askdb/internal/plugins" // model kinds, as the binary links them
	"github.com/askdb/askdb/internal/source/trino/trinofake"
	"github.com/askdb/askdb/internal/sqlguard"
)

// askdb runs the CLI with a config that names the fake as source lake,
// the way docs/warehouses-trino.md configures a cluster.
func askdb(t *testing.T, l *lake, extra string, args ...string) (int, string, string) {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("ASKDB_CACHE_DIR", filepath.Join(dir, "cache"))
	t.Setenv("ASKDB_DATA_DIR", filepath.Join(dir, "data"))
	t.Setenv("ASKDB_CONFIG", "")
	doc := fmt.Sprintf("sources:\n  lake:\n    kind: trino\n    dsn: %s\n    description: Sales in the lake\n%s", l.dsn("askdb", nil), extra)
	path := filepath.Join(dir, "askdb.yaml")
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := cli.Run(context.Background(), append([]string{"--config", path}, args...), strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// TestIntegrationCLISchema: askdb schema introspects the lake.
func TestIntegrationCLISchema(t *testing.T) {
	l := newLake(t, trinofake.Options{})
	code, out, errOut := askdb(t, l, "", "schema", "--format", "json")
	var cat catalog.Catalog
	if code != 0 || json.Unmarshal([]byte(out), &cat) != nil {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if _, ok := cat.Table("customers"); !ok || cat.Dialect != catalog.Trino {
		t.Errorf("schema: dialect %q, %d tables; want trino with customers", cat.Dialect, len(cat.Tables))
	}
}

// needTrinoGuard skips until sqlguard accepts dialect trino (issue 15
// item 7): every SQL askdb runs passes the guard first.
func needTrinoGuard(t *testing.T) {
	t.Helper()
	if v := sqlguard.Check("SELECT 1", sqlguard.Options{Dialect: catalog.Trino}); v.Rule == sqlguard.RuleDialect {
		t.Skipf("sqlguard does not accept dialect trino yet (%s); the ask, sql and timeout paths through trino run once it does", v.Message)
	}
}

// TestIntegrationCLIAsk: a question answered by a scripted model through
// the trino source, the SQL run on the coordinator as askdb.
func TestIntegrationCLIAsk(t *testing.T) {
	needTrinoGuard(t)
	l := newLake(t, trinofake.Options{})
	const sql = "SELECT location, count(*) AS departments FROM departments GROUP BY location ORDER BY departments DESC"
	srv := llmtest.NewOpenAI(t,
		llmtest.Text("```sql\n"+sql+"\n```\nCounts departments per location.", 900, 30),
		llmtest.Text("Departments are spread over a few locations.", 80, 10),
	)
	t.Setenv("ASKDB_MODEL", "openai:qwen2.5-coder:7b")
	t.Setenv("OPENAI_BASE_URL", srv.BaseURL())
	code, out, errOut := askdb(t, l, "", "ask", "--json", "-q", "Which locations have the most departments, by count of departments per location?")
	var ans struct {
		Outcome, SQL string
		Rows         [][]any
	}
	if code != 0 || json.Unmarshal([]byte(out), &ans) != nil || ans.Outcome != "answered" || len(ans.Rows) == 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	ran := false
	for _, r := range l.fake.Requests() {
		ran = ran || (r.Method == "POST" && strings.Contains(r.SQL, "GROUP BY location") && r.User == "askdb")
	}
	if !ran {
		t.Errorf("the coordinator never ran the model's SQL as askdb; answer SQL %q", ans.SQL)
	}
}

// TestIntegrationCLIRefusesAndTimesOut: askdb sql refuses a write, and a
// query past query_timeout is stopped with a timeout.
func TestIntegrationCLIRefusesAndTimesOut(t *testing.T) {
	needTrinoGuard(t)
	l := newLake(t, trinofake.Options{})
	code, out, errOut := askdb(t, l, "", "sql", "DELETE FROM orders")
	if code == 0 {
		t.Errorf("askdb sql DELETE exited 0:\n%s", out)
	}
	code, out, errOut = askdb(t, l, "    query_timeout: 300ms\n", "sql", slowQuery)
	if code == 0 || !strings.Contains(errOut, "time limit") {
		t.Errorf("slow query: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	waitIdle(t, l.fake)
}
