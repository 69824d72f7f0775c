package retrieve

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/askdb/askdb/internal/text"
)

// Options tune one Link call.
type Options struct {
	// TokenBudget is the approximate number of prompt tokens the schema
	// slice may take (see EstimateTokens); 0 means DefaultTokenBudget.
	TokenBudget int
	// MaxTables caps the tables returned; 0 means DefaultMaxTables.
	MaxTables int
}

// Defaults for Options.
const (
	DefaultTokenBudget = 2000
	DefaultMaxTables   = 8
)

// Scoring policy. A table is chosen when its score reaches relativeCut of
// the best table's score; the remaining constants weigh the evidence.
const (
	relativeCut  = 0.2
	valueWeight  = 4.0 // a stored value quoted by the question
	tableWeight  = 1.0 // BM25 of the table's own name, comment, synonyms
	maxBridgeHop = 3   // longest foreign-key path searched for a bridge
	columnDecay  = 0.5 // the k-th best column of a table counts columnDecay^k
	fkDamp       = 0.5 // share of a foreign-key column's score its own table gets
	topColumns   = 3   // columns that count towards a table's score
)

// Link is the schema slice chosen for a question.
type Link struct {
	// Tables are the chosen tables, most relevant first.
	Tables []TableLink
	// Columns are the matched columns of the chosen tables, best first,
	// followed by their primary and foreign key columns.
	Columns []ColumnLink
	// Tokens estimates the prompt tokens of the chosen tables' DDL;
	// FullTokens those of the whole catalog.
	Tokens     int
	FullTokens int
	// SliceTokens estimates the prompt tokens of SliceDDL: the chosen
	// tables pruned to the chosen columns.
	SliceTokens int
}

// TableLink is one chosen table.
type TableLink struct {
	Name   string // qualified name
	Score  float64
	Reason string // "name", "column 'x'", "value 'Germany' in customers.country", "fk path"
}

// ColumnLink is one chosen column.
type ColumnLink struct {
	Table, Column string
	Score         float64
	Reason        string
}

// TableNames returns the qualified names of the chosen tables, in order,
// ready for catalog.DDLOptions.Tables.
func (l Link) TableNames() []string {
	out := make([]string, len(l.Tables))
	for i, t := range l.Tables {
		out[i] = t.Name
	}
	return out
}

// tableScore gathers the evidence for one table.
type tableScore struct {
	table  int32
	tab    float32             // table document BM25
	top    [topColumns]float32 // best column scores, descending
	topCol [topColumns]int32
	value  string // best value reason, if any
	valueS float32
	total  float32
}

func (s *tableScore) addColumn(col int32, v float32) {
	for k := range s.top {
		if v > s.top[k] {
			copy(s.top[k+1:], s.top[k:topColumns-1])
			copy(s.topCol[k+1:], s.topCol[k:topColumns-1])
			s.top[k], s.topCol[k] = v, col
			return
		}
	}
}

// Link chooses the tables and columns a question needs, within the token
// budget, most relevant first, adding bridge tables so that the chosen
// tables can be joined. It never fails: with no evidence it returns an
// empty Link (with FullTokens set).
func (ix *Index) Link(ctx context.Context, question string, opts Options) Link {
	if opts.TokenBudget <= 0 {
		opts.TokenBudget = DefaultTokenBudget
	}
	if opts.MaxTables <= 0 {
		opts.MaxTables = DefaultMaxTables
	}
	sc := ix.scratch.Get().(*scratch)
	defer func() {
		sc.reset()
		ix.scratch.Put(sc)
	}()
	acc := sc.acc
	qterms := uniq(append(terms(question), bigramTerms(question)...))
	sc.touched = ix.colIx.score(qterms, acc, sc.touched[:0])
	values := ix.matchValues(question, acc, &sc.touched)
	ms := ix.mentions(question)
	for c, w := range ms.cols {
		if acc[c] == 0 {
			sc.touched = append(sc.touched, c)
		}
		acc[c] += w
	}
	scores := ix.tableScores(sc, qterms, values, ms)

	limit := 0 // all tables: fusion re-ranks them
	if ix.embedder == nil {
		limit = opts.MaxTables
	}
	ranked := rank(scores, limit)
	if ix.embedder != nil {
		ranked = ix.fuse(ctx, question, ranked)
	}
	chosen := ix.choose(ranked, scores, ms.tables, ix.tablesInWords(question), opts.MaxTables)
	chosen = ix.bridge(chosen)
	chosen = ix.junctions(chosen)
	sel := ix.selectColumns(chosen, acc, ms, question)
	chosen, sel = ix.fitBudget(chosen, sel, opts.TokenBudget, acc, values, ms)
	return ix.result(chosen, sel, acc, values, ms)
}

