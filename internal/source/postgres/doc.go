// Package postgres is the "postgres" source kind: PostgreSQL and engines
// that speak its protocol (Aurora PostgreSQL, most of Redshift). It connects
// with pgx through database/sql, so rows go through source.ReadRows like every
// other kind, introspects all user schemas (or the configured ones) with a
// handful of bulk catalog queries, and runs each query in a READ ONLY
// transaction with SET LOCAL statement_timeout. Context cancellation sends
// the server a cancel request, so an abandoned query stops on the server too.
//
// Every connection starts with the settings the guard's parser assumes,
// sent in the startup packet so that role and database defaults cannot
// change them, and is refused when reading them back disagrees (see pinned
// in session.go): standard_conforming_strings=on, client_encoding=UTF8,
// default_transaction_read_only=on, and the server's search_path with
// pg_catalog first and pg_temp last. After each query, on the same round
// trip as the ROLLBACK, session advisory locks are released and RESET ALL
// returns every setting to those pinned values; a connection that cannot be
// cleaned is closed instead of pooled.
//
// The package registers itself from init; import it for its side effect.
// It must not import llm or pipeline.
package postgres
