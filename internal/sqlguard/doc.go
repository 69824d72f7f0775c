// Package sqlguard proves that generated SQL is exactly one read-only query
// before it runs, using each dialect's real parser:
//
//   - PostgreSQL (also Redshift and Aurora): libpg_query via pg_query_go. Its
//     JSON parse tree is read with encoding/json (pgtree.go) and walked with
//     pg_query_go's protobuf descriptors (pgtypes.go), so every member of
//     every node is visited and a key or node type the schema does not know
//     is refused. The protobuf form costs six times as much to produce (see
//     BenchmarkPostgresParser) and is used only to deparse.
//   - MySQL and MariaDB: the TiDB parser, walked with an ast.Visitor. The raw
//     text is also scanned for executable comments (/*! */, /*M! */) and
//     optimizer hints (/*+ */) outside string literals, under both backslash
//     and NO_BACKSLASH_ESCAPES readings.
//   - SQLite: rqlite/sql, walked by reflection (rqlite's own Walk skips CTEs),
//     refusing node types it does not know. rqlite/sql rejects keywords that
//     SQLite accepts as identifiers (a table "Match", a column "Virtual");
//     like SQLite's fallback rule, a parse error at a bare keyword is retried
//     with that keyword double-quoted, and the quoted text is what runs.
//   - DuckDB: for now the PostgreSQL parser is the first layer, with a
//     DuckDB-specific function allowlist.
//
// MySQL and MariaDB call a stored function of the current database for
// any name that is not a built-in on the running server, so the MySQL
// allowlist depends on the server: MariaDB 10.11 has no REGEXP_LIKE,
// JSON_SCHEMA_VALID, ANY_VALUE, BIN_TO_UUID, UUID_TO_BIN or
// JSON_STORAGE_SIZE, and older servers lack newer names (mysqlSince in
// functions.go). The version comes from Options.Catalog.Version, which
// introspection reads with SELECT VERSION(). Without it (askdb check
// --dialect mysql, or a guard run with no catalog) the guard fails
// closed: only names that are built-ins on every supported MySQL
// (5.7.8+) and MariaDB (10.2.3+) pass, and the others are refused with
// rule function.
//
// A query is accepted only if it is one SELECT (WITH, set operations, VALUES
// and subqueries anywhere included) with no data-modifying CTE, no INTO, no
// locking clause, no user or system variables (MySQL), only allowlisted
// functions (see functions.go; extend per source with Options.Functions or
// Policy.Functions), no system catalog unless Policy.AllowSystemCatalogs
// (DuckDB's pragma_* table functions and "system" catalog included), and
// no table or column the policy hides. A SELECT * over a table with hidden
// columns is refused. Unqualified columns and unknown qualifiers are checked
// against every table in the query (conservative).
//
// Policy entries: a bare "staff" is a table name (in any schema), "staff.*"
// is schema staff (and, for deny, also all of a table staff), "s.t" is table
// t of schema s (deny also reads it as table s, column t), "s.t.c" a column.
// An unqualified table name matches a deny rule for s.t in any schema unless
// Options.Catalog puts the name only in other schemas; deny "s.*" and allow
// "s.t"/"s.*" apply to an unqualified name only when the catalog resolves it
// (into s), so without a catalog an allow-by-schema policy asks for
// qualified names. A table or join alias with a column list (AS c(a, b, e))
// over a table with hidden columns is refused like SELECT *.
//
// Input over MaxSQLBytes, or whose operators and parentheses nest more than
// MaxExprDepth levels in one expression (counted by a linear pass over the
// dialect's own tokens), is refused before parsing: libpg_query's recursive
// tree output segfaults the process on a 60 KB "SELECT 1+1+...".
//
// With Options.MaxRows the outer LIMIT is added or tightened. PostgreSQL and
// DuckDB: the parse tree says whether the outer query has a LIMIT and where
// its literal is, and the text is edited at that position (appending
// "\nLIMIT n", or replacing the literal), which keeps the author's text and
// saves a deparse; a non-literal LIMIT is handled by setting the tree's limit
// or wrapping the pg_query Deparse output, re-parsed to prove the cap. The
// text is first cut at the statement's parsed end (dropping "; -- comment"
// tails). The two text edits are not re-parsed: why the grammar puts the
// appended LIMIT at the outer level, and why the replaced digits are the
// whole literal, is argued at pgLimit, and the gold, case and fuzz tests
// re-check every rewrite. MySQL: the text is edited
// the same way and must restore to the capped tree; otherwise the capped
// tree is restored with unnamed expressions aliased to their original text,
// so result column names do not change. SQLite: the text is edited at the
// parser's positions and re-parsed. Verdict.SQL is the exact text to
// run; when no LIMIT change is needed it is the checked input, trimmed.
//
// Input with a NUL byte or invalid UTF-8 is refused before parsing: C
// parsers stop at NUL, which would hide the rest of the text.
//
// Attribute notation (pgattr.go): PostgreSQL and DuckDB run "(x).f",
// "t.f" and "c.f" as the call f(x), f(row of t) or f(c) when f is no
// column or field, so a function can be called with no FuncCall node in
// the tree. Every dotted column reference and field selection is resolved
// after the walk: a field selection on a value is refused; t.f is a column
// when Options.Catalog shows every table t may name has column f, and is
// refused otherwise; without a catalog (or for a CTE or subquery) f is
// refused when it is a function that can take a whole row, and a few such
// names that are also everyday columns ("name", "text", "rank") are read
// as t.* for the policy. MySQL and SQLite have no such syntax: their dotted
// names are only schema.table.column, a call always has parentheses, and
// "(x).f" does not parse (TestAttributeNotationOtherDialects).
//
// Backslashes in strings: a PostgreSQL standard string ('...') or MySQL
// string whose end moves with the server's mode (standard_conforming_strings
// off; NO_BACKSLASH_ESCAPES) is refused (RuleStringEscape), so the text
// after it is read the same way by the guard and by any session. Sources
// also pin those settings on every connection.
//
// Design note, DuckDB: DuckDB's grammar is a fork of PostgreSQL's, so the
// PostgreSQL parser accepts the analytic core and refuses DuckDB-only syntax
// (FROM-first queries, string literals as tables such as FROM 'x.csv', which
// also closes the replacement-scan file read). The second layer is wired in
// the DuckDB source (internal/source/duckdb, check.go): before running, it
// calls DuckDB's own json_serialize_sql() on the statement, which must
// serialize as exactly one SELECT tree (set operations and CTEs included),
// and checks every function and table function against this allowlist
// through FunctionAllowed (read_csv, read_text, glob, query, getenv and
// duckdb_* are never on it).
//
// Row filters (rowfilter*.go): with Options.RowFilters, an accepted query
// is rewritten so that every reference to a filtered table, wherever the
// parser finds it (joins, subqueries, CTE bodies, set operations, LATERAL),
// reads "(SELECT cols FROM t WHERE filter) AS alias" under its own alias.
// PostgreSQL and MySQL edit the parse tree and print it back (pg_query
// Deparse, TiDB Restore); SQLite, whose parser has no faithful printer,
// splices the text at the parser's positions. The rewritten SQL goes
// through the whole guard again, and its re-parsed tree must show every
// reference to a filtered table as the only source of a SELECT whose WHERE
// is exactly the filter; otherwise the query is refused. A CTE named like a
// filtered table, a view (per Options.Catalog) that is not itself filtered,
// and any other dialect are refused. Claim values ({{user.x}}) are string
// literals quoted as each dialect's own escaping does. A filter must name
// only columns of its table (an unknown name could resolve to an outer
// query) and may not read another filtered table (the verification refuses
// it).
//
// The guard is one layer: sources still run queries in read-only
// transactions with timeouts. sqlguard must not import llm or source.
package sqlguard
