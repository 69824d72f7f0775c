package cli_test

import (
	"strings"
	"testing"
)

// TestSourcesRefusesBadEntries: askdb sources exits non-zero on a source
// entry its kind refuses, naming the line; it used to list them and exit 0.
func TestSourcesRefusesBadEntries(t *testing.T) {
	tests := []struct {
		name, doc string
		want      []string
	}{
		{"misspelt kind", "sources:\n  pg:\n    kind: postgress\n    dsn: x\n", []string{"line 3", `unknown source kind "postgress"`, `did you mean "postgres"?`}},
		{"sqlite without a path", "sources:\n  db:\n    kind: sqlite\n", []string{"line 2", `source "db"`, "kind: sample"}},
		{"a key the kind does not read", "sources:\n  db: {kind: sample, dsn: x}\n", []string{"line 2", "kind sample does not read dsn"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := sampleEnv(t)
			path := writeConfig(t, dir, tt.doc)
			code, out, errOut := run(t, "", "--config", path, "sources")
			if code == 0 {
				t.Fatalf("askdb sources exited 0 on a bad config:\n%s", out)
			}
			for _, w := range tt.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr %q does not mention %q", errOut, w)
				}
			}
		})
	}
}

// TestSampleKind: the built-in sample database is a kind of its own.
func TestSampleKind(t *testing.T) {
	dir := sampleEnv(t)
	path := writeConfig(t, dir, "sources:\n  demo: {kind: sample}\n")
	code, out, errOut := run(t, "", "--config", path, "sql", "SELECT count(*) AS n FROM employees")
	if code != 0 || !strings.Contains(out, "300") {
		t.Fatalf("code %d, stdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
}
