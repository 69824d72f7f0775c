package offline

import (
	"github.com/askdb/askdb/internal/text"
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
		tw := text.IdentWords(t.Name)
		lx.add(lx.phrases, tw, ref{kind: refTable, table: ti, col: -1})
		for ci := range t.Columns {
			c := &t.Columns[ci]
			for _, alias := range columnAliases(tw, text.IdentWords(c.Name)) {
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
		tw := text.IdentWords(t.Name)
		if len(tw) < 2 {
			continue
		}
		head := phraseKey(tw[:1])
		for tj, o := range lx.cat.Tables {
			if tj != ti && phraseKey(text.IdentWords(o.Name)) == head {
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
// the join ambiguous, reported as ok=false, unless exactly one of them goes
// through link tables only (employees to projects through project_members
// rather than through their department); chosen is then set.
func (lx *lexicon) path(a, b int) (steps []fkStep, chosen, ok bool) {
	if a == b {
		return nil, false, true
	}
	var all [][]fkStep
	for hops := 1; hops <= 3 && len(all) == 0; hops++ {
		lx.walk(a, b, hops, map[int]bool{a: true}, nil, &all)
	}
	switch len(all) {
	case 0:
		return nil, false, false
	case 1:
		return all[0], false, true
	}
	var linked [][]fkStep
	for _, p := range all {
		if lx.throughLinks(p) {
			linked = append(linked, p)
		}
	}
	if len(linked) == 1 {
		return linked[0], true, true
	}
	return nil, false, false
}

// walk collects into out every simple path of exactly hops edges from t to b.
func (lx *lexicon) walk(t, b, hops int, seen map[int]bool, prefix []fkStep, out *[][]fkStep) {
	if len(*out) > 16 {
		return
	}
	for _, e := range lx.fk[t] {
		if seen[e.to] && e.to != b {
			continue
		}
		p := append(append([]fkStep(nil), prefix...), fkStep{from: t, to: e.to, edge: e})
		if hops == 1 {
			if e.to == b {
				*out = append(*out, p)
			}
			continue
		}
		if e.to == b {
			continue
		}
		seen[e.to] = true
		lx.walk(e.to, b, hops-1, seen, p, out)
		delete(seen, e.to)
	}
}

// throughLinks reports whether every table a path passes through is a link
// table entered from a table it references and left to another.
func (lx *lexicon) throughLinks(p []fkStep) bool {
	if len(p) < 2 {
		return false
	}
	for k := 0; k+1 < len(p); k++ {
		if !p[k].edge.fanOut || p[k+1].edge.fanOut || !lx.isLink(p[k].to) {
			return false
		}
	}
	return true
}

// isLink reports whether table t is a link table: it references at least
// two tables and its primary key, if any, is made of foreign-key columns.
func (lx *lexicon) isLink(t int) bool {
	tab := &lx.cat.Tables[t]
	fkCols := map[string]bool{}
	refs := map[string]bool{}
	for _, fk := range tab.ForeignKeys {
		refs[strings.ToLower(fk.RefTable)] = true
		for _, c := range fk.Columns {
			fkCols[strings.ToLower(c)] = true
		}
	}
	if len(refs) < 2 {
		return false
	}
	for _, c := range tab.PrimaryKey {
		if !fkCols[strings.ToLower(c)] {
			return false
		}
	}
	return true
}

// fkStep is one join along a foreign key.
type fkStep struct {
	from, to int
	edge     fkEdge
}
