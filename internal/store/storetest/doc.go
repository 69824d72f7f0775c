// Package storetest is the one test suite every store backend must pass.
// The SQLite backend runs it in t.TempDir() and the PostgreSQL backend in
// a fresh database from dbtest.Postgres.
package storetest
