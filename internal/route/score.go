package route

import (
	"math"
	"sort"

	"github.com/askdb/askdb/internal/retrieve"
)

// Candidate is one source's standing for a question.
type Candidate struct {
	Source string  `json:"source"`
	Score  float64 `json:"score"`
	// Tables are the source's best-matching tables: the evidence.
	Tables []string `json:"tables,omitempty"`
	// Terms are the question's words the source matched, strongest first.
	Terms []string `json:"terms,omitempty"`
}

// tableWeight is how much the best single table adds to a source's
// coverage of the question: a question is usually about one table or a
// few joined ones, so words found together in one table count more than
// the same words scattered across a large catalog.
const tableWeight = 0.5

// evidenceTables is how many matching tables a candidate names.
const evidenceTables = 3

// scratch is one question's per-table accumulator, reused across questions.
type scratch struct {
	acc     []float32
	touched []int32
}

// queryTerm is a question term with its weight across sources.
type queryTerm struct {
	term string
	idf  float64
}

// Rank scores every source for question and returns them best first;
// sources that match nothing are left out.
func (r *Router) Rank(question string) []Candidate {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.rank(r.queryTerms(question), nil)
}

// queryStopwords are words of how a question is asked (sorting,
// aggregates, comparisons) rather than of what it is about: many schemas
// hold them ("order", "total") by chance, so they say nothing about which
// source to use. Terms are stemmed, as retrieval stems them.
var queryStopwords = map[string]bool{
	"order": true, "sort": true, "ascend": true, "descend": true, "alphabetical": true, "alphabetically": true,
	"most": true, "least": true, "popular": true, "common": true, "frequent": true, "often": true,
	"total": true, "average": true, "sum": true, "count": true, "maximum": true, "minimum": true,
	"highest": true, "lowest": true, "largest": true, "smallest": true, "distinct": true, "different": true,
}

// idf is a term's weight when df of the n sources hold it.
func idf(n, df float64) float64 { return math.Log(1 + (n-df+0.5)/(df+0.5)) }

// unit is the weight of a word that one source alone holds, in a
// comment: the scale of Options.MinScore.
func (r *Router) unit() float64 { return idf(float64(len(r.order)), 1) * weightComment }

// queryTerms analyses the question once; a term no source holds is dropped.
func (r *Router) queryTerms(question string) []queryTerm {
	n := float64(len(r.order))
	seen := map[string]bool{}
	var out []queryTerm
	for _, t := range retrieve.Terms(question) {
		if seen[t] || queryStopwords[t] {
			continue
		}
		seen[t] = true
		df := float64(r.df[t])
		if df == 0 {
			out = r.standIns(out, t, seen, n)
			continue
		}
		out = append(out, queryTerm{t, idf(n, df)})
	}
	return out
}

// standIns adds the synonyms of t, a word no source holds, that some
// source does hold, discounted.
func (r *Router) standIns(out []queryTerm, t string, seen map[string]bool, n float64) []queryTerm {
	for _, s := range synonyms[t] {
		if df := float64(r.df[s]); df > 0 && !seen[s] {
			seen[s] = true
			out = append(out, queryTerm{s, synonymDiscount * idf(n, df)})
		}
	}
	return out
}

func (r *Router) rank(qs []queryTerm, allowed func(string) bool) []Candidate {
	sc := r.scratch()
	defer r.pool.Put(sc)
	var out []Candidate
	for _, seg := range r.order {
		if allowed != nil && !allowed(seg.name) {
			continue
		}
		cov := 0.0
		for _, q := range qs {
			info := seg.terms[q.term]
			if info == nil {
				continue
			}
			cov += q.idf * float64(info.best)
			for _, p := range info.tables {
				i := seg.base + p.table
				if sc.acc[i] == 0 {
					sc.touched = append(sc.touched, i)
				}
				sc.acc[i] += float32(q.idf) * p.w
			}
		}
		if cov == 0 {
			continue
		}
		best := 0.0
		for _, i := range sc.touched {
			best = max(best, float64(sc.acc[i]))
		}
		c := Candidate{Source: seg.name, Score: (cov + tableWeight*best)}
		c.Tables = topTables(seg, sc)
		sc.reset()
		out = append(out, c)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	return out
}

func (r *Router) scratch() *scratch {
	sc, _ := r.pool.Get().(*scratch)
	if sc == nil {
		sc = &scratch{}
	}
	if len(sc.acc) < int(r.total) {
		sc.acc = make([]float32, r.total)
	}
	return sc
}

func (sc *scratch) reset() {
	for _, i := range sc.touched {
		sc.acc[i] = 0
	}
	sc.touched = sc.touched[:0]
}

// topTables names the best evidenceTables tables among those touched.
func topTables(seg *segment, sc *scratch) []string {
	var top [evidenceTables]int32
	n := 0
	for _, i := range sc.touched {
		j := n
		if n < evidenceTables {
			n++
		} else if sc.acc[i] <= sc.acc[top[n-1]] {
			continue
		} else {
			j = n - 1
		}
		for j > 0 && sc.acc[top[j-1]] < sc.acc[i] {
			top[j] = top[j-1]
			j--
		}
		top[j] = i
	}
	out := make([]string, n)
	for k := 0; k < n; k++ {
		out[k] = seg.tables[top[k]-seg.base]
	}
	return out
}
