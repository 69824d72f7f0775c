// Package sqlguard proves that generated SQL is exactly one read-only query
// before it runs, using each dialect's real parser:
//
//   - PostgreSQL (also Redshift and Aurora): libpg_query via pg_query_go. The
//     protobuf parse tree is walked by protobuf reflection, so every field of
//     every node is visited.
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
// A query is accepted only if it is one SELECT (WITH, set operations, VALUES
// and subqueries anywhere included) with no data-modifying CTE, no INTO, no
// locking clause, no user or system variables (MySQL), only allowlisted
// functions (see functions.go; extend per source with Options.Functions or
// Policy.Functions), no system catalog unless Policy.AllowSystemCatalogs, and
// no table or column the policy hides. A SELECT * over a table with hidden
// columns is refused. Unqualified columns and unknown qualifiers are checked
// against every table in the query (conservative).
//
// With Options.MaxRows the outer LIMIT is added or tightened. PostgreSQL and
// DuckDB: the parse tree says whether the outer query has a LIMIT and where
// its literal is, and the text is edited at that position (appending
// "\nLIMIT n", or replacing the literal), which keeps the author's text and
// saves a deparse; a non-literal LIMIT is handled by setting the tree's limit
// or wrapping the pg_query Deparse output. MySQL: the TiDB tree is edited
// and restored. SQLite: the text is edited at the parser's positions and
// re-parsed to prove the cap is in force. Verdict.SQL is the exact text to
// run; when no LIMIT change is needed it is the checked input, trimmed.
//
// Input with a NUL byte or invalid UTF-8 is refused before parsing: C
// parsers stop at NUL, which would hide the rest of the text.
//
// Design note, DuckDB: DuckDB's grammar is a fork of PostgreSQL's, so the
// PostgreSQL parser accepts the analytic core and refuses DuckDB-only syntax
// (FROM-first queries, string literals as tables such as FROM 'x.csv', which
// also closes the replacement-scan file read). Once the DuckDB source lands,
// the second layer is DuckDB's own json_serialize_sql(): the statement must
// serialize as exactly one SELECT_NODE tree, and its FUNCTION_EXPRESSION and
// TABLE_FUNCTION nodes are checked against the same allowlist (read_csv,
// read_text, glob, query, getenv and duckdb_* are never on it).
//
// The guard is one layer: sources still run queries in read-only
// transactions with timeouts. sqlguard must not import llm or source.
package sqlguard
