// Package offline is askdb's deterministic engine: it translates common
// questions (counts, aggregates, grouping, filters on known values,
// numeric and date comparisons, superlatives, ordering, joins along
// foreign keys, list projections) into SQL with no model at all.
//
// Every content word of a question must be explained by the schema (a
// table, a column or a stored value) or by the engine's small grammar;
// otherwise the engine abstains and says in one sentence what it could not
// map. It must not import package llm.
package offline
