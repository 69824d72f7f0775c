// Package config loads askdb.yaml: it expands ${VAR} and ${VAR:default}
// references from the environment, decodes strictly (an unknown key is an
// error naming the key and its line) and fills in defaults.
//
// Each source is bounded by query_timeout (default 30s), max_rows (1000)
// and max_bytes (16 MiB): max_bytes caps the rows read, and no single value
// may exceed it. In-process engines also cap their own memory with
// max_memory (default 512 MiB or 8 × max_bytes, whichever is larger):
// SQLite refuses to build a string or BLOB over max_bytes, and its heap is
// capped at the largest max_memory of the sqlite sources (a process-wide
// limit that the store's SQLite shares); DuckDB gets max_memory as its
// memory_limit, shared by the source's queries, and nothing spills to disk.
//
// config imports nothing from askdb; every other package may import it.
package config