func uniq(ts []string) []string {
	seen := make(map[string]bool, len(ts))
	out := ts[:0:0]
	for _, t := range ts {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// matchValues adds valueWeight to every column holding a stored value that
// the question spells (as a phrase of up to maxValueWords words). Rarer
// values weigh more, and longer phrases more than single words.
func (ix *Index) matchValues(question string, acc []float32, touched *[]int32) map[int32]string {
	ws := valueWords(question)
	reasons := map[int32]string{}
	for n := min(ix.maxValN, len(ws)); n >= 1; n-- {
		for i := 0; i+n <= len(ws); i++ {
			refs := ix.values[strings.Join(ws[i:i+n], " ")]
			if len(refs) == 0 {
				continue
			}
			w := float32(valueWeight) * (1 + 0.25*float32(n-1)) / float32(len(refs))
			if n == 1 {
				w *= 0.5 // a single word is weaker evidence than a phrase
			}
			for _, r := range refs {
				if _, seen := reasons[r.col]; seen {
					continue
				}
				if acc[r.col] == 0 {
					*touched = append(*touched, r.col)
				}
				acc[r.col] += w
				reasons[r.col] = r.value
			}
		}
	}
	return reasons
}

// chosenTable is a table on its way into the Link.
type chosenTable struct {
	table  int32
	score  float32
	reason string
}

// choose takes the ranked tables reaching relativeCut of the best, up to
// maxTables, then the tables whose name the question spells as a word
// ("patients" → Patient) while fewer than maxTables are chosen, then every
// table the question names with certainty.
func (ix *Index) choose(ranked []*tableScore, scores []tableScore, forced, worded map[int32]bool, maxTables int) []chosenTable {
	var out []chosenTable
	in := map[int32]bool{}
	for _, s := range ranked {
		if len(out) == maxTables || s.total < relativeCut*ranked[0].total {
			break
		}
		in[s.table] = true
		out = append(out, chosenTable{table: s.table, score: s.total, reason: ix.reason(s)})
	}
	var named, spelled []chosenTable
	for i := range scores {
		s := &scores[i]
		switch {
		case in[s.table]:
		case forced[s.table]:
			named = append(named, chosenTable{table: s.table, score: s.total, reason: "named"})
		case worded[s.table]:
			spelled = append(spelled, chosenTable{table: s.table, score: s.total, reason: "name"})
		}
	}
	byScore(spelled)
	out = append(out, spelled[:min(len(spelled), max(0, maxTables-len(out)))]...)
	byScore(named)
	return append(out, named...)
}

// byScore sorts chosen tables best first, then in catalog order.
func byScore(named []chosenTable) {
	sort.Slice(named, func(i, j int) bool {
		if named[i].score != named[j].score {
			return named[i].score > named[j].score
		}
		return named[i].table < named[j].table
	})
}

// tablesInWords finds the tables whose name (or its singular) the question
// spells as a word or two adjacent words: "patients" → Patient, "zip
// codes" → zip_code, "superheroes" → superhero.
func (ix *Index) tablesInWords(question string) map[int32]bool {
	var out map[int32]bool
	add := func(k string) {
		for _, t := range ix.tabWord[k] {
			if out == nil {
				out = map[int32]bool{}
			}
			out[t] = true
		}
	}
	prev := ""
	for _, run := range text.Runs(question) {
		for _, w := range run {
			if text.IsStopword(w) || isNumber(w) {
				prev = ""
				continue
			}
			add(w)
			add(text.Stem(w))
			if len(w) > 4 && strings.HasSuffix(w, "es") {
				add(w[:len(w)-2]) // superheroes → superhero, which stem leaves alone
			}
			if prev != "" {
				add(prev + w)
				add(text.Stem(prev + w))
			}
			prev = w
		}
	}
	return out
}

// reason names the strongest piece of evidence for a table.
func (ix *Index) reason(s *tableScore) string {
	switch {
	case s.value != "" && s.valueS >= s.tab && s.valueS >= s.top[0]*0.5:
		c := ix.cols[s.topColOf(s.valueS)]
		return fmt.Sprintf("value %q in %s.%s", s.value, ix.tables[c.table].qname, c.name)
	case s.tab >= s.top[0]:
		return "name"
	}
	return fmt.Sprintf("column %q", ix.cols[s.topCol[0]].name)
}

func (s *tableScore) topColOf(v float32) int32 {
	for k, x := range s.top {
		if x == v {
			return s.topCol[k]
		}
	}
	return s.topCol[0]
}
