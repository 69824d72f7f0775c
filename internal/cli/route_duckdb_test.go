//go:build duckdb

package cli_test

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestExampleRoutingConfig runs examples/routing/askdb.yaml as shipped:
// the built-in sample, a Spider database and a DuckDB CSV source, and no
// --source on any question.
func TestExampleRoutingConfig(t *testing.T) {
	pets := spiderPets(t)
	t.Setenv("SPIDER_DIR", filepath.Dir(filepath.Dir(filepath.Dir(pets))))
	cfg, err := filepath.Abs(filepath.Join("..", "..", "examples", "routing", "askdb.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	sampleEnv(t) // changes the working directory
	t.Setenv("ASKDB_CONFIG", cfg)
	tests := []struct{ question, source, table string }{
		{"how many employees are there", "sample", "employees"},
		{"how many pets are there", "pets", "Pets"},
		{"how many readings are there", "weather", "readings"},
	}
	for _, tt := range tests {
		a := askRouted(t, tt.question)
		if a.Source != tt.source || a.Route == nil || !strings.Contains(a.Route.Reason, tt.table) {
			t.Errorf("%q: source %q route %+v (%s), want %q", tt.question, a.Source, a.Route, a.Message, tt.source)
		}
		if a.Outcome != "answered" {
			t.Errorf("%q on %q: %s %s", tt.question, a.Source, a.Outcome, a.Message)
		}
	}
}
