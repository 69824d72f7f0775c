package offline

import (
	"strings"

	"github.com/askdb/askdb/internal/catalog"
)

// refKind says what a schema phrase names.
type refKind int

const (
	refTable refKind = iota
	refColumn
	refValue
)

// ref is one meaning of a schema phrase.
type ref struct {
	kind  refKind
	table int
	col   int    // -1 for a table
	value string // the stored value, for refValue
}

// maxPhrase bounds the words of a schema phrase.
const maxPhrase = 5

// lexicon maps phrase keys (see phraseKey) to what they name in one catalog.
type lexicon struct {
	cat     *catalog.Catalog
	phrases map[string][]ref
	values  map[string][]ref
	fk      [][]fkEdge // undirected foreign-key graph over tables
}

// fkEdge joins table from to table to on paired columns.
type fkEdge struct {
	to       int
	fromCols []string
	toCols   []string
	// fanOut is set when to references from: one row of from may meet
	// many rows of to.
	fanOut bool
}

// unitWords are trailing column-name words a question rarely repeats
// ("Net_Worth_Millions" is asked about as "net worth").
var unitWords = map[string]bool{"million": true, "millions": true, "usd": true, "eur": true, "km": true, "kg": true, "cm": true, "pct": true}

func buildLexicon(cat *catalog.Catalog) *lexicon {
	lx := &lexicon{cat: cat, phrases: map[string][]ref{}, values: map[string][]ref{}}
	for ti := range cat.Tables {
		t := &cat.Tables[ti]
		tw := identWords(t.Name)
		lx.add(lx.phrases, tw, ref{kind: refTable, table: ti, col: -1})
		for ci := range t.Columns {
			c := &t.Columns[ci]
			for _, alias := range columnAliases(tw, identWords(c.Name)) {
				lx.add(lx.phrases, alias, ref{kind: refColumn, table: ti, col: ci})
			}
			for _, s := range c.Samples {
				ws := strings.Fields(strings.Map(valueRune, s))
				if len(ws) == 0 || len(ws) > maxPhrase || len(s) > 60 {
					continue
				}
				if len(ws) == 1 && (len(ws[0]) < 2 || fillers[strings.ToLower(ws[0])]) {
					continue
				}
				lx.add(lx.values, ws, ref{kind: refValue, table: ti, col: ci, value: s})
			}
		}
	}
	lx.tableTails()
	lx.buildGraph()
	return lx
}

// tableTails lets a question name a link table by its last words when its
// first word is another table: "members" for project_members.
func (lx *lexicon) tableTails() {
	for ti, t := range lx.cat.Tables {
		tw := identWords(t.Name)
		if len(tw) < 2 {
			continue
		}
		head := phraseKey(tw[:1])
		for tj, o := range lx.cat.Tables {
			if tj != ti && phraseKey(identWords(o.Name)) == head {
				tail := phraseKey(tw[1:])
				if len(lx.phrases[tail]) == 0 {
					lx.add(lx.phrases, tw[1:], ref{kind: refTable, table: ti, col: -1})
				}
				break
			}
		}
	}
}

// valueRune keeps letters and digits of a stored value and turns the rest
// into spaces, as tokenize does for a question.
func valueRune(r rune) rune {
	if r == '\'' || r == '’' {
		return -1
	}
	if r < 128 && !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
		return ' '
	}
	return r
}

func (lx *lexicon) add(m map[string][]ref, words []string, r ref) {
	if len(words) == 0 || len(words) > maxPhrase {
		return
	}
	lw := make([]string, len(words))
	for i, w := range words {
		lw[i] = strings.ToLower(w)
	}
	key := phraseKey(lw)
	for _, x := range m[key] {
		if x.table == r.table && x.col == r.col && x.kind == r.kind {
			return
		}
	}
	m[key] = append(m[key], r)
}

