package trino_test

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/source/trino/trinofake"
)

const docPath = "../../../docs/warehouses-trino.md"

// blocks returns the fenced code blocks of lang in the docs page.
func blocks(t *testing.T, lang string) []string {
	t.Helper()
	b, err := os.ReadFile(docPath)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range regexp.MustCompile("(?ms)^ *```"+lang+"\n(.*?)^ *```").FindAllStringSubmatch(string(b), -1) {
		out = append(out, m[1])
	}
	if len(out) == 0 {
		t.Fatalf("%s has no %s blocks", docPath, lang)
	}
	return out
}

// TestDocsConfigExamples: every askdb.yaml example of the docs page loads
// and passes the kind's checks, as a new user would copy it.
func TestDocsConfigExamples(t *testing.T) {
	env := map[string]string{"TRINO_PASSWORD": "from-the-environment"}
	for i, doc := range blocks(t, "yaml") {
		cfg, err := config.Parse([]byte(doc), func(k string) (string, bool) { v, ok := env[k]; return v, ok })
		if err != nil {
			t.Fatalf("example %d: %v\n%s", i+1, err, doc)
		}
		if err := source.CheckConfig(cfg); err != nil {
			t.Errorf("example %d: %v\n%s", i+1, err, doc)
		}
		if cfg.Sources["lake"].Kind != "trino" {
			t.Errorf("example %d has no trino source lake", i+1)
		}
	}
}

// TestDocsRules: the rules.json of the docs page is valid, and under the
// fake's reading of it askdb may read its schemas and nothing else.
func TestDocsRules(t *testing.T) {
	var rules *trinofake.Rules
	for _, b := range blocks(t, "json") {
		if strings.Contains(b, `"catalogs"`) {
			rules = new(trinofake.Rules)
			if err := json.Unmarshal([]byte(b), rules); err != nil {
				t.Fatalf("rules.json: %v", err)
			}
		}
	}
	if rules == nil {
		t.Fatal("no rules.json in the docs")
	}
	tests := []struct {
		catalog, schema, sql string
		allowed              bool
	}{
		{"hive", "sales", "SELECT * FROM orders", true},
		{"hive", "sales", "INSERT INTO orders VALUES (1)", false},
		{"hive", "sales", "DELETE FROM orders", false},
		{"hive", "sales", "CREATE TABLE x (id int)", false},
		{"hive", "sales", "DROP TABLE orders", false},
		{"hive", "marketing", "UPDATE campaigns SET name = 'x'", false},
		{"postgresql", "public", "SELECT 1", false},
	}
	for _, tc := range tests {
		msg := rules.Check("askdb", tc.catalog, tc.schema, tc.sql)
		if (msg == "") != tc.allowed {
			t.Errorf("%s on %s.%s: denied %q, want allowed %v", tc.sql, tc.catalog, tc.schema, msg, tc.allowed)
		}
	}
}
