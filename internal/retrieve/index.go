package retrieve

import (
	"math"
	"strings"
	"sync"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/text"
)

// Extra is knowledge about a catalog that does not come from the database:
// synonyms and descriptions from the semantic layer.
type Extra struct {
	// Synonyms maps "table" or "table.column" (names as in the catalog,
	// compared case-insensitively; a table may be schema-qualified) to words
	// a user may say for it.
	Synonyms map[string][]string
	// Descriptions maps "table" or "table.column" to a description that
	// adds to (not replaces) the catalog comment.
	Descriptions map[string]string
	// Embedder, when set, adds dense retrieval fused with the lexical
	// ranking by reciprocal rank. Nil means lexical only.
	Embedder Embedder
}

// Field weights: a word in a name says more than a word in a description.
const (
	weightName        = 3
	weightSynonym     = 2
	weightDescription = 1
)

// BM25 parameters, the usual defaults.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// posting is one document of a term. Until finish it holds the weighted
// term count; finish turns it into the document's BM25 term weight
// tf·(k1+1)/(tf+k1·(1−b+b·len/avg)), which depends on nothing a query
// brings, so scoring is one multiply-add per posting.
type posting struct {
	doc int32
	w   float32
}

// bm25 is an inverted index with BM25 scoring over weighted term counts.
type bm25 struct {
	postings map[string][]posting
	docLen   []float32
	avgLen   float32
}

func (ix *bm25) add(doc int32, tf map[string]float32) {
	var n float32
	for t, f := range tf {
		ix.postings[t] = append(ix.postings[t], posting{doc, f})
		n += f
	}
	ix.docLen = append(ix.docLen, n)
}

func (ix *bm25) finish() {
	var sum float32
	for _, l := range ix.docLen {
		sum += l
	}
	if len(ix.docLen) > 0 {
		ix.avgLen = sum / float32(len(ix.docLen))
	}
	for _, ps := range ix.postings {
		for i := range ps {
			p := &ps[i]
			norm := bm25K1 * (1 - bm25B + bm25B*ix.docLen[p.doc]/ix.avgLen)
			p.w = p.w * (bm25K1 + 1) / (p.w + norm)
		}
	}
}

// idf is BM25's always-positive inverse document frequency.
func (ix *bm25) idf(df int) float32 {
	n := float64(len(ix.docLen))
	return float32(math.Log(1 + (n-float64(df)+0.5)/(float64(df)+0.5)))
}

// score adds each document's BM25 score for the query terms into acc and
// records every document it touches once in touched.
func (ix *bm25) score(query []string, acc []float32, touched []int32) []int32 {
	for _, t := range query {
		ps := ix.postings[t]
		if len(ps) == 0 {
			continue
		}
		idf := ix.idf(len(ps))
		for _, p := range ps {
			if acc[p.doc] == 0 {
				touched = append(touched, p.doc)
			}
			acc[p.doc] += idf * p.w
		}
	}
	return touched
}

type tableInfo struct {
	qname  string
	ddlLen int     // bytes of this table's DDL alone
	cols   []int32 // column doc ids
	pkCols []int32 // primary key columns
	edges  []fkEdge
	// keys are identKey of the name and of its singular, for implicit
	// joins (cards.setCode → sets.code).
	keys [2]string
}

// fkEdge is one end of a foreign key: col (of this table) joins table
// other. fk numbers the declared foreign key, shared by both ends and by
// every column of a composite key; target names the key it reaches
// (lower-case referenced columns), so that several foreign keys into the
// same key — roles such as home and away team — can be told from foreign
// keys into different keys of one table.
type fkEdge struct {
	col    int32
	other  int32
	fk     int32
	target string
}

type colInfo struct {
	table int32
	name  string
	key   string // identKey(name)
}

type valueRef struct {
	col   int32
	value string // as stored, for the reason
}

