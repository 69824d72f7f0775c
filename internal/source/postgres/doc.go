// Package postgres is the "postgres" source kind: PostgreSQL and engines
// that speak its protocol (Aurora PostgreSQL, most of Redshift). It connects
// with pgx through database/sql, so rows go through source.ReadRows like every
// other kind, introspects all user schemas (or the configured ones) with a
// handful of bulk catalog queries, and runs each query in a READ ONLY
// transaction with SET LOCAL statement_timeout. Context cancellation sends
// the server a cancel request, so an abandoned query stops on the server too.
//
// The package registers itself from init; import it for its side effect.
// It must not import llm or pipeline.
package postgres
