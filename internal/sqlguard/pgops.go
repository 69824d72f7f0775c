package sqlguard

import (
	"strings"

	"github.com/askdb/askdb/internal/catalog"
)

// Operators and casts are function calls too: PostgreSQL runs an
// operator's function and a cast's function (or the type's input
// function). Every built-in one is pure, but a database may hold
// user-defined operators and types, with functions of any kind, in any
// schema, and PostgreSQL finds them by name: "1 ### 2", "x OPERATOR(s.+) y",
// "'a'::mytype". So a PostgreSQL query may use only the operators and types
// of pg_catalog (generated from PostgreSQL 15's pg_operator and pg_type),
// spelled unqualified or qualified with pg_catalog. DuckDB has no
// user-defined operators and its only user-defined types are enums, whose
// casts run no function: it may use its own operators too (from
// duckdb_functions()) and any unqualified type name.

// pgOperators are the operator names of pg_catalog.
var pgOperators = words(`!! !~ !~* !~~ !~~* # ## #- #> #>> % & && &< &<| &> * *< *<= *<> *= *> *>= + - -> ->>
-|- / < <-> << <<= <<| <= <> <@ <^ = > >= >> >>= >^ ? ?# ?& ?- ?-| ?| ?|| @ @-@ @> @? @@ @@@ ^ ^@ | |&> |/
|>> || ||/ ~ ~* ~<=~ ~<~ ~= ~>=~ ~>~ ~~ ~~* !=`)

// duckdbOperators are DuckDB's operators beyond PostgreSQL's.
var duckdbOperators = words(`** // ~~~ <=> ^@`)

// pgTypeNames are the base, domain, enum, range and multirange types of
// pg_catalog; the parser spells SQL's own type names (integer, varchar,
// timestamp, ...) as pg_catalog.int4 and so on.
var pgTypeNames = words(`aclitem bit bool box bpchar bytea char cid cidr circle date datemultirange daterange
float4 float8 gtsvector inet int2 int2vector int4 int4multirange int4range int8 int8multirange int8range
interval json jsonb jsonpath line lseg macaddr macaddr8 money name numeric nummultirange numrange oid
oidvector path pg_brin_bloom_summary pg_brin_minmax_multi_summary pg_dependencies pg_lsn pg_mcv_list
pg_ndistinct pg_node_tree pg_snapshot point polygon refcursor regclass regcollation regconfig
regdictionary regnamespace regoper regoperator regproc regprocedure regrole regtype text tid time
timestamp timestamptz timetz tsmultirange tsquery tsrange tstzmultirange tstzrange tsvector
txid_snapshot unknown uuid varbit varchar xid xid8 xml`)

// operator checks an operator name list (A_Expr, SubLink, ORDER BY USING).
func (w *pgWalker) operator(names jsonValue, offset int) *refusal {
	parts := pgNames(names)
	op := strings.Join(parts, ".")
	known := func(op string) bool {
		return pgOperators[op] || w.g.opts.Dialect == catalog.DuckDB && duckdbOperators[op]
	}
	switch {
	case len(parts) == 1 && known(parts[0]):
		return nil
	case len(parts) == 2 && strings.EqualFold(parts[0], "pg_catalog") && known(parts[1]):
		return nil
	}
	return refuse(RuleFunction, op, offset,
		"operator %s is not a built-in operator; an operator runs a function, and only the engine's own (pg_catalog's) may be used", op)
}

// typeName checks the type of a cast or column definition.
func (w *pgWalker) typeName(n jsonValue) *refusal {
	parts := pgNames(n.get("names"))
	name := strings.Join(parts, ".")
	switch {
	case len(parts) == 1 && (w.g.opts.Dialect == catalog.DuckDB || pgTypeNames[strings.ToLower(parts[0])]):
		return nil
	case len(parts) == 2 && strings.EqualFold(parts[0], "pg_catalog"):
		return nil
	}
	return refuse(RuleFunction, name, n.int("location"),
		"type %s is not a built-in type; a cast runs the type's functions, and only the engine's own (pg_catalog's) types may be used", name)
}

// pgNames reads a list of String nodes.
func pgNames(list jsonValue) []string {
	var parts []string
	for p := range list.items() {
		parts = append(parts, pgString(p))
	}
	return parts
}
