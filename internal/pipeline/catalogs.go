package pipeline

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/enrich"
	"github.com/askdb/askdb/internal/llm"
	"github.com/askdb/askdb/internal/retrieve"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/sqlguard"
	"github.com/askdb/askdb/internal/store"
)

// ddlOptions is how schemas are shown to the model.
var ddlOptions = catalog.DDLOptions{MaxSamples: 3}

// SmallSchemaTokens is the size up to which the whole schema goes into the
// prompt; larger schemas are cut to the question's slice by retrieval.
const SmallSchemaTokens = 3000

// Sample values are read only for small catalogs; larger ones rely on the
// enrichment snapshot (askdb enrich) instead.
const (
	sampleMaxTables  = 60
	sampleMaxColumns = 400
	samplesPerColumn = 3
	// frequentValues are read, by frequency, from tables of at most
	// frequentMaxRows rows; larger tables rely on askdb enrich.
	frequentValues  = 20
	frequentMaxRows = 200_000
)

// schemaInfo is what the pipeline keeps per source: the catalog, its
// retrieval index, and the size of the whole schema in prompt tokens.
type schemaInfo struct {
	cat        *catalog.Catalog
	index      *retrieve.Index
	fullDDL    string
	fullTokens int
	// values are the one-word sample values, by lower case, that question
	// bank templates treat as literals.
	values map[string]string
}

// schema returns the source's catalog and index, introspected and built
// once and cached with a few sample values per text column.
func (p *Pipeline) schema(ctx context.Context, src source.Source) (*schemaInfo, error) {
	p.mu.Lock()
	info, ok := p.catalogs[src.Name()]
	p.mu.Unlock()
	if ok {
		return info, nil
	}
	cat, err := src.Introspect(ctx)
	if err != nil {
		return nil, err
	}
	// Everything below (samples, prompts, retrieval, the offline engine)
	// sees only what the policy lets queries read.
	cat = sqlguard.Visible(cat, p.opts.Sources.Config(src.Name()).Policy)
	enriched := p.applySnapshot(ctx, cat)
	switch {
	case p.opts.Privacy == PrivacySchemaOnly:
		// No value from the data goes to a model, samples included.
		clearSamples(cat)
	case !enriched:
		p.addSamples(ctx, src, cat)
	}
	extra := retrieve.Extra{}
	if p.opts.Embedder != nil {
		extra.Embedder = embedder{p.opts.Embedder}
	}
	if k := p.opts.Knowledge[src.Name()]; k != nil {
		applyDescriptions(cat, k.Descriptions())
		extra.Synonyms, extra.Descriptions = k.Synonyms(), k.Descriptions()
	}
	info = &schemaInfo{cat: cat, index: retrieve.Build(cat, extra), fullDDL: cat.DDL(ddlOptions)}
	info.fullTokens = retrieve.EstimateTokens(info.fullDDL)
	info.values = sampleValues(cat)
	p.mu.Lock()
	p.catalogs[src.Name()] = info
	p.mu.Unlock()
	return info, nil
}

// applySnapshot copies row counts and frequent values from the source's
// enrichment snapshot (askdb enrich) onto the live catalog, column by
// column, so a schema change since the snapshot costs only the changed
// columns. It reports whether a snapshot was found.
func (p *Pipeline) applySnapshot(ctx context.Context, cat *catalog.Catalog) bool {
	if p.opts.Store == nil {
		return false
	}
	snap, err := enrich.Load(ctx, p.opts.Store, cat.Source)
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			p.opts.Logger.Warn("enrichment snapshot unusable", "source", cat.Source, "err", err)
		}
		return false
	}
	for ti := range cat.Tables {
		t := &cat.Tables[ti]
		old, ok := snap.Catalog.Table(t.QualifiedName())
		if !ok {
			continue
		}
		if old.RowCount >= 0 {
			t.RowCount = old.RowCount
		}
		for ci := range t.Columns {
			if oc, ok := old.Column(t.Columns[ci].Name); ok && len(oc.Samples) > 0 {
				t.Columns[ci].Samples = oc.Samples
			}
		}
	}
	return true
}

