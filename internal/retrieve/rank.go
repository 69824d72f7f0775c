package retrieve

import "sort"

// scratch is the per-call working memory of Link, reused through a
// sync.Pool: score accumulators over all columns and tables would
// otherwise cost a megabyte of allocation per call on a large catalog.
type scratch struct {
	acc     []float32 // column scores; zero outside touched
	touched []int32   // columns with a score
	slot    []int32   // table → 1 + index into scores, 0 = none
	tacc    []float32 // table document scores; zero outside ttouched
	ttouch  []int32
	scores  []tableScore
}

// reset zeroes what the call wrote, so the next call starts clean.
func (sc *scratch) reset() {
	for _, c := range sc.touched {
		sc.acc[c] = 0
	}
	for _, t := range sc.ttouch {
		sc.tacc[t] = 0
	}
	for i := range sc.scores {
		sc.slot[sc.scores[i].table] = 0
	}
	sc.touched, sc.ttouch, sc.scores = sc.touched[:0], sc.ttouch[:0], sc.scores[:0]
}

// tableScores gathers, for every table a touched column or the table's own
// document belongs to, its best columns and its table score, in sc.scores.
func (ix *Index) tableScores(sc *scratch, qterms []string, values map[int32]string, ms mentionSet) []tableScore {
	acc, slot, pool := sc.acc, sc.slot, sc.scores[:0]
	get := func(t int32) *tableScore {
		if slot[t] == 0 {
			pool = append(pool, tableScore{table: t})
			slot[t] = int32(len(pool))
		}
		return &pool[slot[t]-1]
	}
	colTable := ix.colTable
	for _, c := range sc.touched {
		s := get(colTable[c])
		v := acc[c]
		if ix.refCol[c] && (len(ms.cols) == 0 || ms.cols[c] == 0) {
			v *= fkDamp // its words name the table it refers to
		}
		s.addColumn(c, v)
		if len(values) > 0 {
			if v, ok := values[c]; ok && acc[c] > s.valueS {
				s.value, s.valueS = v, acc[c]
			}
		}
	}
	sc.ttouch = ix.tabIx.score(qterms, sc.tacc, sc.ttouch[:0])
	for _, t := range sc.ttouch {
		get(t).tab = sc.tacc[t]
	}
	sc.scores = pool
	for i := range pool {
		s := &pool[i]
		s.total = tableWeight * s.tab
		w := float32(1)
		for _, v := range s.top {
			s.total += w * v
			w *= columnDecay
		}
	}
	return pool
}

// rank orders tables by score, best first, ties by catalog order. With a
// limit it returns only the limit best that pass the relative cut, kept by
// insertion into a short sorted list, which spares sorting the thousands of
// weak matches a large catalog yields; 0 ranks every scored table.
func rank(scores []tableScore, limit int) []*tableScore {
	if limit <= 0 {
		out := make([]*tableScore, 0, len(scores))
		for i := range scores {
			if scores[i].total > 0 {
				out = append(out, &scores[i])
			}
		}
		sort.Slice(out, func(i, j int) bool { return better(out[i], out[j]) })
		return out
	}
	var best float32
	for i := range scores {
		best = max(best, scores[i].total)
	}
	floor := relativeCut * best
	out := make([]*tableScore, 0, limit+1)
	for i := range scores {
		s := &scores[i]
		if s.total <= 0 || s.total < floor {
			continue
		}
		if len(out) == limit && !better(s, out[limit-1]) {
			continue
		}
		k := len(out)
		if k < limit {
			out = append(out, s)
		} else {
			k = limit - 1
		}
		for k > 0 && better(s, out[k-1]) {
			out[k] = out[k-1]
			k--
		}
		out[k] = s
	}
	return out
}

// better orders tables by score, then by catalog order.
func better(a, b *tableScore) bool {
	if a.total != b.total {
		return a.total > b.total
	}
	return a.table < b.table
}
