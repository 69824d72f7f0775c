// Package schema owns the catalog as askdb sees it: a source's tables and
// columns after the policy has hidden what queries may not read, with the
// enrichment snapshot's row counts and values, the knowledge files'
// descriptions, a bounded set of sample values, the retrieval index (with
// synonyms) and the DDL a prompt shows.
//
// Every reader of a live schema (the pipeline, the offline engine, the MCP
// server, the HTTP API, askdb schema and askdb enrich) goes through this
// package, so that policy visibility is applied in one place and cannot be
// forgotten, and sampling is bounded in one place.
//
//	cache := schema.NewCache(schema.Options{Sources: set, Knowledge: k, Snapshots: snaps})
//	s, err := cache.Get(ctx, "sales")   // built once per source, then cached
//	link := s.Index.Link(ctx, question, retrieve.Options{})
//
// A Cache is safe for concurrent use: the first Get of a source builds it
// once however many callers wait (singleflight), and later ones share the
// result until the source's enrichment snapshot changes or Invalidate is
// called. A Schema must be treated as read-only.
//
// Package schema must not import llm, pipeline or the source drivers.
package schema
