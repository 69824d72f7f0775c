// Package retrieve links a question to the part of a catalog it needs:
// the tables and columns to show a model, within a token budget.
//
// Build indexes a catalog once (with optional synonyms, descriptions and
// an embedder in Extra); Index.Link then ranks tables and columns for a
// question, and Index.SliceDDL renders the chosen slice for a prompt:
//
//	ix := retrieve.Build(cat, retrieve.Extra{Synonyms: syn, Descriptions: desc})
//	link := ix.Link(ctx, question, retrieve.Options{TokenBudget: 2000})
//	ddl := ix.SliceDDL(link)
//
// The index is lexical: BM25 over one document per column and per table
// (words analysed by package text), a value index over the columns'
// sample values, identifier mentions in the question, and foreign-key
// expansion to join the chosen tables. An optional Embedder adds dense
// retrieval fused by reciprocal rank. The index must not change after
// Build and is safe for concurrent Link calls. In askdb the index of a
// source is built once, by package schema.
//
// How it scores, the benchmark figures, the recall measured on Spider and
// BIRD and the history of the choices are in docs/retrieve.md.
//
// retrieve imports catalog only: never source drivers or llm providers.
package retrieve
