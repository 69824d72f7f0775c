package retrieve

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/text"
)

// Column pruning policy. Of a chosen table, a column is shown when the
// question names it, or when it is among the table's colTop best (colTopWeak
// for tables scoring under weakCut of the best table, and for bridges) and
// reaches colCut of the link's best column; then, for strong tables, the
// best date or year column when the question holds a date, and the column
// naming a row (name, title); then key columns. Comments are shortened:
// key columns lose theirs (keyCommentMax bytes) and table comments are
// dropped (tableCommentMax): the slice keeps the descriptions that decide
// which column to use, and BIRD's table comments cost 15% of its schema.
const (
	colTop          = 10
	colTopWeak      = 3
	weakCut         = 0.3
	colCut          = 0.05
	maxRoles        = 2 // foreign keys kept into the same key of one table
	keyCommentMax   = 0
	tableCommentMax = 0
)

// selectColumns picks, for each chosen table, the columns its pruned DDL
// shows: named columns, the best scoring ones, the primary key, and the
// foreign-key columns that join another chosen table.
func (ix *Index) selectColumns(chosen []chosenTable, acc []float32, ms mentionSet, question string) [][]int32 {
	temporal := mentionsDate(question)
	year := yearRe.MatchString(question)
	in := make(map[int32]bool, len(chosen))
	var best float32
	for _, c := range chosen {
		in[c.table] = true
		for _, col := range ix.tables[c.table].cols {
			best = max(best, acc[col])
		}
	}
	out := make([][]int32, len(chosen))
	implicit := ix.joinColumns(chosen)
	var bestTable float32
	for _, c := range chosen {
		bestTable = max(bestTable, c.score)
	}
	for i, c := range chosen {
		t := &ix.tables[c.table]
		top := colTop
		switch {
		case c.score < weakCut*bestTable || c.reason == "fk path" || c.reason == "junction":
			top = colTopWeak
		}
		var scored []int32
		for _, col := range t.cols {
			if acc[col] > 0 {
				scored = append(scored, col)
			}
		}
		sort.SliceStable(scored, func(a, b int) bool { return acc[scored[a]] > acc[scored[b]] })
		seen := map[int32]bool{}
		var keep []int32
		for r, col := range scored {
			if ms.cols[col] > 0 || (r < top && acc[col] >= colCut*best) {
				keep = append(keep, col)
				seen[col] = true
			}
		}
		if top > 0 {
			var extra []int32
			if temporal {
				extra = append(extra, ix.bestOf(t.cols, acc, ix.isTemporal))
			}
			if year {
				extra = append(extra, ix.bestOf(t.cols, acc, ix.isYear))
			}
			extra = append(extra, ix.bestOf(t.cols, acc, ix.isDisplay))
			for _, col := range extra {
				if col >= 0 && !seen[col] {
					keep = append(keep, col)
					seen[col] = true
				}
			}
		}
		for _, col := range t.pkCols {
			if !seen[col] {
				keep = append(keep, col)
				seen[col] = true
			}
		}
		for _, col := range ix.joinEdges(t, c.table, in, acc, seen) {
			if !seen[col] {
				keep = append(keep, col)
				seen[col] = true
			}
		}
		for _, col := range implicit[c.table] {
			if !seen[col] {
				keep = append(keep, col)
				seen[col] = true
			}
		}
		out[i] = keep
	}
	return out
}

// joinEdges returns the foreign-key columns of table t (index ti) that join
// it to the other chosen tables. A table may hold several foreign keys into
// the same key of another, as roles (home and away team; Match's 22 player
// columns into Player.player_api_id): of those at most maxRoles are kept,
// the ones already shown first, then the best scoring, the first declared
// on ties. Foreign keys into different keys of a table (player_api_id,
// player_fifa_api_id) are all kept, and all columns of a composite key go
// together.
func (ix *Index) joinEdges(t *tableInfo, ti int32, in map[int32]bool, acc []float32, seen map[int32]bool) []int32 {
	type role struct {
		other  int32
		target string
	}
	type cand struct {
		fk      int32
		score   float32
		covered bool
	}
	roles := map[role][]cand{}
	for _, e := range t.edges {
		if !in[e.other] || e.other == ti {
			continue
		}
		r := role{e.other, e.target}
		cs := roles[r]
		if n := len(cs); n > 0 && cs[n-1].fk == e.fk { // a composite key's next column
			cs[n-1].score = max(cs[n-1].score, acc[e.col])
			cs[n-1].covered = cs[n-1].covered || seen[e.col]
			continue
		}
		roles[r] = append(cs, cand{fk: e.fk, score: acc[e.col], covered: seen[e.col]})
	}
	keepFK := map[int32]bool{}
	for _, cs := range roles {
		sort.SliceStable(cs, func(a, b int) bool {
			if cs[a].covered != cs[b].covered {
				return cs[a].covered
			}
			return cs[a].score > cs[b].score
		})
		for _, c := range cs[:min(len(cs), maxRoles)] {
			keepFK[c.fk] = true
		}
	}
	var out []int32
	for _, e := range t.edges {
		if in[e.other] && e.other != ti && keepFK[e.fk] {
			out = append(out, e.col)
		}
	}
	return out
}

