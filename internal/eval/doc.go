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
// EvaluatePrompts (`askdb eval prompt`) builds each question's exact SQL
// prompt with pipeline.SQLPromptFor and scores what it holds against the
// gold query as the SQL guard's parser reads it (sqlguard.References):
// gold tables, columns and compared constants shown, whether the most
// similar verified example is shown, and prompt tokens.
//
// eval sits above every other package and may import any of them.
package eval
