package offline

import "fmt"

// Caps for the inferences an answer may need (see doubt). Each doubt
// lowers the confidence; the weakest one counts most.
const (
	capDerived  = 0.85 // a value derived by a fixed rule: age from a birth date, "spent" as a sum
	capLinkPath = 0.8  // a join path chosen because it goes through a link table
	capGuess    = 0.75 // a word with two readings, such as "total" read as a column
	capChoice   = 0.7  // a choice among alternatives: a column found in several tables
)

// doubt is one inference that lowers the confidence of an answer.
type doubt struct {
	cap float64
	why string
}

func (a *analyzer) doubt(cap float64, format string, args ...any) {
	a.doubts = append(a.doubts, doubt{cap: cap, why: fmt.Sprintf(format, args...)})
}

// features are what the confidence of an answer is computed from: how
// far the SQL had to go beyond the words of the question.
type features struct {
	joins     int     // joins along foreign keys
	bareJoins int     // joined tables none of whose columns is used
	all       bool    // SELECT *
	allAsked  bool    // the question asked for all the information
	shown     int     // output columns
	fanOut    bool    // DISTINCT because a join reaches a many side
	grouped   bool    // GROUP BY
	ordered   bool    // ORDER BY
	words     int     // words of the question
	listing   bool    // columns of every row: no filter, grouping, order or aggregate
	counting  bool    // the answer is a count of rows and nothing else
	weakest   float64 // the lowest cap among the doubts, 1 when none
}

// factor is the share of answers with one feature that were right,
// relative to answers without it, as measured on spider-train (askdb
// eval exec --dataset spider --data ../shared/datasets/spider-train
// --engine offline --calibrate --items --json, then precision per
// feature): a plain single-table answer was right 0.96 of the time, one
// join 0.77, two or more 0.66, SELECT * 0.46 (but 32 of 33 when the
// question asked for all the information, which then costs nothing), a
// join to a table none of
// whose columns is used 0.73, DISTINCT over a join 0.74, three or more
// columns 0.74, GROUP BY 0.82, ORDER BY 0.81, a question of more than 14
// words 0.81, an answer with a doubt 0.81; among the answers with none of
// these, a plain listing of every row ("show all majors", where Spider
// often wants DISTINCT) was right 0.94 of the time, the others 0.98, and
// a bare count of rows 0.985: one number leaves fewer ways to be wrong.
var factor = struct {
	base, oneJoin, manyJoins, bareJoin, all, allAsked, fanOut, wide, grouped, ordered, long, listing, counting float64
}{
	base: 0.97, oneJoin: 0.82, manyJoins: 0.7, bareJoin: 0.9, all: 0.5, allAsked: 1,
	fanOut: 0.9, wide: 0.93, grouped: 0.96, ordered: 0.95, long: 0.95, listing: 0.96,
	counting: 1.01,
}

// longQuestion is the number of words past which a question is long.
const longQuestion = 14

// score is the confidence of an answer with features f, in [0, 1].
func score(f features) float64 {
	c := factor.base
	switch {
	case f.joins == 1:
		c *= factor.oneJoin
	case f.joins > 1:
		c *= factor.manyJoins
	}
	if f.bareJoins > 0 {
		c *= factor.bareJoin
	}
	switch {
	case f.all && f.allAsked:
		c *= factor.allAsked
	case f.all:
		c *= factor.all
	}
	if f.fanOut {
		c *= factor.fanOut
	}
	if f.shown >= 3 {
		c *= factor.wide
	}
	if f.grouped {
		c *= factor.grouped
	}
	if f.ordered {
		c *= factor.ordered
	}
	if f.listing {
		c *= factor.listing
	}
	if f.counting {
		c *= factor.counting
	}
	if f.words > longQuestion {
		c *= factor.long
	}
	if f.weakest < 1 {
		// a doubt costs in proportion to how weak it is: capChoice (0.7)
		// keeps 0.85 of the confidence, capDerived (0.85) 0.93.
		c *= (1 + f.weakest) / 2
	}
	return max(0, min(1, c))
}

// measure collects the features of a planned query.
func (lx *lexicon) measure(q *query, steps []fkStep, rs []resolved, words int, ds []doubt) features {
	f := features{joins: len(steps), all: q.all, shown: len(q.sel), fanOut: !q.all && fansOut(q, steps),
		grouped: len(q.group) > 0, ordered: len(q.order) > 0, words: words, weakest: 1,
		listing: !q.all && len(q.where) == 0 && len(q.anti) == 0 && len(q.group) == 0 && len(q.order) == 0 && q.having == nil}
	f.counting = len(q.sel) > 0 && len(q.group) == 0
	for _, s := range q.sel {
		if s.agg != "" || s.star {
			f.listing = false
		}
		if !s.star {
			f.counting = false
		}
	}
	for _, r := range rs {
		if r.kw == kwAll {
			f.allAsked = true
		}
	}
	for _, d := range ds {
		f.weakest = min(f.weakest, d.cap)
	}
	used := map[int]bool{q.subject: true}
	for _, s := range q.sel {
		if !s.star {
			used[s.col.table] = true
		} else if s.col.col == -1 && s.col.table >= 0 {
			used[s.col.table] = true // count(*) of a named table
		}
	}
	for _, w := range q.where {
		used[w.col.table] = true
	}
	for _, g := range q.group {
		used[g.table] = true
	}
	for _, o := range q.order {
		if !o.expr.star {
			used[o.expr.col.table] = true
		}
	}
	if q.having != nil {
		used[q.having.col.table] = true
	}
	for _, s := range steps {
		if !used[s.to] && !lx.passesThrough(s.to, steps) {
			f.bareJoins++
		}
	}
	return f
}

// passesThrough reports whether table t only links two other joined
// tables: a step leaves it again.
func (lx *lexicon) passesThrough(t int, steps []fkStep) bool {
	for _, s := range steps {
		if s.from == t {
			return true
		}
	}
	return false
}
