// Package duckdb is the "duckdb" source kind: DuckDB over CSV and Parquet
// files named as tables in askdb.yaml (files:), or over a .duckdb database
// file (path:); not both in one source.
//
// The engine links only with the build tag duckdb (about 55 MB); without
// it the kind still registers and New returns ErrNotBuilt.
//
// Queries never see the user's files. Opening a files: source copies every
// file (globs expanded by DuckDB's glob()) into a table of snapshot.duckdb
// in a private folder (os.MkdirTemp, 0700, named askdb-duckdb-*), using a
// connection that reads files and is closed before any query runs. Close
// removes the folder; a crashed process leaves it in the OS temporary
// directory. The files are read once: a change needs the source reopened
// (restart askdb). Cost, BenchmarkOpen: a 100,000-row, 4.6 MB CSV takes
// about 0.33 s to open and makes a 1.1 MB snapshot (DuckDB compresses).
//
// The snapshot, or the path: file, is then opened locked down:
//
//   - In the DSN, so from the engine's first connection:
//     access_mode=READ_ONLY, enable_external_access=false, no extension
//     autoload, autoinstall or community extensions. No allowed_paths.
//   - DuckDB still lets queries use its own database file and .wal as paths
//     (COPY ... TO the open database with USE_TMP_FILE false overwrites it),
//     so one connection sets disabled_filesystems='LocalFileSystem' and then
//     lock_configuration=true before the pool exists. Both are global. The
//     database stays readable through the handle opened at start; nothing
//     spills to disk, so a query past memory_limit fails.
//   - Every new connection is verified (settings, current database, and a
//     glob() of the database file that must fail) and refused otherwise.
//   - Connections are never reused, so TEMP tables, USE or search_path left
//     by a statement that ended askdb's transaction die with it.
//   - Each query runs in BEGIN TRANSACTION READ ONLY, always rolled back,
//     with a deadline that interrupts DuckDB and source.ReadRows' caps.
//
// DuckDB runs in askdb's process, so its memory is askdb's (limits.go).
// Before the lock, memory_limit is set to the source's max_memory (shared
// by its queries), threads to at most 4 and max_temp_directory_size to 0;
// a query past the limit fails with source.ErrMemoryLimit. memory_limit
// bounds the buffer manager (aggregates, lists and strings built by
// aggregates, hash tables, sorts), not the vectors one scalar expression
// builds: repeat('x', 1e9) or list_transform(range(1e8), ...) allocate past
// it. DuckDB checks for an interrupt only between chunks of work, so such a
// call also runs on past the deadline; a watchdog (run) then returns
// ErrTimeout within 750 ms of the deadline and leaves the call to finish
// in the background (Close waits for it).
//
// Tests send writes straight to this engine layer, bypassing both guards,
// and check that file hashes, row counts and folders are unchanged.
// DETACH of the database is refused too (it is the default, and USE of
// system or temp is refused); were it ever to succeed, new connections
// would fail verification and queries would fail until a restart.
//
// In front of the engine, every query and EXPLAIN passes the source's own
// guard (check.go): DuckDB's parser serializes the statement
// (json_serialize_sql); it must be exactly one SELECT tree whose functions
// and table functions are on sqlguard's DuckDB allowlist, the global
// guard.functions.duckdb (source.Options.Functions) or the source's
// policy.functions, with no file path as a table name. Unknown node types
// are refused.
//
// It registers itself from init; internal/plugins imports it. It must not
// import llm or pipeline.
package duckdb
