package schema

import (
	"sort"
	"strings"

	"github.com/askdb/askdb/internal/catalog"
)

// ColumnKey names a column of a catalog, both names in lower case.
type ColumnKey struct{ Table, Column string }

func keyOf(t *catalog.Table, c *catalog.Column) ColumnKey {
	return ColumnKey{strings.ToLower(t.QualifiedName()), strings.ToLower(c.Name)}
}

// Range is the smallest and largest value of a numeric or temporal
// column, as the engine prints them.
type Range struct{ Min, Max string }

// Values indexes the distinct values of text columns, so that a question
// can be shown the stored values it mentions (CHESS's value retrieval),
// and holds the ranges of numeric and temporal columns. It is built once
// per schema, within the bounds of samples.go, and is read-only after.
type Values struct {
	values []indexedValue
	// byWord maps a normalised word to the values holding it.
	byWord map[string][]int32
	// vocab is byWord's words, sorted, for prefix matching.
	vocab []string
	// byGram maps a trigram to the vocab words holding it (fuzzy matching);
	// grams counts each vocab word's trigrams.
	byGram map[string][]int32
	grams  []int
	ranges map[ColumnKey]Range
	cols   []ColumnKey
}

type indexedValue struct {
	col   int32
	text  string
	norm  string
	words []string // the normalised words that are not stop words
}

// valuesBuilder collects values, bounded per column and in total.
type valuesBuilder struct {
	v     *Values
	total int
	cols  map[ColumnKey]int32
	seen  map[ColumnKey]map[string]bool
}

func newValuesBuilder() *valuesBuilder {
	return &valuesBuilder{v: &Values{byWord: map[string][]int32{}, ranges: map[ColumnKey]Range{}},
		cols: map[ColumnKey]int32{}, seen: map[ColumnKey]map[string]bool{}}
}

// add indexes vals as values of column k, up to ValuesPerColumn per column
// and ValuesTotal in all; it reports whether there is room for more.
func (b *valuesBuilder) add(k ColumnKey, vals []string) bool {
	ci, ok := b.cols[k]
	if !ok {
		ci = int32(len(b.v.cols))
		b.cols[k] = ci
		b.v.cols = append(b.v.cols, k)
		b.seen[k] = map[string]bool{}
	}
	seen := b.seen[k]
	for _, s := range vals {
		if b.total >= ValuesTotal {
			return false
		}
		if seen[s] || len(seen) >= ValuesPerColumn || s == "" || len(s) > maxValueLen {
			continue
		}
		seen[s] = true
		b.total++
		norm := normalizeValue(s)
		iv := indexedValue{col: ci, text: s, norm: norm}
		for _, w := range strings.Fields(norm) {
			if !stopWords[w] && !slicesContain(iv.words, w) {
				iv.words = append(iv.words, w)
			}
		}
		id := int32(len(b.v.values))
		b.v.values = append(b.v.values, iv)
		for _, w := range iv.words {
			b.v.byWord[w] = append(b.v.byWord[w], id)
		}
	}
	return true
}

func (b *valuesBuilder) addRange(k ColumnKey, r Range) {
	if r.Min != "" || r.Max != "" {
		b.v.ranges[k] = r
	}
}

// addSamples indexes the samples of cat's text columns.
func (b *valuesBuilder) addSamples(cat *catalog.Catalog) {
	for ti := range cat.Tables {
		t := &cat.Tables[ti]
		for ci := range t.Columns {
			if c := &t.Columns[ci]; c.Type == catalog.TypeText && len(c.Samples) > 0 {
				b.add(keyOf(t, c), c.Samples)
			}
		}
	}
}

func (b *valuesBuilder) build() *Values {
	v := b.v
	v.vocab = make([]string, 0, len(v.byWord))
	for w := range v.byWord {
		v.vocab = append(v.vocab, w)
	}
	sort.Strings(v.vocab)
	v.byGram = map[string][]int32{}
	v.grams = make([]int, len(v.vocab))
	for i, w := range v.vocab {
		gs := trigrams(w)
		v.grams[i] = len(gs)
		for _, g := range gs {
			v.byGram[g] = append(v.byGram[g], int32(i))
		}
	}
	return v
}

// ValuesOf indexes the samples of cat's text columns: the values index of
// a catalog whose data cannot be read.
func ValuesOf(cat *catalog.Catalog) *Values {
	b := newValuesBuilder()
	b.addSamples(cat)
	return b.build()
}

// Len is the number of indexed values.
func (v *Values) Len() int {
	if v == nil {
		return 0
	}
	return len(v.values)
}

// Range returns the range of a numeric or temporal column.
func (v *Values) Range(k ColumnKey) (Range, bool) {
	if v == nil {
		return Range{}, false
	}
	r, ok := v.ranges[k]
	return r, ok
}

func slicesContain(s []string, w string) bool {
	for _, x := range s {
		if x == w {
			return true
		}
	}
	return false
}

func (v *Values) rangesOrNil() map[ColumnKey]Range {
	if v == nil {
		return nil
	}
	return v.ranges
}