// columnAliases lists the phrases a question may use for a column: its
// words, without the table's name as a prefix ("pet_age" → "age"), without
// a trailing unit, "num" read as "number", and the past participle of a
// date column's event ("hire_date" → "hired").
func columnAliases(table, col []string) [][]string {
	out := [][]string{col}
	ts := phraseKey(table)
	if len(col) > 1 && phraseKey(col[:1]) == ts {
		out = append(out, col[1:])
	}
	if len(col) > 1 && unitWords[col[len(col)-1]] {
		out = append(out, col[:len(col)-1])
	}
	for i, w := range col {
		if w == "num" || w == "no" {
			alt := append(append(append([]string{}, col[:i]...), "number"), col[i+1:]...)
			out = append(out, alt)
			if i+1 < len(col) && col[i+1] != "of" {
				out = append(out, append(append(append([]string{}, col[:i]...), "number", "of"), col[i+1:]...))
			}
		}
	}
	if n := len(col); n >= 2 && (col[n-1] == "date" || col[n-1] == "at" || col[n-1] == "on") && n <= 3 {
		ev := col[n-2]
		out = append(out, []string{pastTense(ev)})
	}
	return out
}

func pastTense(w string) string {
	switch {
	case strings.HasSuffix(w, "ed"):
		return w
	case strings.HasSuffix(w, "e"):
		return w + "d"
	}
	return w + "ed"
}

func (lx *lexicon) buildGraph() {
	cat := lx.cat
	lx.fk = make([][]fkEdge, len(cat.Tables))
	for ti := range cat.Tables {
		for _, fk := range cat.Tables[ti].ForeignKeys {
			ref := fk.RefTable
			if fk.RefSchema != "" {
				ref = fk.RefSchema + "." + ref
			}
			rt, ok := cat.Table(ref)
			if !ok || len(fk.Columns) == 0 || len(fk.Columns) != len(fk.RefColumns) {
				continue
			}
			ri := tableIndex(cat, rt)
			if ri == ti {
				continue
			}
			lx.fk[ti] = append(lx.fk[ti], fkEdge{to: ri, fromCols: fk.Columns, toCols: fk.RefColumns})
			lx.fk[ri] = append(lx.fk[ri], fkEdge{to: ti, fromCols: fk.RefColumns, toCols: fk.Columns, fanOut: true})
		}
	}
}

func tableIndex(cat *catalog.Catalog, t *catalog.Table) int {
	for i := range cat.Tables {
		if &cat.Tables[i] == t {
			return i
		}
	}
	return -1
}

// path returns the edges of the shortest foreign-key path from a to b, or
// ok=false when there is none within 3 hops. Several shortest paths make
// the join ambiguous, which is also reported as ok=false.
func (lx *lexicon) path(a, b int) ([]fkStep, bool) {
	if a == b {
		return nil, true
	}
	type st struct {
		prev  int
		edge  fkEdge
		count int
	}
	seen := map[int]*st{a: {prev: -1, count: 1}}
	frontier := []int{a}
	for hop := 0; hop < 3 && len(frontier) > 0; hop++ {
		var next []int
		level := map[int]bool{}
		for _, t := range frontier {
			for _, e := range lx.fk[t] {
				if s, ok := seen[e.to]; ok {
					if level[e.to] {
						s.count += seen[t].count // a second way in: the join is ambiguous
					}
					continue
				}
				seen[e.to] = &st{prev: t, edge: e, count: seen[t].count}
				level[e.to] = true
				next = append(next, e.to)
			}
		}
		if s, ok := seen[b]; ok {
			if s.count > 1 {
				return nil, false
			}
			var steps []fkStep
			for t := b; t != a; t = seen[t].prev {
				s := seen[t]
				steps = append([]fkStep{{from: s.prev, to: t, edge: s.edge}}, steps...)
			}
			return steps, true
		}
		frontier = next
	}
	return nil, false
}

// fkStep is one join along a foreign key.
type fkStep struct {
	from, to int
	edge     fkEdge
}
