// Package mysql is the "mysql" source kind: MySQL, MariaDB and Aurora MySQL,
// through go-sql-driver/mysql and database/sql, so rows go through
// source.ReadRows like every other kind.
//
// Every connection of the pool is put in SESSION TRANSACTION READ ONLY as it
// opens, and every query also runs in START TRANSACTION READ ONLY. Both are
// needed: MySQL and MariaDB commit implicitly before DDL, so a READ ONLY
// transaction alone does not stop CREATE or DROP. The per-statement time
// limit is max_statement_time (MariaDB, seconds) or max_execution_time
// (MySQL, milliseconds). When a context is cancelled, the running statement
// is stopped on the server with KILL QUERY from another connection.
//
// The package registers itself from init; import it for its side effect.
// It must not import llm or pipeline.
package mysql
