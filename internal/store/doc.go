// Package store keeps what askdb remembers between questions: the audit log
// of every answer, users' feedback on answers, the question bank of verified
// question→SQL pairs and enriched catalog snapshots.
//
// Two backends share one implementation over database/sql: an embedded
// SQLite file (the default, under the user's data directory) and PostgreSQL
// (so several askdb instances behind a load balancer, or Lambda, share one
// store). Each backend's DDL lives in its own file as a list of versioned
// migrations recorded in the schema_migrations table.
//
// Package store must not import pipeline: the pipeline depends on it.
package store