// Index is a schema-linking index over one catalog. It is safe for
// concurrent use by several goroutines.
type Index struct {
	cat      *catalog.Catalog
	tables   []tableInfo
	cols     []colInfo
	colIx    bm25
	tabIx    bm25
	values   map[string][]valueRef // value phrase (valueWords joined by " ") → columns
	maxValN  int
	adj      [][]int32 // undirected foreign-key graph over tables
	fullLen  int       // bytes of the whole catalog's DDL
	byName   map[string]int32
	idents   map[string][]int32 // identKey(column name) → columns
	tabIdent map[string][]int32 // identKey(table name) → tables
	tabWord  map[string][]int32 // identKey of a table's name and of its singular → tables
	refCol   []bool             // column refers to another table (foreign key)
	colTable []int32            // column → table, compact for the hot loop
	pkCol    []bool             // column is (part of) its table's primary key
	keyCol   []bool             // column is a primary key or has a key-like name
	embedder Embedder
	emb      embedState
	scratch  sync.Pool // *scratch
}

// Build indexes cat for linking. The catalog must not change afterwards.
func Build(cat *catalog.Catalog, extra Extra) *Index {
	ix := &Index{
		cat:      cat,
		colIx:    bm25{postings: map[string][]posting{}},
		tabIx:    bm25{postings: map[string][]posting{}},
		values:   map[string][]valueRef{},
		idents:   map[string][]int32{},
		tabIdent: map[string][]int32{},
		tabWord:  map[string][]int32{},
		embedder: extra.Embedder,
	}
	syn := lowerKeys(extra.Synonyms)
	desc := lowerKeys(extra.Descriptions)
	byName := make(map[string]int32, 2*len(cat.Tables))
	for i := range cat.Tables {
		t := &cat.Tables[i]
		ti := int32(i)
		byName[strings.ToLower(t.QualifiedName())] = ti
		if _, dup := byName[strings.ToLower(t.Name)]; !dup {
			byName[strings.ToLower(t.Name)] = ti
		}
		ix.addTable(t, ti, syn, desc)
	}
	if n := len(cat.Tables); n > 0 {
		ix.fullLen = n - 1 // the newline between tables
	}
	for i := range ix.tables {
		ix.fullLen += ix.tables[i].ddlLen
	}
	ix.colIx.finish()
	ix.tabIx.finish()
	ix.refCol = make([]bool, len(ix.cols))
	ix.buildGraph(byName)
	ix.byName = byName
	nc, nt := len(ix.cols), len(ix.tables)
	ix.scratch.New = func() any {
		return &scratch{acc: make([]float32, nc), slot: make([]int32, nt), tacc: make([]float32, nt)}
	}
	return ix
}

func lowerKeys[V any](m map[string]V) map[string]V {
	out := make(map[string]V, len(m))
	for k, v := range m {
		out[strings.ToLower(k)] = v
	}
	return out
}

// lookup finds extra knowledge keyed by qualified or bare name.
func lookup[V any](m map[string]V, t *catalog.Table, col string) (V, bool) {
	suffix := ""
	if col != "" {
		suffix = "." + strings.ToLower(col)
	}
	if v, ok := m[strings.ToLower(t.QualifiedName())+suffix]; ok {
		return v, true
	}
	v, ok := m[strings.ToLower(t.Name)+suffix]
	return v, ok
}

func addTerms(tf map[string]float32, text string, w float32) {
	for _, t := range terms(text) {
		tf[t] += w
	}
}

