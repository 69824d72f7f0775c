package server

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
)

// TestSchemaAsThePromptSeesIt checks that GET /api/sources/{name}/schema
// serves the pipeline's prepared schema: the knowledge files'
// descriptions are there, what the policy hides is not.
func TestSchemaAsThePromptSeesIt(t *testing.T) {
	kpath := filepath.Join(t.TempDir(), "k.yaml")
	if err := os.WriteFile(kpath, []byte("tables:\n  departments:\n    description: Org units that own budgets.\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, nil, func(_ *Options, c *config.Config) {
		s := c.Sources["sample"]
		s.Knowledge = []string{kpath}
		s.Policy = config.Policy{Deny: []string{"employees.salary"}}
		c.Sources["sample"] = s
	})
	for range 2 { // the second answer comes from the cache
		resp, body := e.do("GET", "/api/sources/sample/schema", "")
		cat := decodeAs[catalog.Catalog](t, body)
		if resp.StatusCode != 200 {
			t.Fatalf("schema: %d %s", resp.StatusCode, body)
		}
		d, ok := cat.Table("departments")
		if !ok {
			t.Fatal("no table departments")
		}
		if d.Comment != "Org units that own budgets." {
			t.Errorf("departments comment = %q, want the knowledge description", d.Comment)
		}
		if strings.Contains(string(body), `"salary"`) {
			t.Error("the schema shows the hidden column employees.salary")
		}
	}
}
