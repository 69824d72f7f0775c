// Package sqlite is the "sqlite" source kind: a SQLite file opened
// read-only (mode=ro, PRAGMA query_only and an engine authorizer that denies
// every write), introspected from sqlite_schema and PRAGMAs. With no path
// it opens askdb's bundled sample database, generated on first use into the
// user's cache directory.
//
// It registers itself from init; internal/plugins imports it.
package sqlite
