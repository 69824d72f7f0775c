// Package mcpserver exposes askdb's abilities as Model Context Protocol
// tools and resources with the official Go SDK: list_sources,
// describe_schema, generate_sql, execute_sql and ask, plus the schema of
// each source and the metrics dictionary as resources. It serves over
// stdio (RunStdio) and streamable HTTP (Handler).
//
// A refusal or a mistake a model can correct (a query the guard refuses,
// an unknown table or source) is a tool result with isError set and a
// message that says what to do; only server faults are protocol errors.
//
// mcpserver must not import server or cli.
package mcpserver
