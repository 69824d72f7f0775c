package pipeline

import (
	"context"

	"github.com/askdb/askdb/internal/enrich"
	"github.com/askdb/askdb/internal/llm"
	"github.com/askdb/askdb/internal/schema"
)

// SmallSchemaTokens is the size up to which the whole schema goes into the
// prompt; larger schemas are cut to the question's slice by retrieval.
const SmallSchemaTokens = 3000

// NewSchemaCache returns the cache of prepared schemas (package schema)
// that a pipeline with opts reads: its sources, knowledge, privacy mode,
// embeddings and the enrichment snapshots in its store. Build it once and
// pass it as Options.Schemas to share it with MCP and the HTTP API.
func NewSchemaCache(opts Options) *schema.Cache {
	so := schema.Options{
		Sources:    opts.Sources,
		Knowledge:  opts.Knowledge,
		SchemaOnly: opts.Privacy == PrivacySchemaOnly,
		Logger:     opts.Logger,
	}
	if opts.Embedder != nil {
		so.Embedder = embedder{opts.Embedder}
	}
	if opts.Store != nil {
		so.Snapshots = enrich.Snapshots(opts.Store)
	}
	return schema.NewCache(so)
}

// Schemas returns the pipeline's cache of prepared schemas.
func (p *Pipeline) Schemas() *schema.Cache { return p.schemas }

// Schema returns the prepared schema of the named source ("" is the
// default), as the prompt and the offline engine see it.
func (p *Pipeline) Schema(ctx context.Context, name string) (*schema.Schema, error) {
	return p.schemas.Get(ctx, name)
}

// embedder adapts a model's embeddings to retrieval, which keeps no
// token accounting.
type embedder struct{ m llm.Embedder }

func (e embedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	vecs, _, err := e.m.Embed(ctx, texts)
	return vecs, err
}
