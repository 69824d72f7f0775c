package schema

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/retrieve"
)

// DDLOptions is how a whole schema is shown to a model or an agent. Two
// frequent samples show a column's spelling; the values a question
// mentions are shown beside them (Schema.DDLFor).
var DDLOptions = catalog.DDLOptions{MaxSamples: 2}

// Schema is one source's catalog prepared for questions. It is shared
// between callers and must not be modified.
type Schema struct {
	// Source is the source's configured name.
	Source string
	// Catalog holds only what the policy lets queries read, with the
	// knowledge files' descriptions as comments and a few sample values per
	// text column (none in schema-only privacy mode).
	Catalog *catalog.Catalog
	// Index links questions to Catalog's tables and columns, with the
	// knowledge files' synonyms and descriptions.
	Index *retrieve.Index
	// DDL is the whole Catalog as a prompt shows it; Tokens is its size.
	DDL    string
	Tokens int
	// Literals maps the lower case of one-word sample values to their
	// stored spelling: question templates treat them as literals.
	Literals map[string]string
	// Values indexes the stored values of text columns and the ranges of
	// numeric and temporal columns, for the prompt to show the values a
	// question mentions. It is empty in schema-only privacy mode.
	Values *Values
	// Fingerprint identifies the structure of Catalog (tables, columns,
	// types and keys), so a consumer can tell whether two builds differ.
	Fingerprint string

	// values is Catalog with, for each low-cardinality text column, every
	// distinct value as Samples (see ValueCatalog).
	values *catalog.Catalog

	memoMu sync.Mutex
	memo   map[any]*memoEntry
}

type memoEntry struct {
	once sync.Once
	v    any
}

// ValueCatalog is Catalog where each text column with at most ValueCap
// distinct values has all of them as Samples, most frequent first, so a
// question's words can be matched to stored values. It is read by the
// offline engine only: in schema-only privacy mode it still holds values,
// which never reach a model.
func (s *Schema) ValueCatalog() *catalog.Catalog { return s.values }

// Narrowed is s cut to cat, a narrower view of its catalog (a caller's own
// grant, see package pipeline's access rules). It carries no values beyond
// cat's and no index or DDL, and shares nothing derived from s, so nothing
// the view hides reaches what is built from it.
func (s *Schema) Narrowed(cat *catalog.Catalog) *Schema {
	return &Schema{Source: s.Source, Catalog: cat, values: cat, Fingerprint: fingerprint(cat)}
}

// Match returns the stored values question mentions (Values.Match).
func (s *Schema) Match(question string) Matches { return s.Values.Match(question) }

// DDLFor is DDL with the values m matched shown first on their columns.
func (s *Schema) DDLFor(m Matches) string {
	if len(m) == 0 {
		return s.DDL
	}
	return s.Catalog.DDL(s.ddlOptions(m))
}

// SliceDDLFor renders slice, a part of Catalog (retrieval's Slice), as a
// prompt shows it: with samples, the values m matched and ranges while
// that fits budget tokens, else with only the matches and ranges, else
// bare.
func (s *Schema) SliceDDLFor(slice *catalog.Catalog, m Matches, budget int) string {
	opts := s.ddlOptions(m)
	ddl := slice.DDL(opts)
	if retrieve.EstimateTokens(ddl) <= budget {
		return ddl
	}
	opts.MaxSamples = 0
	if ddl = slice.DDL(opts); retrieve.EstimateTokens(ddl) <= budget {
		return ddl
	}
	return slice.DDL(catalog.DDLOptions{})
}

// ddlOptions shows DDLOptions' samples, the values m matched and the
// ranges Values holds.
func (s *Schema) ddlOptions(m Matches) catalog.DDLOptions {
	opts := DDLOptions
	if s.Values.Len() == 0 && len(s.Values.rangesOrNil()) == 0 {
		return opts
	}
	opts.Values = func(t *catalog.Table, c *catalog.Column) catalog.ColumnValues {
		k := keyOf(t, c)
		var r Range
		if !foreignKey(t, c.Name) {
			r, _ = s.Values.Range(k)
		}
		return catalog.ColumnValues{Matched: m[k], Min: r.Min, Max: r.Max}
	}
	return opts
}

// foreignKey reports whether column name is in one of t's foreign keys:
// its range is its parent key's, shown on the parent's line, and would
// cost tokens on every child table.
func foreignKey(t *catalog.Table, name string) bool {
	for _, fk := range t.ForeignKeys {
		for _, k := range fk.Columns {
			if strings.EqualFold(k, name) {
				return true
			}
		}
	}
	return false
}

// Memo returns the value build computes for key, computing it once per
// Schema. Consumers keep what they derive from a schema (the offline
// engine's lexicon) here, so it is dropped when the schema is rebuilt.
func (s *Schema) Memo(key any, build func() any) any {
	s.memoMu.Lock()
	if s.memo == nil {
		s.memo = map[any]*memoEntry{}
	}
	e, ok := s.memo[key]
	if !ok {
		e = &memoEntry{}
		s.memo[key] = e
	}
	s.memoMu.Unlock()
	e.once.Do(func() { e.v = build() })
	return e.v
}

// fingerprint hashes what queries can be written against: table names,
// kinds, columns with their types, and keys.
func fingerprint(cat *catalog.Catalog) string {
	h := sha256.New()
	for _, t := range cat.Tables {
		fmt.Fprintf(h, "t %q %q %s\n", t.Schema, t.Name, t.Kind)
		for _, c := range t.Columns {
			fmt.Fprintf(h, "c %q %s %q %t\n", c.Name, c.Type, c.DBType, c.Nullable)
		}
		fmt.Fprintf(h, "pk %q\n", t.PrimaryKey)
		for _, fk := range t.ForeignKeys {
			fmt.Fprintf(h, "fk %q %q %q %q\n", fk.Columns, fk.RefSchema, fk.RefTable, fk.RefColumns)
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}
