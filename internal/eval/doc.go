// Package eval measures askdb against public text-to-SQL datasets.
//
// It loads Spider (dev.json, tables.json) and BIRD mini-dev
// (mini_dev_sqlite.json, dev_tables.json and the annotated DDL whose
// comments become catalog comments and whose quoted examples become column
// samples) into catalogs, extracts the gold tables and columns from each
// gold query with a small SQL tokenizer of its own (tables after FROM and
// JOIN, aliases, qualified and bare columns), and scores schema linking:
// table, column and strict recall, and prompt tokens against the full
// schema. `askdb eval linking` prints the report.
//
// eval sits above every other package and may import any of them.
package eval
