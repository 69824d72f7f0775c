// Package catalog models a database as askdb sees it: tables and views,
// columns with database and normalised types, keys, comments and row
// counts. It also renders a slice of a catalog as DDL for a prompt.
//
// catalog imports nothing from askdb: sources produce catalogs, and every
// later stage (guard, retrieval, prompt building) consumes them.
package catalog
