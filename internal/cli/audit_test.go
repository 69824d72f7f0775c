package cli_test

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

type exported struct {
	Time       string   `json:"time"`
	ID         string   `json:"id"`
	User       string   `json:"user"`
	Groups     []string `json:"groups"`
	Source     string   `json:"source"`
	Question   string   `json:"question"`
	SQLWritten string   `json:"sql_written"`
	SQLRun     string   `json:"sql_run"`
	Verdicts   []string `json:"verdicts"`
	Outcome    string   `json:"outcome"`
	Engine     string   `json:"engine"`
	RowCount   int      `json:"row_count"`
}

func parseJSONL(t *testing.T, out string) []exported {
	t.Helper()
	var recs []exported
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var e exported
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		for _, k := range []string{"time", "id", "user", "groups", "source", "question", "sql_written", "sql_run", "verdicts", "outcome", "duration_ms", "input_tokens"} {
			if _, ok := m[k]; !ok {
				t.Errorf("record lacks field %q: %s", k, sc.Text())
			}
		}
		recs = append(recs, e)
	}
	return recs
}

func questions(recs []exported) []string {
	var qs []string
	for _, r := range recs {
		qs = append(qs, r.User+": "+r.Question)
	}
	return qs
}

// TestAuditExport asks questions through the pipeline as two users, then
// exports the log with each filter and format and parses it back.
func TestAuditExport(t *testing.T) {
	dir := sampleEnv(t)
	start := time.Now().UTC().Add(-time.Second)
	asks := []struct{ user, question string }{
		{"alice", "How many customers are there?"},
		{"bob", "How many employees are there?"},
		{"alice", "How many products are there?"},
	}
	for _, q := range asks {
		t.Setenv("USER", q.user)
		if code, _, errOut := run(t, "", "ask", "-q", q.question); code != 0 {
			t.Fatalf("ask %q: exit %d: %s", q.question, code, errOut)
		}
	}
	all := []string{"alice: How many customers are there?", "bob: How many employees are there?", "alice: How many products are there?"}

	code, out, errOut := run(t, "", "audit", "export", "--since", "10m")
	if code != 0 {
		t.Fatalf("export: exit %d: %s", code, errOut)
	}
	recs := parseJSONL(t, out)
	if got := questions(recs); !slices.Equal(got, all) {
		t.Fatalf("exported %q, want %q", got, all)
	}
	r := recs[0]
	if r.Source != "sample" || r.Outcome != "answered" || r.Engine != "offline" || r.RowCount != 1 ||
		!strings.Contains(r.SQLRun, "LIMIT") || strings.Contains(r.SQLWritten, "LIMIT") || !slices.Equal(r.Verdicts, []string{"accepted"}) {
		t.Errorf("first record: %+v", r)
	}
	if at, err := time.Parse(time.RFC3339Nano, r.Time); err != nil || at.Before(start) {
		t.Errorf("time %q (err %v) is before the test began at %s", r.Time, err, start)
	}

	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"user", []string{"--since", "1h", "--user", "alice"}, []string{all[0], all[2]}},
		{"source", []string{"--since", "1h", "--source", "sample", "--user", "bob"}, []string{all[1]}},
		{"other source", []string{"--since", "1h", "--source", "hr"}, nil},
		{"since in the future", []string{"--since", time.Now().UTC().Add(time.Hour).Format(time.RFC3339)}, nil},
		{"until before them", []string{"--since", "2d", "--until", start.Format(time.RFC3339Nano)}, nil},
		{"days", []string{"--since", "1d"}, all},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := run(t, "", append([]string{"audit", "export"}, tc.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if got := questions(parseJSONL(t, out)); !slices.Equal(got, tc.want) {
				t.Errorf("exported %q, want %q", got, tc.want)
			}
		})
	}

	path := filepath.Join(dir, "audit.csv")
	if code, out, errOut := run(t, "", "audit", "export", "--since", "1h", "--format", "csv", "--out", path); code != 0 || out != "" {
		t.Fatalf("csv: exit %d, stdout %q: %s", code, out, errOut)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("csv does not parse back: %v", err)
	}
	if len(rows) != 4 || rows[0][0] != "time" || rows[0][8] != "sql_run" {
		t.Fatalf("csv rows: %q", rows)
	}
	for i, row := range rows[1:] {
		if row[2]+": "+row[6] != all[i] || row[8] != recs[i].SQLRun || !strings.Contains(row[8], "\n") {
			t.Errorf("csv row %d: %q, want %q with sql_run %q", i+1, row, all[i], recs[i].SQLRun)
		}
	}
}

func TestAuditExportBadFlags(t *testing.T) {
	sampleEnv(t)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no since", nil, "--since is required"},
		{"words", []string{"--since", "yesterday"}, `--since "yesterday": not a duration`},
		{"negative", []string{"--since", "-5m"}, "must be positive"},
		{"bad until", []string{"--since", "1h", "--until", "2025-13-01"}, `--until "2025-13-01"`},
		{"until before since", []string{"--since", "2025-06-15", "--until", "2025-06-14"}, "is not after --since"},
		{"format", []string{"--since", "1h", "--format", "xml"}, `--format "xml": must be jsonl or csv`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := run(t, "", append([]string{"audit", "export"}, tc.args...)...)
			if code != 2 || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q", code, errOut, tc.want)
			}
		})
	}
}
