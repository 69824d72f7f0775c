// Package retrieve links a question to the part of a catalog it needs:
// the tables and columns to show a model, within a token budget.
//
// Build indexes a catalog once; Index.Link then answers in milliseconds:
//
//   - A hand-written BM25 index (k1 1.2, b 0.75) over one document per
//     column (name ×3, synonyms ×2, catalog comment and descriptions ×1) and
//     one per table. Identifiers are split at snake_case and camelCase
//     boundaries, lower-cased, plural-folded and lightly stemmed; a
//     multi-word identifier also yields its joined form, so "CustomerID"
//     in a question matches customer_id exactly.
//   - A value index over catalog.Column.Samples: a question phrase of up to
//     five words that spells a stored value pulls in its column ("orders
//     shipped to Germany" → customers.country). Rare values weigh more.
//   - Identifier mentions: a question (or a BIRD evidence hint) that
//     spells a column as an identifier — table.column, T1.column, a
//     backticked or quoted name, snake_case or camelCase, or a word next to
//     a comparison (status = 'Banned') — adds 12 to that column (shared
//     among the columns of that name), and table.column adds 20 and forces
//     its table in. Adjacent question words are also tried joined
//     ("high schoolers" → Highschooler).
//   - A table's score is its own BM25 plus its best three columns (weights
//     1, ½, ¼); a foreign-key column counts half, since its words name the
//     table it refers to. Tables reaching 20% of the best score are chosen,
//     up to Options.MaxTables, then every table named with certainty; then
//     tables not yet joinable to the ones before them are joined by the
//     shortest foreign-key path (≤ 3 hops), adding bridge tables, and the
//     junction table of a many-to-many between two chosen tables is added
//     (attendance between member and event).
//   - Columns: of each chosen table, the named columns, then its 10 best
//     (3 for tables under half the best table's score and for bridges)
//     reaching 5% of the best column; for strong tables also the best date
//     or year column when the question holds a year or date, and the column
//     naming a row (name, title, or the table's own name); then the primary
//     key, the foreign-key columns joining another chosen table, and
//     implicit join columns where no foreign key is declared (the same
//     key-like name on both sides, or cards.setCode → sets.code).
//   - Index.SliceDDL renders the chosen tables pruned to those columns,
//     with only the foreign keys between chosen tables, key columns without
//     their comments and tables without theirs (BIRD's table comments cost
//     15% of its schema; the column descriptions are what pick a column).
//     Tables are kept in order while this pruned DDL fits
//     Options.TokenBudget, so a wide table (BIRD's Match, 115 columns) no
//     longer falls out whole.
//   - An optional Embedder (Extra.Embedder) adds dense retrieval over table
//     texts, fused with the lexical ranking by reciprocal-rank fusion
//     (k = 60). Embedding errors fall back to the lexical ranking.
//
// Why no library: bleve was considered; it is not in the module cache, and
// its index of 150,000 column documents takes far more memory and build
// time than the few hundred lines here, while the scoring we need (field
// weights, a value index, per-table aggregation) would sit on top of it
// anyway.
//
// Numbers (BenchmarkLink10kTables, 10,000 tables, 150,000 columns, on a
// shared 2-core machine at load average 6–8): build 2.3–3.1 s, heap in use after
// build 68–71 MB (index 40 MB), Link p50 13–21 ms, 2.0 MB and 11,500 allocations
// per call. The p50 is inflated by the machine's load (other builds ran at
// the same time); most of it is summing scores over the ~10⁵ columns the
// benchmark's small shared vocabulary touches.
//
// Schema-linking recall, no model call, budget 2000, measured on the
// pruned slice (SliceDDL) that a prompt gets, then on whole tables:
//
//	BIRD mini-dev (500):      table 0.981, strict 0.894 @ ratio 0.310; whole tables strict 0.956 @ 0.709
//	Spider dev (678):         table 0.973, strict 0.820 @ ratio 0.491; whole tables strict 0.951 @ 0.691
//	Spider dev with samples:  table 0.992, strict 0.894 @ ratio 0.500; whole tables strict 0.984 @ 0.700
//
// "With samples" loads up to 50 most frequent values of every text column
// with at most 500 distinct values from Spider's SQLite files
// (eval.LoadSpiderWith, LoadOptions{Samples: 50}), as askdb's catalog
// sampler gives a live database. Before this version: BIRD table 0.947,
// strict 0.856 @ 0.491; Spider table 0.971, strict 0.780 @ 0.558.
// Reproduce with
//
//	go run ./cmd/askdb eval linking --dataset bird --json
//	ASKDB_EVAL_ALL=1 go test ./internal/eval/ -run LinkingRecall -v
//
// (the test also runs Spider with samples). The BIRD gold tables alone,
// pruned to their gold columns, cost 0.14 of the schema: the remaining gap
// is extra tables (precision 0.61) and columns kept for recall.
//
// retrieve imports catalog only: never source drivers or llm providers.
package retrieve
