// Package knowledge is askdb's semantic layer: what the database schema
// does not say, written by people who know the business, in YAML files
// listed under a source's knowledge: key in askdb.yaml.
//
// A file holds descriptions and synonyms of tables and columns, business
// domains with their aliases, a metrics dictionary (the same metric name may
// be defined differently in two domains) and verified question→SQL
// examples. Load decodes files strictly, so an unknown key is an error
// that names the file and line; Check validates the content against a live
// catalog and runs every SQL fragment through a caller-supplied verifier
// (the guard and the engine's EXPLAIN).
//
// Matching of domains and metrics in a question is by whole word or
// phrase, case-insensitive, with hyphens, underscores and spaces treated
// alike: the alias "rp" matches "rp backlog" but never "corporate".
//
// Package knowledge must not import llm.
package knowledge
