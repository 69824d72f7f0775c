// Package offline is askdb's deterministic engine: it translates common
// questions (counts, aggregates, grouping, filters on known values,
// numeric and date comparisons, superlatives, ordering, joins along
// foreign keys, list projections) into SQL with no model at all, and says
// in one sentence, in the user's own words, when it cannot.
//
// Every content word of a question must be explained by the schema (a
// table, a column or a stored value) or by the engine's small English
// grammar; otherwise the engine abstains. No rule names a dataset,
// database, table or column. Each answer carries a confidence in [0, 1]
// computed from features of the match (joins, tables joined but unused,
// SELECT *, DISTINCT over a join, grouping, ordering, the length of the
// question, and the weakest inference it needed), weighted by how often
// answers with each feature were right on spider-train; see confidence.go.
// The pipeline answers offline only at or above a measured threshold
// (pipeline.DefaultOfflineMinConfidence).
//
// The pipeline hands it the prepared schema of package schema (catalog,
// bounded values, the lexicon memoised per build); the engine never
// queries a source itself:
//
//	eng := offline.New()
//	res := eng.TranslateSchema(ctx, sch, "How many orders per customer country?", time.Now())
//	if res.SQL == "" {
//		fmt.Println(res.Abstain)
//	}
//
// The grammar it reads, how confidence is measured, and its figures on
// Spider are in docs/offline.md. It must not import package llm.
package offline
