// Package sqlite is the "sqlite" source kind: a SQLite file opened
// read-only (mode=ro, PRAGMA query_only and an engine authorizer that denies
// every write), introspected from sqlite_schema and PRAGMAs. With no path
// it opens askdb's bundled sample database, generated on first use into the
// user's cache directory.
//
// SQLite runs in askdb's process, so its memory is askdb's (limits.go):
// each query runs with SQLITE_LIMIT_LENGTH at its max_bytes, so no string,
// BLOB or row record may grow past it (SQLITE_TOOBIG, reported as
// source.ErrValueTooLarge), and SQLite's process-wide hard heap limit is
// the largest max_memory of the sqlite sources (SQLITE_NOMEM, reported as
// source.ErrMemoryLimit). The deadline interrupts SQLite (sqlite3_interrupt)
// between steps; one step is bounded in work by the length limit.
//
// It registers itself from init; internal/plugins imports it.
package sqlite
