package pipeline

import (
	"context"
	"fmt"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/retrieve"
	"github.com/askdb/askdb/internal/source"
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
)

// schemaInfo is what the pipeline keeps per source: the catalog, its
// retrieval index, and the size of the whole schema in prompt tokens.
type schemaInfo struct {
	cat        *catalog.Catalog
	index      *retrieve.Index
	fullDDL    string
	fullTokens int
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
	p.addSamples(ctx, src, cat)
	info = &schemaInfo{cat: cat, index: retrieve.Build(cat, retrieve.Extra{}), fullDDL: cat.DDL(ddlOptions)}
	info.fullTokens = retrieve.EstimateTokens(info.fullDDL)
	p.mu.Lock()
	p.catalogs[src.Name()] = info
	p.mu.Unlock()
	return info, nil
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
			q := fmt.Sprintf("SELECT DISTINCT %s FROM %s WHERE %s IS NOT NULL LIMIT %d", col, catalog.QuoteTable(d, t), col, samplesPerColumn)
			res, err := src.Query(ctx, q, source.Limits{MaxRows: samplesPerColumn})
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
