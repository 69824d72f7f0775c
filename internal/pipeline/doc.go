// Package pipeline is the way a question travels through askdb:
//
//	input checks → route → retrieve → generate → guard → verify → execute → summary
//
// Generation is done by a model (package llm). Every SQL text, from a model
// or anywhere else, goes through sqlguard, then the source's EXPLAIN, then
// a read-only execution with limits. A guard refusal or an EXPLAIN error is
// sent back to the model, which may repair its query up to RepairAttempts
// times. Every step is recorded as a trace.Step and the whole outcome is
// one JSON-serialisable Answer.
//
// pipeline sees sources and models only through interfaces, so tests wire a
// real SQLite source to a real SDK client talking to a scripted server.
// It must not import server or cli.
package pipeline
