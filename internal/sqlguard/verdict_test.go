package sqlguard

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/askdb/askdb/internal/catalog"
)

// TestVerdictDetails pins the full verdict (rule, construct, position,
// message) for representative refusals and the rewritten SQL for accepts.
func TestVerdictDetails(t *testing.T) {
	tests := []struct {
		name string
		d    catalog.Dialect
		sql  string
		max  int
		want Verdict
	}{
		{"pg function position", catalog.Postgres, "SELECT id,\n  pg_sleep(5) FROM t", 0, Verdict{Rule: RuleFunction, Construct: "pg_sleep", Line: 2, Column: 3,
			Message: "function pg_sleep is not allowed in read-only queries; remove it or use an allowed built-in function"}},
		{"mysql function position", catalog.MySQL, "SELECT id FROM t\nWHERE SLEEP(5) = 0", 0, Verdict{Rule: RuleFunction, Construct: "sleep", Line: 2, Column: 7,
			Message: "function sleep is not allowed in read-only queries; remove it or use an allowed built-in function"}},
		{"sqlite parse error position", catalog.SQLite, "SELECT a\nFROM t WHERE (", 0, Verdict{Rule: RuleParse, Line: 2, Column: 14,
			Message: "SQL syntax error: expected expression, found 'EOF'; fix the query"}},
		{"pg add limit keeps text", catalog.Postgres, "SELECT a FROM t -- note", 10, Verdict{Accepted: true, SQL: "SELECT a FROM t -- note\nLIMIT 10", Tables: []string{"t"}, Limited: true}},
		{"pg tighten limit", catalog.Postgres, "SELECT a FROM t ORDER BY a LIMIT 500;", 10, Verdict{Accepted: true, SQL: "SELECT a FROM t ORDER BY a LIMIT 10", Tables: []string{"t"}, Limited: true}},
		{"pg smaller limit kept", catalog.Postgres, "SELECT a FROM s.t LIMIT 5", 10, Verdict{Accepted: true, SQL: "SELECT a FROM s.t LIMIT 5", Tables: []string{"s.t"}}},
		{"pg fetch first tightened", catalog.Postgres, "SELECT a FROM t FETCH FIRST 50 ROWS ONLY", 10, Verdict{Accepted: true, SQL: "SELECT a FROM t FETCH FIRST 10 ROWS ONLY", Tables: []string{"t"}, Limited: true}},
		{"pg expression limit wrapped", catalog.Postgres, "SELECT a FROM t LIMIT 2*500", 10, Verdict{Accepted: true, SQL: "SELECT * FROM (SELECT a FROM t LIMIT 2 * 500) AS askdb_capped LIMIT 10", Tables: []string{"t"}, Limited: true}},
		{"mysql tighten keeps text", catalog.MySQL, "select a from t where b = 'x\\\\y' limit 100", 10, Verdict{Accepted: true, SQL: "select a from t where b = 'x\\\\y' limit 10", Tables: []string{"t"}, Limited: true}},
		{"sqlite comma limit", catalog.SQLite, "SELECT a FROM t LIMIT 5, 500", 10, Verdict{Accepted: true, SQL: "SELECT a FROM t LIMIT 5, 10", Tables: []string{"t"}, Limited: true}},
		{"sqlite compound limit", catalog.SQLite, "SELECT a FROM t UNION SELECT a FROM u", 10, Verdict{Accepted: true, SQL: "SELECT a FROM t UNION SELECT a FROM u\nLIMIT 10", Tables: []string{"t", "u"}, Limited: true}},
		{"sqlite negative limit wrapped", catalog.SQLite, "SELECT a FROM t LIMIT -1", 10, Verdict{Accepted: true, SQL: "SELECT * FROM (\nSELECT a FROM t LIMIT -1\n) LIMIT 10", Tables: []string{"t"}, Limited: true}},
		{"sqlite unterminated comment", catalog.SQLite, "SELECT a FROM t /* open", 10, Verdict{Rule: RuleRowLimit, Construct: "LIMIT",
			Message: "the row limit could not be applied; remove trailing comments and retry"}},
		{"unknown dialect", catalog.Dialect("oracle"), "SELECT 1", 0, Verdict{Rule: RuleDialect, Message: `unknown SQL dialect "oracle"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Check(tc.sql, Options{Dialect: tc.d, MaxRows: tc.max})
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Check(%q) mismatch (-want +got):\n%s", tc.sql, diff)
			}
			err := got.Err()
			if got.Accepted != (err == nil) || !got.Accepted && !errors.Is(err, ErrRejected) {
				t.Errorf("Err() = %v for accepted=%v", err, got.Accepted)
			}
		})
	}
}

func TestFunctionsSortedAndSafe(t *testing.T) {
	for _, d := range catalog.Dialects() {
		fs := Functions(d)
		if len(fs) < 50 {
			t.Errorf("%s: only %d functions allowed", d, len(fs))
		}
		for i := 1; i < len(fs); i++ {
			if fs[i-1] >= fs[i] {
				t.Errorf("%s: not sorted or duplicate at %q", d, fs[i])
			}
		}
		for _, bad := range []string{"pg_read_file", "pg_sleep", "set_config", "dblink", "dblink_exec", "lo_import", "lo_export",
			"nextval", "setval", "pg_advisory_lock", "query_to_xml", "load_file", "sleep", "benchmark", "get_lock", "load_extension",
			"readfile", "writefile", "randomblob", "zeroblob", "read_csv", "read_text", "glob", "getenv", "query", "version",
			"pg_notify", "txid_current", "last_insert_id", "release_lock", "fts3_tokenizer", "sys_exec"} {
			for _, f := range fs {
				if f == bad && !(bad == "glob" && d == catalog.SQLite) { // SQLite's glob() is the GLOB operator
					t.Errorf("%s: dangerous function %q is on the allowlist", d, bad)
				}
			}
		}
	}
}