// applyDescriptions sets table and column comments from the knowledge
// files ("table" and "table.column" keys), so the prompt and retrieval see
// the business descriptions. They replace the database's own comments:
// the files are written for askdb, and are easier to keep current.
func applyDescriptions(cat *catalog.Catalog, desc map[string]string) {
	lower := make(map[string]string, len(desc))
	for k, v := range desc {
		lower[strings.ToLower(k)] = v
	}
	desc = lower
	for ti := range cat.Tables {
		t := &cat.Tables[ti]
		if d := lookupDesc(desc, t.Name, t.QualifiedName()); d != "" {
			t.Comment = d
		}
		for ci := range t.Columns {
			c := &t.Columns[ci]
			if d := lookupDesc(desc, t.Name+"."+c.Name, t.QualifiedName()+"."+c.Name); d != "" {
				c.Comment = d
			}
		}
	}
}

func lookupDesc(desc map[string]string, keys ...string) string {
	for _, k := range keys {
		if d, ok := desc[strings.ToLower(k)]; ok {
			return d
		}
	}
	return ""
}

// addSamples fills Column.Samples for text columns through the source's
// read-only path. Failures are logged and ignored: samples only help.
func (p *Pipeline) addSamples(ctx context.Context, src source.Source, cat *catalog.Catalog) {
	if len(cat.Tables) > sampleMaxTables {
		return
	}
	budget := sampleMaxColumns
	d := src.Dialect()
	for ti := range cat.Tables {
		t := &cat.Tables[ti]
		for ci := range t.Columns {
			c := &t.Columns[ci]
			if c.Type != catalog.TypeText || len(c.Samples) > 0 || budget == 0 {
				continue
			}
			budget--
			col := catalog.QuoteIdent(d, c.Name)
			n := samplesPerColumn
			q := fmt.Sprintf("SELECT DISTINCT %s FROM %s WHERE %s IS NOT NULL LIMIT %d", col, catalog.QuoteTable(d, t), col, n)
			if t.RowCount >= 0 && t.RowCount <= frequentMaxRows {
				// A small table affords a GROUP BY: the most frequent values are
				// the best examples, and the question bank matches them as values.
				n = frequentValues
				q = fmt.Sprintf("SELECT %s FROM %s WHERE %s IS NOT NULL GROUP BY %s ORDER BY count(*) DESC, %s LIMIT %d", col, catalog.QuoteTable(d, t), col, col, col, n)
			}
			res, err := src.Query(ctx, q, source.Limits{MaxRows: n})
			if err != nil {
				p.opts.Logger.Debug("sample values", "source", src.Name(), "table", t.Name, "column", c.Name, "err", err)
				continue
			}
			for _, row := range res.Rows {
				if s, ok := row[0].(string); ok && len(s) <= 60 {
					c.Samples = append(c.Samples, s)
				}
			}
		}
	}
}

func clearSamples(cat *catalog.Catalog) {
	for ti := range cat.Tables {
		for ci := range cat.Tables[ti].Columns {
			cat.Tables[ti].Columns[ci].Samples = nil
		}
	}
}

// embedder adapts a model's embeddings to retrieval, which keeps no
// token accounting.
type embedder struct{ m llm.Embedder }

func (e embedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	vecs, _, err := e.m.Embed(ctx, texts)
	return vecs, err
}

// sampleValues collects one-word text values from the catalog's samples.
// Numbers are left out: they are literals anyway.
func sampleValues(cat *catalog.Catalog) map[string]string {
	out := map[string]string{}
	for _, t := range cat.Tables {
		for _, c := range t.Columns {
			if c.Type != catalog.TypeText {
				continue
			}
			for _, v := range c.Samples {
				if v != "" && !strings.ContainsAny(v, " \t'\"") && !unicode.IsDigit(rune(v[0])) {
					out[strings.ToLower(v)] = v
				}
			}
		}
	}
	return out
}
