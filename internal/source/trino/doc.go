// Package trino is the trino source kind: a Trino (or Starburst) cluster
// reached over its REST statement protocol with trinodb/trino-go-client.
//
// The DSN is the client's own: https://user@host:8443?catalog=C&schema=S,
// or https://user@host:8443/C/S. The catalog is required: askdb introspects
// its information_schema. Every query runs in a START TRANSACTION READ ONLY
// transaction with the session property query_max_run_time set to the
// source's query_timeout; cancelling the context makes the client DELETE
// the query on the coordinator. A read-only Trino user (file-based system
// access control) is the recommended second layer; docs/warehouses-trino.md
// says how.
//
// It imports source, sqlbase, config and secret, never pipeline or llm.
package trino
