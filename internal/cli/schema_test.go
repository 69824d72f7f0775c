package cli_test

import (
	"os"
	"strings"
	"testing"
)

// TestSchemaShowsKnowledgeAndHidesPolicy checks that askdb schema lists the
// schema as the prompt sees it: descriptions from the knowledge files, no
// column the policy hides.
func TestSchemaShowsKnowledgeAndHidesPolicy(t *testing.T) {
	dir := sampleEnv(t)
	if err := os.WriteFile(dir+"/k.yaml", []byte("tables:\n  t:\n    columns:\n      a:\n        description: The answer.\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	path := writeConfig(t, dir, "sources:\n  one: {kind: sqlite, path: one.db, knowledge: [k.yaml], policy: {deny: [t.secret]}}\n")
	mustExec(t, dir+"/one.db", "CREATE TABLE t (a INTEGER, secret TEXT)")
	code, out, errOut := run(t, "", "--config", path, "schema")
	if code != 0 || !strings.Contains(out, "-- The answer.") || strings.Contains(out, "secret") {
		t.Errorf("code %d: want the description of t.a and no t.secret\n%s%s", code, out, errOut)
	}
}
