package schema

import (
	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/retrieve"
)

// FromCatalog prepares cat as it stands, already visible and sampled, as
// the Schema of source name: index, DDL, literals and fingerprint. The
// cache builds every live schema through it; evaluations call it on a
// dataset's catalogs, which no source serves. Its ValueCatalog is cat.
func FromCatalog(name string, cat *catalog.Catalog, extra retrieve.Extra) *Schema {
	s := &Schema{Source: name, Catalog: cat, Index: retrieve.Build(cat, extra), DDL: cat.DDL(DDLOptions),
		Literals: literals(cat), Fingerprint: fingerprint(cat), values: cat}
	s.Tokens = retrieve.EstimateTokens(s.DDL)
	return s
}
