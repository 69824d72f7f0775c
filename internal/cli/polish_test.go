package cli_test

import (
	"database/sql"
	"strings"
	"testing"
)

func mustExec(t *testing.T, path, stmt string) {
	t.Helper()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(stmt); err != nil {
		t.Fatal(err)
	}
}

func TestAskJoinsUnquotedWords(t *testing.T) {
	sampleEnv(t)
	code, out, errOut := run(t, "", "ask", "-q", "how", "many", "employees", "are", "there")
	if strings.Contains(errOut, "arg(s)") {
		t.Fatalf("unquoted question refused: code %d\n%s", code, errOut)
	}
	if code != 0 || !strings.Contains(out, "300") {
		t.Errorf("code %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
}

func TestErrorsAreOneLineWithOnePrefix(t *testing.T) {
	sampleEnv(t)
	_, _, errOut := run(t, "", "ask", "-q", "Which customers are likely to churn next quarter?")
	if strings.Contains(errOut, "askdb: askdb") {
		t.Errorf("doubled prefix:\n%s", errOut)
	}
	if n := strings.Count(strings.TrimRight(errOut, "\n"), "\n"); n != 1 { // the notice, then the error
		t.Errorf("error spans %d lines, want one:\n%s", n, errOut)
	}
}

func TestSourcesStatusOnlyWhenChecked(t *testing.T) {
	sampleEnv(t)
	code, out, _ := run(t, "", "sources")
	if code != 0 || strings.Contains(out, "STATUS") || !strings.Contains(out, "sample (default)") {
		t.Errorf("sources (code %d):\n%s", code, out)
	}
	code, out, _ = run(t, "", "sources", "--check")
	if code != 0 || !strings.Contains(out, "STATUS") || !strings.Contains(out, "ok") {
		t.Errorf("sources --check (code %d):\n%s", code, out)
	}
}

func TestTableAlignsWideTextAndRoundsNumbers(t *testing.T) {
	sampleEnv(t)
	code, out, errOut := run(t, "", "sql", "SELECT '東京' AS city, 658.540323926868 AS avg UNION ALL SELECT 'Oslo', 12.5")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	lines := strings.Split(out, "\n")
	// header, rule, 東京 row, Oslo row: the "|" sits at one column in each.
	if w := displayCol(lines[2]); w != displayCol(lines[0]) || w != displayCol(lines[3]) {
		t.Errorf("columns misaligned:\n%s", out)
	}
	if !strings.Contains(out, "658.54") || strings.Contains(out, "658.5403") || !strings.Contains(out, "12.50") {
		t.Errorf("averages not rounded to one scale per column:\n%s", out)
	}
}

// displayCol is the terminal column of the first "|" in a table line.
func displayCol(line string) int {
	n := 0
	for _, r := range line {
		if r == '|' {
			return n
		}
		if r >= 0x3000 {
			n += 2
		} else {
			n++
		}
	}
	return -1
}

func TestSchemaCountsInSingular(t *testing.T) {
	dir := sampleEnv(t)
	path := writeConfig(t, dir, "sources:\n  one: {kind: sqlite, path: one.db}\n")
	mustExec(t, dir+"/one.db", "CREATE TABLE t (a INTEGER)")
	code, out, errOut := run(t, "", "--config", path, "schema")
	if code != 0 || !strings.Contains(out, ": 1 table\n") {
		t.Errorf("code %d\n%s%s", code, out, errOut)
	}
}

func TestErrorLineRunsOnAfterAColon(t *testing.T) {
	sampleEnv(t)
	_, _, errOut := run(t, "", "ask", "-q", "Which department has the most employees?")
	if !strings.Contains(errOut, "for example: ASKDB_MODEL=") || strings.Contains(errOut, ":;") {
		t.Errorf("the advice should run on after its colon:\n%s", errOut)
	}
}
