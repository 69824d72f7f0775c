// Package trinofake is a small Trino coordinator for tests: it speaks the
// REST statement protocol the real client uses (POST /v1/statement,
// nextUri paging of columns and data, DELETE to cancel, error objects,
// X-Trino-* request and response headers, transactions) and runs the
// statements on a PostgreSQL database that stands in for one Trino
// catalog.
//
// It enforces what a real coordinator would: X-Trino-User on every
// statement (and a password over TLS when Passwords is set), the
// session's catalog and schema, known session properties and their
// duration syntax, query_max_run_time, transactions started only by a
// client that sends X-Trino-Transaction-Id, writes refused inside a READ
// ONLY transaction, and Trino's file-based system access control read
// from a rules.json in Trino's own format. Its information_schema and
// system.metadata.table_comments are views (meta.sql) that present the
// PostgreSQL catalog as Trino's PostgreSQL connector does.
//
// It tells a write from a read by the statement's leading keywords, where
// Trino's analyzer knows: it is test code, it trusts its caller, and it is
// not a guard.
package trinofake
