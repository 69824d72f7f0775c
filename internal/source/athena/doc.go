// Package athena is the "athena" source kind: Amazon Athena (engine
// version 3, Trino's SQL dialect) through aws-sdk-go-v2's service/athena,
// with its catalog read from the AWS Glue Data Catalog (package glue).
//
// A query is StartQueryExecution in the source's workgroup, data catalog
// and database, then GetQueryExecution polled with a doubling back-off
// until it ends, then GetQueryResults page by page (the header row of a
// SELECT dropped, values typed from ResultSetMetadata) until the row or
// byte limit. When the caller's context ends or the time limit passes,
// StopQueryExecution stops the query in Athena, so it stops costing.
//
// Athena has no read-only transaction. The read-only layers are the
// source's own statement check (readonly.go: only SELECT, WITH, VALUES,
// TABLE, SHOW, DESCRIBE and EXPLAIN are sent) under sqlguard, and the IAM
// role docs/warehouses-athena.md describes; a write Athena refuses for
// lack of permission is source.ErrReadOnly too.
//
// The cost guard max_scanned_bytes (limits.go) is checked against each
// query's DataScannedInBytes, which is also reported in Result.Note. Only
// the workgroup's BytesScannedCutoffPerQuery stops a query while it runs;
// Open reads the workgroup and logs whether it enforces such a cutoff.
//
// The package registers itself from init; import it for its side effect.
// It must not import llm or pipeline.
package athena
