// Package athenatest is a local fake of Amazon Athena's JSON protocol
// (StartQueryExecution, GetQueryExecution, GetQueryResults,
// StopQueryExecution, GetWorkGroup) for tests that drive the real
// aws-sdk-go-v2 client. It runs each query's SQL on a SQLite database the
// test hands it, and enforces what Athena would: a SigV4 Authorization
// header, an X-Amz-Target, a ClientRequestToken, an output location from
// the request or the workgroup, the workgroup's BytesScannedCutoffPerQuery,
// results only once a query has SUCCEEDED, a header row first in a
// SELECT's results, NextToken paging, and, for a read-only role, a
// failed query for every statement that writes. What it does per
// workgroup and per table is read from a testdata file (Config). It is
// imported by tests only.
package athenatest
