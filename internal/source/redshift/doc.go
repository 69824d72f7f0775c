// Package redshift is the "redshift" source kind: Amazon Redshift, reached
// one of two ways, chosen by the DSN.
//
//   - The PostgreSQL wire protocol (dsn: postgres://… or redshift://…, the
//     cluster or workgroup endpoint, port 5439), through pgx and sqlbase.
//     Each connection starts with SET SESSION CHARACTERISTICS AS
//     TRANSACTION READ ONLY, and each query runs in BEGIN READ ONLY with
//     statement_timeout; a cancelled context sends the server a cancel
//     request.
//   - The Redshift Data API (dsn: redshift-data://…?cluster=… or
//     ?workgroup=…), an HTTPS API signed with the caller's IAM credentials:
//     a small database/sql driver (dataapi.go) turns a connection into a
//     Data API session whose transactions are read-only, runs each
//     statement with ExecuteStatement, polls DescribeStatement, pages
//     GetStatementResult with NextToken, and sends CancelStatement when the
//     context ends.
//
// Both read the catalog from Redshift's own views (svv_tables,
// svv_columns) and information_schema's key constraints; on an engine
// without the svv views (PostgreSQL, in tests) from information_schema
// alone. The catalog carries catalog.ProfileRedshift, so the guard checks
// queries with PostgreSQL's parser and Redshift's functions and TOP n.
//
// The package registers itself from init; import it for its side effect.
// It must not import llm or pipeline.
package redshift