// joinColumns finds the implicit join columns between chosen tables that
// no foreign key joins directly.
func (ix *Index) joinColumns(chosen []chosenTable) map[int32][]int32 {
	out := map[int32][]int32{}
	for i, a := range chosen {
		for _, b := range chosen[i+1:] {
			if a.table == b.table || ix.joined(a.table, b.table) {
				continue
			}
			ca, cb := ix.implicitJoins(a.table, b.table)
			out[a.table] = append(out[a.table], ca...)
			out[b.table] = append(out[b.table], cb...)
		}
	}
	return out
}

func (ix *Index) joined(a, b int32) bool {
	for _, e := range ix.tables[a].edges {
		if e.other == b {
			return true
		}
	}
	return false
}

// fitBudget keeps tables in order while their pruned DDL fits the budget;
// a table that does not fit is skipped so a smaller, less relevant one may
// still. When not even one table fits, the best table is returned alone so
// that the caller has something to work with; Link.SliceTokens then shows
// the excess.
func (ix *Index) fitBudget(chosen []chosenTable, sel [][]int32, budget int, acc []float32, values map[int32]string, ms mentionSet) ([]chosenTable, [][]int32) {
	names := make(map[string]bool, 2*len(chosen))
	for _, c := range chosen {
		ix.addNames(names, c.table)
	}
	var out []chosenTable
	var outSel [][]int32
	used := 0
	for i, c := range chosen {
		keep := make(map[string]bool, len(sel[i]))
		bare := map[string]bool{}
		for _, col := range sel[i] {
			name := strings.ToLower(ix.cols[col].name)
			keep[name] = true
			if ix.bareColumn(col, columnReason(col, acc, values, ms)) {
				bare[name] = true
			}
		}
		pruned := pruneTable(&ix.cat.Tables[c.table], keep, names, bare)
		n := len(tableDDL(&pruned))
		if len(out) > 0 {
			n++ // newline between tables
		}
		if tokensForBytes(used+n) > budget {
			continue
		}
		used += n
		out = append(out, c)
		outSel = append(outSel, sel[i])
	}
	if len(out) == 0 && len(chosen) > 0 {
		return chosen[:1], sel[:1]
	}
	return out, outSel
}

// addNames adds a table's qualified and bare lower-case names to set.
func (ix *Index) addNames(set map[string]bool, table int32) {
	t := &ix.cat.Tables[table]
	set[strings.ToLower(t.QualifiedName())] = true
	set[strings.ToLower(t.Name)] = true
}

func (ix *Index) result(chosen []chosenTable, sel [][]int32, acc []float32, values map[int32]string, ms mentionSet) Link {
	l := Link{FullTokens: tokensForBytes(ix.fullLen)}
	used := 0
	for i, c := range chosen {
		t := &ix.tables[c.table]
		l.Tables = append(l.Tables, TableLink{Name: t.qname, Score: float64(c.score), Reason: c.reason})
		used += t.ddlLen
		if i > 0 {
			used++
		}
	}
	for i, c := range chosen {
		t := &ix.tables[c.table]
		for _, col := range sel[i] {
			reason := columnReason(col, acc, values, ms)
			l.Columns = append(l.Columns, ColumnLink{Table: t.qname, Column: ix.cols[col].name, Score: float64(acc[col]), Reason: reason})
		}
	}
	l.Tokens = tokensForBytes(used)
	l.SliceTokens = EstimateTokens(ix.SliceDDL(l))
	return l
}

// columnReason says why a column is in a link: "named" outright, "value
// 'x'" quoted by the question, "name" matching its words, else "key".
func columnReason(col int32, acc []float32, values map[int32]string, ms mentionSet) string {
	switch v, isValue := values[col]; {
	case ms.cols[col] > 0:
		return "named"
	case isValue:
		return fmt.Sprintf("value %q", v)
	case acc[col] > 0:
		return "name"
	}
	return "key"
}

