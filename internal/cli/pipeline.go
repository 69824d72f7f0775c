package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/askdb/askdb/internal/offline"

	"github.com/askdb/askdb/internal/knowledge"
	"github.com/askdb/askdb/internal/llm"
	"github.com/askdb/askdb/internal/pipeline"
	"github.com/askdb/askdb/internal/store"
)

// newPipeline builds the question pipeline every interface shares (ask,
// serve, mcp, lambda): models from --model, $ASKDB_MODEL or askdb.yaml, each
// source's knowledge files, the store (audit log and question bank), and
// the offline engine. st may be nil: the pipeline then keeps no audit log.
func (a *app) newPipeline(ctx context.Context, modelFlag string, st store.Store) (*pipeline.Pipeline, error) {
	sqlModel, fast, err := a.models(ctx, modelFlag)
	if err != nil {
		return nil, err
	}
	opts := pipeline.OptionsFromConfig(a.cfg)
	opts.Sources, opts.SQLModel, opts.FastModel, opts.Logger = a.sources, sqlModel, fast, a.logger
	if a.cfg.Server.MaxQuestionLength > 0 {
		opts.MaxQuestionRunes = a.cfg.Server.MaxQuestionLength
	}
	opts.Knowledge = map[string]*knowledge.Knowledge{}
	for _, name := range a.cfg.SourceNames() {
		k, _, err := a.knowledge(name)
		if err != nil {
			return nil, err
		}
		if !k.Empty() {
			opts.Knowledge[name] = k
		}
	}
	if st != nil {
		opts.Store = st
	}
	opts.Offline = offline.New()
	if name := a.cfg.Ask.EmbedModel; name != "" {
		cfg, ok := a.cfg.Models[name]
		if !ok {
			return nil, fmt.Errorf("ask.embed_model %q is not one of the models (%s)", name, strings.Join(a.modelNames(), ", "))
		}
		m, err := llm.Open(ctx, name, cfg, llm.Options{Logger: a.logger})
		if err != nil {
			return nil, err
		}
		e, ok := m.(llm.Embedder)
		if !ok {
			return nil, fmt.Errorf("ask.embed_model %q: the %s provider has no embeddings (use bedrock with amazon.titan-embed-text-v2:0 or an OpenAI-compatible server)", name, cfg.Kind)
		}
		opts.Embedder = e
	}
	return pipeline.New(opts), nil
}

// optionalStore opens the store for commands that work without one: a
// store that cannot be opened (a read-only home directory, say) costs the
// audit log and the promoted question bank, and is reported, not fatal.
func (a *app) optionalStore(ctx context.Context) store.Store {
	st, err := a.openStore(ctx)
	if err != nil {
		a.logger.Warn("running without a store: no audit log or promoted answers", "err", err)
		return nil
	}
	return st
}
