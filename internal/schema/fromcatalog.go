package schema

import (
	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/retrieve"
)

// FromCatalog prepares cat as it stands, already visible and sampled, as
// the Schema of source name: index, DDL, literals and fingerprint. Its
// values index holds cat's samples (ValuesOf). Its ValueCatalog is cat.
func FromCatalog(name string, cat *catalog.Catalog, extra retrieve.Extra) *Schema {
	return FromCatalogWith(name, cat, extra, ValuesOf(cat))
}

// FromCatalogWith is FromCatalog with vals as the values index (nil for
// none): the cache builds every live schema through it; evaluations call
// it on a dataset's catalogs, which no source serves, with ReadValues.
func FromCatalogWith(name string, cat *catalog.Catalog, extra retrieve.Extra, vals *Values) *Schema {
	s := &Schema{Source: name, Catalog: cat, Index: retrieve.Build(cat, extra), Values: vals,
		Literals: literals(cat), Fingerprint: fingerprint(cat), values: cat}
	s.DDL = cat.DDL(s.ddlOptions(nil))
	s.Tokens = retrieve.EstimateTokens(s.DDL)
	return s
}
