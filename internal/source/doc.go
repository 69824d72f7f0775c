// Package source defines what askdb needs from a database: connect,
// introspect into a catalog.Catalog, EXPLAIN without executing, and run one
// query read-only with row, byte and time limits. Each kind lives in its own
// sub-package (source/sqlite, source/postgres, source/mysql, source/duckdb) and registers a
// factory from init; internal/plugins imports them all.
//
// source must not import llm or pipeline.
package source
