// Package aurora is the "aurora" source kind: Amazon Aurora (MySQL or
// PostgreSQL) through the RDS Data API, an HTTPS API signed with the
// caller's IAM credentials that reads the database password from a
// Secrets Manager secret itself. No network path to the database and no
// password reaches askdb.
//
// A small database/sql driver (driver.go) maps the Data API onto
// database/sql, so sqlbase runs queries, limits and error mapping as for
// every other kind. Each query runs in its own Data API transaction:
// BeginTransaction, SET TRANSACTION READ ONLY (PostgreSQL: with SET LOCAL
// statement_timeout; MySQL: with SET SESSION TRANSACTION READ ONLY, since
// DDL commits implicitly, and the session's statement time limit), the
// query, then RollbackTransaction, always. The DSN's engine= picks the
// guard's dialect.
//
// The Data API has no call that cancels a running statement: a cancelled
// context abandons the HTTP request and rolls the transaction back, and
// the engine's time limit bounds what the statement still runs.
//
// The package registers itself from init; import it for its side effect.
// It must not import llm or pipeline.
package aurora
