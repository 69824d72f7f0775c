package sqlguard

import (
	"testing"

	"github.com/askdb/askdb/internal/catalog"
)

// TestMySQLAllowlistFollowsServer catches an allowlisted name that is not a
// built-in on the server (MariaDB 10.11 has no REGEXP_LIKE): there it calls
// a stored function of the current database instead.
func TestMySQLAllowlistFollowsServer(t *testing.T) {
	tests := []struct {
		name, server, sql string
		accept            bool
	}{
		{"mariadb regexp_like", "10.11.19-MariaDB-0+deb12u1", "SELECT REGEXP_LIKE(name, 'a') FROM t", false},
		{"mariadb json_schema_valid", "10.11.6-MariaDB", `SELECT JSON_SCHEMA_VALID('{}', doc) FROM t`, false},
		{"mariadb any_value", "10.11.6-MariaDB", "SELECT ANY_VALUE(name) FROM t GROUP BY id", false},
		{"mariadb uuid_to_bin", "10.11.6-MariaDB", "SELECT UUID_TO_BIN(u) FROM t", false},
		{"mariadb json_storage_size", "10.11.6-MariaDB", "SELECT JSON_STORAGE_SIZE(doc) FROM t", false},
		{"mariadb regexp_replace", "10.11.6-MariaDB", "SELECT REGEXP_REPLACE(name, 'a', 'b') FROM t", true},
		{"mariadb 10.11 json_overlaps", "10.11.6-MariaDB", "SELECT JSON_OVERLAPS(a, b) FROM t", true},
		{"mariadb 10.6 json_overlaps", "10.6.16-MariaDB", "SELECT JSON_OVERLAPS(a, b) FROM t", false},
		{"mariadb 10.4 json_arrayagg", "10.4.30-MariaDB", "SELECT JSON_ARRAYAGG(name) FROM t", false},
		{"mysql 8 regexp_like", "8.0.36", "SELECT REGEXP_LIKE(name, 'a') FROM t", true},
		{"mysql 8 any_value", "8.0.36", "SELECT ANY_VALUE(name) FROM t GROUP BY id", true},
		{"mysql 8.0.20 json_value", "8.0.20", "SELECT JSON_VALUE(doc, '$.a') FROM t", false},
		{"mysql 8.0.21 json_value", "8.0.21", "SELECT JSON_VALUE(doc, '$.a') FROM t", true},
		{"mysql 5.7 regexp_like", "5.7.44-log", "SELECT REGEXP_LIKE(name, 'a') FROM t", false},
		{"no patch number reads as 8.0.0", "8.0.mysql_aurora.3.05.2", "SELECT REGEXP_LIKE(name, 'a') FROM t", false},
		{"no patch number, old enough", "8.0.mysql_aurora.3.05.2", "SELECT UUID_TO_BIN(u) FROM t", true},
		{"unknown regexp_like", "", "SELECT REGEXP_LIKE(name, 'a') FROM t", false},
		{"unknown json_value", "", "SELECT JSON_VALUE(doc, '$.a') FROM t", false},
		{"unknown concat", "", "SELECT CONCAT(a, b) FROM t", true},
		{"garbage version", "custom build", "SELECT REGEXP_LIKE(name, 'a') FROM t", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := Options{Dialect: catalog.MySQL}
			if tt.server != "" {
				opts.Catalog = &catalog.Catalog{Dialect: catalog.MySQL, Version: tt.server}
			}
			v := Check(tt.sql, opts)
			if v.Accepted != tt.accept {
				t.Fatalf("server %q: accepted=%v (%s: %s), want %v", tt.server, v.Accepted, v.Rule, v.Message, tt.accept)
			}
			if !v.Accepted && v.Rule != RuleFunction {
				t.Fatalf("refused by rule %s, want %s", v.Rule, RuleFunction)
			}
		})
	}
}

// TestMySQLSinceNamesAreAllowlisted keeps mysqlSince in step with
// mysqlFuncs: a gated name that is no longer allowlisted is dead weight,
// and a typo would leave the real name ungated.
func TestMySQLSinceNamesAreAllowlisted(t *testing.T) {
	for f := range mysqlSince {
		if !defaults[catalog.MySQL][f] {
			t.Errorf("mysqlSince lists %q, which is not on the MySQL allowlist", f)
		}
	}
}
