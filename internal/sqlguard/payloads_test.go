package sqlguard

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/askdb/askdb/internal/catalog"
)

// dangerousWord matches, outside string literals, any keyword or function an
// accepted query must never hold. It is deliberately independent of the
// guard's own allowlists: a second opinion on every accepted payload.
var dangerousWord = map[catalog.Dialect]*regexp.Regexp{
	catalog.SQLite:   danger(`sqlite_\w+|pragma_\w+|dbstat`),
	catalog.Postgres: danger(`pg_\w+|dblink\w*|lo_\w+|query_to_xml|set_config|nextval|setval|txid_\w+`),
	catalog.DuckDB:   danger(`pg_\w+|duckdb_\w+|read_\w+|glob|getenv|query|query_table`),
	catalog.MySQL:    danger(`mysql|sys|performance_schema|sys_exec|sys_eval|@+\w*`),
	catalog.Trino:    danger(`system|query|raw_query|exclude_columns|use|prepare|deallocate|show|describe|current_user|table\s*\(|"?\$\w+`),
}

func danger(extra string) *regexp.Regexp {
	return regexp.MustCompile(`(?i)(^|[^\w@])(insert|update|delete|drop|alter|create|truncate|merge|into|outfile|dumpfile|grant|revoke|attach|detach|pragma|vacuum|copy|call|do|set|exec|execute|load_file|load_extension|sleep|pg_sleep|benchmark|get_lock|waitfor|information_schema|randomblob|zeroblob|readfile|writefile|utl_\w+|dbms_\w+|xp_\w+|sp_\w+|` + extra + `)\b|\b(version|database|user)\s*\(|/\*!|/\*\+|;`)
}

// stripStrings blanks out '...' literals so words inside them do not count.
var quotedLiteral = regexp.MustCompile(`'(?:[^']|'')*'`)

// TestPayloadsNeverAccepted runs every public injection payload through every
// dialect. Most are fragments and fail to parse; any accepted line must be a
// harmless single read-only query, which is re-checked independently.
func TestPayloadsNeverAccepted(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(sharedDir(t), "security", "payloads", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Skipf("no payload files found: %v", err)
	}
	total, accepted := 0, 0
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatalf("read %q: %v", file, err)
		}
		for n, line := range strings.Split(string(data), "\n") {
			if strings.TrimSpace(line) == "" {
				continue
			}
			for _, d := range catalog.Dialects() {
				total++
				v := Check(line, Options{Dialect: d, MaxRows: 100})
				if !v.Accepted {
					if v.Rule == "" || v.Message == "" {
						t.Errorf("%s:%d %s: rejection without rule or message", filepath.Base(file), n+1, d)
					}
					continue
				}
				accepted++
				body := quotedLiteral.ReplaceAllString(v.SQL, "''")
				if m := dangerousWord[d].FindString(body); m != "" {
					t.Errorf("%s:%d %s: accepted payload holds %q\n  SQL: %s", filepath.Base(file), n+1, d, m, v.SQL)
				}
				if !strings.HasPrefix(strings.ToUpper(strings.TrimLeft(v.SQL, "( \t\n")), "SELECT") &&
					!strings.HasPrefix(strings.ToUpper(strings.TrimSpace(v.SQL)), "WITH") {
					t.Errorf("%s:%d %s: accepted payload is not a SELECT: %s", filepath.Base(file), n+1, d, v.SQL)
				}
				assertIdempotent(t, d, Check(line, Options{Dialect: d, MaxRows: 1000}))
				t.Logf("accepted harmless payload (%s): %s", d, v.SQL)
			}
		}
	}
	t.Logf("%d payload checks across %d files and every dialect, %d accepted (all harmless)", total, len(files), accepted)
}