func (ix *Index) addTable(t *catalog.Table, ti int32, syn map[string][]string, desc map[string]string) {
	info := tableInfo{qname: t.QualifiedName(), ddlLen: len(tableDDL(t)),
		keys: [2]string{identKey(t.Name), identKey(text.Stem(strings.ToLower(t.Name)))}}
	pk := map[string]bool{}
	for _, c := range t.PrimaryKey {
		pk[strings.ToLower(c)] = true
	}
	if k := identKey(t.Name); k != "" {
		ix.tabIdent[k] = append(ix.tabIdent[k], ti)
	}
	for i, k := range info.keys {
		if k != "" && (i == 0 || k != info.keys[0]) {
			ix.tabWord[k] = append(ix.tabWord[k], ti)
		}
	}
	ttf := map[string]float32{}
	addTerms(ttf, t.Name, weightName)
	addTerms(ttf, t.Comment, weightDescription)
	if d, ok := lookup(desc, t, ""); ok {
		addTerms(ttf, d, weightDescription)
	}
	if ws, ok := lookup(syn, t, ""); ok {
		addTerms(ttf, strings.Join(ws, " "), weightSynonym)
	}
	ix.tabIx.add(ti, ttf)
	for j := range t.Columns {
		c := &t.Columns[j]
		ci := int32(len(ix.cols))
		ix.cols = append(ix.cols, colInfo{table: ti, name: c.Name, key: identKey(c.Name)})
		ix.colTable = append(ix.colTable, ti)
		info.cols = append(info.cols, ci)
		isPK := pk[strings.ToLower(c.Name)]
		ix.pkCol = append(ix.pkCol, isPK)
		ix.keyCol = append(ix.keyCol, isPK || keyLike(ix.cols[ci].key))
		if isPK {
			info.pkCols = append(info.pkCols, ci)
		}
		if k := ix.cols[ci].key; k != "" {
			ix.idents[k] = append(ix.idents[k], ci)
		}
		ctf := map[string]float32{}
		addTerms(ctf, c.Name, weightName)
		addTerms(ctf, c.Comment, weightDescription)
		if d, ok := lookup(desc, t, c.Name); ok {
			addTerms(ctf, d, weightDescription)
		}
		if ws, ok := lookup(syn, t, c.Name); ok {
			addTerms(ctf, strings.Join(ws, " "), weightSynonym)
		}
		ix.colIx.add(ci, ctf)
		for _, s := range c.Samples {
			ix.addValue(ci, s)
		}
	}
	ix.tables = append(ix.tables, info)
}

// maxValueWords bounds the phrases stored as values: longer samples are
// free text, which a question will not repeat verbatim.
const maxValueWords = 5

func (ix *Index) addValue(ci int32, sample string) {
	ws := valueWords(sample)
	if len(ws) == 0 || len(ws) > maxValueWords {
		return
	}
	key := strings.Join(ws, " ")
	if len(ws) == 1 && (len(key) < 2 || text.IsStopword(key) || isNumber(key)) {
		return // "1", "a", "the" would match every question
	}
	for _, r := range ix.values[key] {
		if r.col == ci {
			return
		}
	}
	ix.values[key] = append(ix.values[key], valueRef{col: ci, value: sample})
	ix.maxValN = max(ix.maxValN, len(ws))
}

func isNumber(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// tableDDL renders one table exactly as catalog.DDL renders it in a slice.
func tableDDL(t *catalog.Table) string {
	one := catalog.Catalog{Tables: []catalog.Table{*t}}
	return one.DDL(catalog.DDLOptions{})
}

func (ix *Index) buildGraph(byName map[string]int32) {
	ix.adj = make([][]int32, len(ix.cat.Tables))
	link := func(a, b int32) {
		if a == b {
			return
		}
		for _, x := range ix.adj[a] {
			if x == b {
				return
			}
		}
		ix.adj[a] = append(ix.adj[a], b)
		ix.adj[b] = append(ix.adj[b], a)
	}
	var fkn int32
	for i := range ix.cat.Tables {
		for _, fk := range ix.cat.Tables[i].ForeignKeys {
			fkn++
			ref := fk.RefTable
			if fk.RefSchema != "" {
				ref = fk.RefSchema + "." + ref
			}
			j, ok := byName[strings.ToLower(ref)]
			if !ok {
				continue
			}
			link(int32(i), j)
			target := strings.ToLower(strings.Join(fk.RefColumns, ","))
			for k, c := range fk.Columns {
				if ci := ix.addEdge(int32(i), c, j, fkn, target); ci >= 0 && j != int32(i) {
					ix.refCol[ci] = true
				}
				if k < len(fk.RefColumns) {
					ix.addEdge(j, fk.RefColumns[k], int32(i), fkn, target)
				}
			}
		}
	}
}

// addEdge records that column name of table t joins table other, and
// returns the column, or -1 when t has no such column.
func (ix *Index) addEdge(t int32, name string, other, fk int32, target string) int32 {
	info := &ix.tables[t]
	for _, c := range info.cols {
		if !strings.EqualFold(ix.cols[c].name, name) {
			continue
		}
		for _, e := range info.edges {
			if e.col == c && e.other == other {
				return c
			}
		}
		info.edges = append(info.edges, fkEdge{col: c, other: other, fk: fk, target: target})
		return c
	}
	return -1
}
