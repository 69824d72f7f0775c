package sqlite

import (
	"strings"

	sqlite3 "github.com/mattn/go-sqlite3"
)

// sqliteRecursive is SQLITE_RECURSIVE, which mattn/go-sqlite3 leaves out.
const sqliteRecursive = 33

// introspectionPragmas only read the schema, whatever their argument.
var introspectionPragmas = map[string]bool{
	"table_info": true, "table_xinfo": true, "table_list": true, "foreign_key_list": true,
	"index_list": true, "index_info": true, "index_xinfo": true, "database_list": true,
	"collation_list": true,
}

// statusPragmas read a setting when called without an argument; with one
// they would change it.
var statusPragmas = map[string]bool{
	"query_only": true, "user_version": true, "schema_version": true, "page_count": true,
	"page_size": true, "encoding": true, "foreign_keys": true, "journal_mode": true,
	"application_id": true, "freelist_count": true, "data_version": true,
}

// deniedFunctions reach outside the database or change the engine.
var deniedFunctions = map[string]bool{
	"load_extension": true, "readfile": true, "writefile": true, "edit": true, "fts3_tokenizer": true,
	"sqlite_dbpage": true, "zipfile": true, "sqlar_compress": true, "sqlar_uncompress": true,
	"shell_add_schema": true, "sqlite3_fileio": true,
}

// authorize is SQLite's authorizer callback: a second, engine-level layer
// behind sqlguard. It runs at prepare time and allows only reading: SELECT,
// reading columns, safe functions, recursive CTEs, transactions and the
// PRAGMAs introspection needs. Everything else (INSERT, UPDATE, DELETE,
// DDL, ATTACH, PRAGMA writes) is denied, which fails the statement with
// "not authorized".
func authorize(op int, arg1, arg2, _ string) int {
	switch op {
	case sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqliteRecursive,
		sqlite3.SQLITE_TRANSACTION, sqlite3.SQLITE_SAVEPOINT:
		return sqlite3.SQLITE_OK
	case sqlite3.SQLITE_FUNCTION:
		if deniedFunctions[strings.ToLower(arg2)] {
			return sqlite3.SQLITE_DENY
		}
		return sqlite3.SQLITE_OK
	case sqlite3.SQLITE_PRAGMA:
		name := strings.ToLower(arg1)
		if introspectionPragmas[name] || (statusPragmas[name] && arg2 == "") {
			return sqlite3.SQLITE_OK
		}
	}
	return sqlite3.SQLITE_DENY
}
