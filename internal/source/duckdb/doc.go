// Package duckdb is the "duckdb" source kind: DuckDB over CSV and Parquet
// files named as tables in askdb.yaml (files:), optionally beside a .duckdb
// database file (path:) opened with access_mode=READ_ONLY.
//
// The engine links only with the build tag duckdb (about 55 MB); without
// it the kind still registers and New returns ErrNotBuilt.
//
// Opening a source expands each path with DuckDB's glob(), makes a TEMP
// view per table over read_csv_auto or read_parquet of the matched files
// (on every pooled connection, since TEMP objects are per connection and a
// read-only database file cannot hold views), then locks the engine:
// allowed_paths is exactly those files, enable_external_access=false,
// lock_configuration=true, and extensions never autoload.
//
// Every query and EXPLAIN then passes two checks inside the source:
//
//  1. DuckDB's own parser serializes the statement (json_serialize_sql);
//     it must be exactly one SELECT tree whose functions and table functions
//     are on sqlguard's DuckDB allowlist or the source's policy.functions,
//     with no file path as a table name. Unknown node types are refused.
//  2. The engine layer: BEGIN TRANSACTION READ ONLY, always rolled back (a
//     statement that ends the transaction itself loses its connection), a
//     deadline that interrupts DuckDB, and the row and byte caps of
//     source.ReadRows.
//
// The engine layer alone refuses CREATE, INSERT, ATTACH, INSTALL, LOAD, SET
// and reading any other file. It does not stop COPY ... TO a configured file
// with USE_TMP_FILE false, because allowed_paths grants writing too; check 1
// and sqlguard do (both tested). TEMP objects created inside the read-only
// transaction are rolled back with it.
//
// It registers itself from init; internal/plugins imports it. It must not
// import llm or pipeline.
package duckdb
