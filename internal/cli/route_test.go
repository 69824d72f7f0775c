package cli_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/askdb/askdb/internal/dbtest"
)

// spiderPets is a Spider dev database, skipped when the shared datasets
// are not next to the checkout.
func spiderPets(t *testing.T) string {
	t.Helper()
	return filepath.Join(dbtest.Dataset(t, "spider-dev"), "database", "pets_1", "pets_1.sqlite")
}

type routedAnswer struct {
	Source  string
	Outcome string
	Message string
	Rows    [][]any
	Route   *struct {
		Kind, Reason string
	}
}

// askRouted asks with no --source and decodes the JSON answer.
func askRouted(t *testing.T, question string) routedAnswer {
	t.Helper()
	code, out, errOut := run(t, "", "ask", "--json", "-q", question)
	var a routedAnswer
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatalf("ask %q: code %d, %v\n%s\n%s", question, code, err, out, errOut)
	}
	return a
}

// TestAskRoutesAmongSources configures the built-in sample, a Spider
// database and a third SQLite file and asks without --source, as a new
// user would: each question lands on its source, and says why.
func TestAskRoutesAmongSources(t *testing.T) {
	pets := spiderPets(t)
	dir := sampleEnv(t)
	weather := dbtest.SQLiteFile(t,
		"CREATE TABLE readings (station TEXT, day TEXT, temperature_c REAL, rainfall_mm REAL)",
		"INSERT INTO readings VALUES ('Oslo', '2024-01-01', -3.5, 1.2), ('Bergen', '2024-01-01', 4.2, 12.8)")
	t.Setenv("ASKDB_CONFIG", writeConfig(t, dir, "sources:\n"+
		"  sample:\n    kind: sample\n    description: the shop, its staff and research projects\n"+
		"  pets:\n    kind: sqlite\n    path: "+pets+"\n    description: students and the pets they own\n"+
		"  weather:\n    kind: sqlite\n    path: "+weather+"\n    description: daily readings of the weather stations\n"))
	tests := []struct {
		question, source, table string
		rows                    string
	}{
		{"how many employees are there", "sample", "employees", "[[300]]"},
		{"how many pets are there", "pets", "Pets", "[[3]]"},
		{"how many readings are there", "weather", "readings", "[[2]]"},
	}
	for _, tt := range tests {
		t.Run(tt.source, func(t *testing.T) {
			a := askRouted(t, tt.question)
			if a.Source != tt.source || a.Route == nil || a.Route.Kind != "clear" || !strings.Contains(a.Route.Reason, tt.table) {
				t.Fatalf("%q: source %q route %+v (%s), want %q because of table %q", tt.question, a.Source, a.Route, a.Message, tt.source, tt.table)
			}
			if rows, _ := json.Marshal(a.Rows); a.Outcome != "answered" || string(rows) != tt.rows {
				t.Errorf("%q: %s rows %s, want %s", tt.question, a.Outcome, rows, tt.rows)
			}
		})
	}
	// The plain output names the source and the matching tables.
	code, out, errOut := run(t, "", "ask", "-q", "how many pets are there")
	if code != 0 || !strings.Contains(out, `routed to "pets": matching tables`) {
		t.Errorf("plain ask: code %d\n%s\n%s", code, out, errOut)
	}
	// Nothing matches: out of scope, naming the closest sources, exit 1.
	code, out, errOut = run(t, "", "ask", "-q", "tell me a joke")
	if code == 0 || !strings.Contains(out+errOut, "closest sources") {
		t.Errorf("out of scope: code %d\n%s\n%s", code, out, errOut)
	}
}

func TestEvalRouteJSON(t *testing.T) {
	dev := filepath.Dir(filepath.Dir(filepath.Dir(spiderPets(t))))
	sampleEnv(t)
	code, out, errOut := run(t, "", "eval", "route", "--dataset", "spider", "--data", dev, "--limit", "100", "--json")
	var rep map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &rep) != nil {
		t.Fatalf("code %d\n%s\n%s", code, out, errOut)
	}
	for _, k := range []string{"questions", "top1", "top3", "clarified", "wrong", "p50_ms"} {
		if _, ok := rep[k].(float64); !ok {
			t.Errorf("field %q missing or not a number: %s", k, out)
		}
	}
	if rep["questions"] != float64(100) || rep["sources"] != float64(15) {
		t.Errorf("want 100 questions over the 15 dev databases: %s", out)
	}
	if code, _, errOut := run(t, "", "eval", "route", "--dataset", "wikisql"); code != 2 || !strings.Contains(errOut, "spider or bird") {
		t.Errorf("unknown dataset: code %d\n%s", code, errOut)
	}
}
