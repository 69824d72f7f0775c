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
// Each new connection also pins its sql_mode (session.go): it keeps only
// the flags of its starting mode that do not change how a statement is read
// (so never ANSI_QUOTES, NO_BACKSLASH_ESCAPES, PIPES_AS_CONCAT or MariaDB's
// ORACLE grammar, which the TiDB parser in sqlguard does not use), adds
// IGNORE_SPACE on MariaDB, reads the mode back, and refuses the connection
// when it did not take. After each query, RELEASE_ALL_LOCKS() frees named
// locks and the mode is checked again; a connection whose query held a lock,
// or whose mode changed, is closed instead of pooled.
//
// The package registers itself from init; import it for its side effect.
// It must not import llm or pipeline.
package mysql