// bareColumn reports whether a linked column is shown without its comment:
// a column kept only as a key, or a key column (primary or foreign) that
// matched the question by its words alone. A key's comment ("Unique
// identifier of the customer") rarely decides anything; a key the question
// names or quotes a value of keeps it.
func (ix *Index) bareColumn(col int32, reason string) bool {
	return reason == "key" || (reason == "name" && (ix.pkCol[col] || ix.refCol[col]))
}

// pruneTable copies t with only the columns in keep (lower-case names) and
// only the foreign keys into tables (lower-case names, bare or qualified).
func pruneTable(t *catalog.Table, keep, tables map[string]bool, bare map[string]bool) catalog.Table {
	pruned := *t
	pruned.Columns = nil
	pruned.Comment = firstSentence(t.Comment, tableCommentMax)
	for _, c := range t.Columns {
		if keep[strings.ToLower(c.Name)] {
			if bare[strings.ToLower(c.Name)] {
				c.Comment = firstSentence(c.Comment, keyCommentMax)
			}
			pruned.Columns = append(pruned.Columns, c)
		}
	}
	pruned.PrimaryKey = append([]string(nil), t.PrimaryKey...)
	pruned.ForeignKeys = nil
	for _, fk := range t.ForeignKeys {
		ref := strings.ToLower(fk.RefTable)
		if fk.RefSchema != "" {
			ref = strings.ToLower(fk.RefSchema) + "." + ref
		}
		if tables[ref] && allKept(fk.Columns, keep) {
			pruned.ForeignKeys = append(pruned.ForeignKeys, fk)
		}
	}
	return pruned
}

// allKept reports whether every column of a foreign key is shown: a
// foreign key line naming a pruned column would only cost tokens.
func allKept(cols []string, keep map[string]bool) bool {
	for _, c := range cols {
		if !keep[strings.ToLower(c)] {
			return false
		}
	}
	return true
}

// firstSentence shortens a comment to its first sentence, and to at most
// max bytes (cut at a word); max < 0 keeps it whole.
func firstSentence(s string, max int) string {
	if max < 0 || s == "" {
		return s
	}
	if i := strings.Index(s, ". "); i >= 0 {
		s = s[:i+1]
	}
	if len(s) <= max {
		return s
	}
	cut := strings.LastIndexByte(s[:max], ' ')
	if cut <= 0 {
		return ""
	}
	return s[:cut] + "…"
}

var (
	dateRe = regexp.MustCompile(`\b(1[89]\d\d|20\d\d)\b|\d/\d`)
	yearRe = regexp.MustCompile(`\b(1[89]\d\d|20\d\d)\b`)
)

// mentionsDate reports whether a question names a year or a date, which
// the SQL will filter on through some date or year column.
func mentionsDate(q string) bool { return dateRe.MatchString(q) }

// bestOf returns the best-scoring column of cols that ok accepts, the
// first on ties, or -1.
func (ix *Index) bestOf(cols []int32, acc []float32, ok func(int32) bool) int32 {
	best := int32(-1)
	for _, c := range cols {
		if ok(c) && (best < 0 || acc[c] > acc[best]) {
			best = c
		}
	}
	return best
}

// isTemporal: a date, time or year column.
func (ix *Index) isTemporal(c int32) bool {
	col := &ix.cat.Tables[ix.cols[c].table].Columns[ix.colPos(c)]
	k := ix.cols[c].key
	switch col.Type {
	case catalog.TypeDate, catalog.TypeTimestamp:
		return true
	}
	return k == "year" || strings.Contains(k, "date") || strings.HasSuffix(k, "year")
}

// isYear: a column named as a year (year, birth_year, YearBuilt), which
// a question naming a year filters on more often than on a full date.
func (ix *Index) isYear(c int32) bool {
	for _, run := range text.Runs(ix.cols[c].name) {
		for _, w := range run {
			if text.Stem(w) == "year" {
				return true
			}
		}
	}
	return false
}

// isDisplay: the column naming a row (name, title, or the table's own name).
func (ix *Index) isDisplay(c int32) bool {
	k := ix.cols[c].key
	tk := identKey(text.Stem(strings.ToLower(ix.cat.Tables[ix.cols[c].table].Name)))
	return k == "name" || k == "title" || k == tk || k == tk+"name"
}

// colPos is the position of column c in its catalog table.
func (ix *Index) colPos(c int32) int {
	return int(c - ix.tables[ix.cols[c].table].cols[0])
}
