package duckdb

// Kind is the source kind this package registers.
const Kind = "duckdb"
