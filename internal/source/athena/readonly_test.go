package athena

import (
	"errors"
	"testing"

	"github.com/askdb/askdb/internal/source"
)

func TestCheckReadOnly(t *testing.T) {
	tests := []struct {
		name, sql string
		ok        bool
	}{
		{"select", "SELECT 1", true},
		{"parenthesised", "((SELECT 1)) UNION ALL (SELECT 2)", true},
		{"with", "with x as (select 1) select * from x", true},
		{"values", "VALUES (1), (2)", true},
		{"show", "SHOW TABLES", true},
		{"describe", "DESCRIBE orders", true},
		{"explain", "EXPLAIN SELECT 1", true},
		{"explain options", "EXPLAIN (TYPE VALIDATE, FORMAT TEXT) SELECT 1", true},
		{"explain a subquery", "EXPLAIN (SELECT 1)", true},
		{"comments", "/* x */ -- y\n  SELECT 1", true},
		{"insert", "INSERT INTO t SELECT 1", false},
		{"insert lower case", "insert into t values (1)", false},
		{"ctas", "CREATE TABLE t AS SELECT 1", false},
		{"unload", "UNLOAD (SELECT 1) TO 's3://x/'", false},
		{"merge", "MERGE INTO t USING s ON true WHEN MATCHED THEN DELETE", false},
		{"explain analyze", "EXPLAIN ANALYZE VERBOSE INSERT INTO t SELECT 1", false},
		{"explain options then write", "EXPLAIN (TYPE IO) DELETE FROM t", false},
		{"comment hides nothing", "/* SELECT */ DROP TABLE t", false},
		{"unterminated comment", "/* SELECT 1", false},
		{"call", "CALL system.sync_partition_metadata('a', 'b', 'FULL')", false},
		{"set session", "SET SESSION query_max_run_time = '1h'", false},
		{"use", "USE other", false},
		{"prepare", "PREPARE p FROM SELECT 1", false},
		{"optimize", "OPTIMIZE t REWRITE DATA USING BIN_PACK", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := checkReadOnly(tc.sql)
			if tc.ok && err != nil || !tc.ok && !errors.Is(err, source.ErrReadOnly) {
				t.Errorf("checkReadOnly(%q) = %v, want ok=%v", tc.sql, err, tc.ok)
			}
		})
	}
}
