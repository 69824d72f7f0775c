package sqlguard

import (
	"testing"

	"github.com/askdb/askdb/internal/catalog"
)

// TestOperatorsAndCasts: an operator or a cast runs a function, found by
// name in any schema, so PostgreSQL queries may use only pg_catalog's.
func TestOperatorsAndCasts(t *testing.T) {
	tests := []ruleCase{
		{"SELECT 1 ### 2", RuleFunction},
		{"SELECT 1 OPERATOR(public.+) 2", RuleFunction},
		{"SELECT a FROM t WHERE a ### ANY (SELECT b FROM u)", RuleFunction},
		{"SELECT a FROM t ORDER BY a USING ###", RuleFunction},
		{"SELECT 'a'::mytype", RuleFunction},
		{"SELECT CAST(1 AS public.evil)", RuleFunction},
		{"SELECT x FROM t WHERE x::evil_domain IS NULL", RuleFunction},
		{"SELECT 1 OPERATOR(pg_catalog.+) 2", ""},
		{"SELECT a FROM t ORDER BY a USING <", ""},
		{"SELECT a::int, b::varchar(3), c::timestamp, d::date, e::numeric(3,1), f::text[], g::double precision, h::jsonb FROM t", ""},
		{"SELECT a FROM t WHERE a BETWEEN 1 AND 2 AND b NOT BETWEEN SYMMETRIC 1 AND 2 AND c IN (1, 2) AND d LIKE 'x' AND e IS DISTINCT FROM f AND g = ANY (ARRAY[1]) AND h ILIKE 'a' AND i SIMILAR TO 'b' AND x != 1 AND j ->> 'k' = 'v'", ""},
		{"SELECT interval '1 day', date '2020-01-01', timestamp with time zone '2020-01-01'", ""},
	}
	wantRules(t, Options{Dialect: catalog.Postgres}, tests)
	// DuckDB has no user-defined operators; its own (//, **) stay usable.
	if v := Check("SELECT 7 // 2, 2 ** 3, 'a'::VARCHAR, 1::HUGEINT", Options{Dialect: catalog.DuckDB}); !v.Accepted {
		t.Errorf("DuckDB operators and types refused: %s", v.Message)
	}
}
