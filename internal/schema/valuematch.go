package schema

import (
	"sort"
	"strings"

	"github.com/askdb/askdb/internal/text"
)

// Matching bounds: a prompt shows at most MatchesPerColumn matched values
// per column and MatchesTotal in all, best first.
const (
	MatchesPerColumn = 3
	MatchesTotal     = 24
	// minMatchScore is the share of a value's words the question must
	// match (exactly 1, by prefix 0.8, fuzzily 0.7 per word).
	minMatchScore = 0.5
	// fuzzyMin is the trigram similarity at which two words match.
	fuzzyMin = 0.5
	// commonWord is how many values a word may be in and still pick
	// values out: a commoner word adds to the score of the values a rarer
	// word picks, and a commoner trigram finds no fuzzy match. Both keep
	// a match's cost bounded on a full index.
	commonWord, commonGram = 500, 2000
)

// Matches are the stored values a question mentions, per column, best
// first.
type Matches map[ColumnKey][]string

// Match returns the indexed values the question mentions: the whole
// value as words of the question, or its words matched exactly, by
// prefix ("japan" and "Japanese") or fuzzily (trigrams, for misspellings).
func (v *Values) Match(question string) Matches {
	if v.Len() == 0 {
		return nil
	}
	nq := " " + normalizeValue(question) + " "
	weights := v.wordWeights(strings.Fields(nq))
	type cand struct {
		id    int32
		score float64
	}
	picked := map[int32]bool{}
	for w := range weights {
		if ids := v.byWord[w]; len(ids) <= commonWord {
			for _, id := range ids {
				picked[id] = true
			}
		}
	}
	var cands []cand
	for id := range picked {
		iv := &v.values[id]
		sum := 0.0
		for _, w := range iv.words {
			sum += weights[w]
		}
		score := sum / float64(len(iv.words))
		if strings.Contains(nq, " "+iv.norm+" ") {
			score = 1.5 // the whole value, as the question spells it
		}
		if score >= minMatchScore {
			cands = append(cands, cand{id, score})
		}
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].score != cands[j].score {
			return cands[i].score > cands[j].score
		}
		return cands[i].id < cands[j].id
	})
	out := Matches{}
	n := 0
	for _, c := range cands {
		iv := &v.values[c.id]
		k := v.cols[iv.col]
		if n == MatchesTotal {
			break
		}
		if len(out[k]) < MatchesPerColumn {
			out[k] = append(out[k], iv.text)
			n++
		}
	}
	return out
}

// wordWeights maps each indexed word the question's words match to how
// well it matches: 1 exactly, 0.8 by prefix, 0.7 fuzzily.
func (v *Values) wordWeights(words []string) map[string]float64 {
	out := map[string]float64{}
	set := func(w string, wt float64) {
		if wt > out[w] {
			out[w] = wt
		}
	}
	for _, q := range words {
		if stopWords[q] {
			continue
		}
		if _, ok := v.byWord[q]; ok {
			set(q, 1)
		}
		if len([]rune(q)) < 4 || strings.ContainsAny(q, "0123456789") {
			continue // short words and numbers match only exactly
		}
		// Indexed words the question word begins ("japan" in "japanese"
		// is found from "japanese" below), and those it is the start of.
		i := sort.SearchStrings(v.vocab, q)
		for j := i; j < len(v.vocab) && j < i+50 && strings.HasPrefix(v.vocab[j], q); j++ {
			set(v.vocab[j], 0.8)
		}
		for n := len(q) - 1; n >= 4; n-- {
			if _, ok := v.byWord[q[:n]]; ok {
				set(q[:n], 0.8)
			}
		}
		if len(q) >= 5 {
			v.fuzzy(q, set)
		}
	}
	return out
}

// fuzzy sets the weight of the indexed words whose trigrams are close to
// q's.
func (v *Values) fuzzy(q string, set func(string, float64)) {
	grams := trigrams(q)
	shared := make([]uint8, len(v.vocab)) // cheaper than a map on a full index
	var touched []int32
	for _, g := range grams {
		if ws := v.byGram[g]; len(ws) <= commonGram {
			for _, wi := range ws {
				if shared[wi] == 0 {
					touched = append(touched, wi)
				}
				shared[wi]++
			}
		}
	}
	for _, wi := range touched {
		n := int(shared[wi])
		w := v.vocab[wi]
		total := len(grams) + v.grams[wi] - n
		if float64(n)/float64(total) >= fuzzyMin || n >= 2 && editDistance(q, w, maxEdits(q)) <= maxEdits(q) {
			set(w, 0.7)
		}
	}
}

// maxEdits is how many typing errors a word of q's length may hold.
func maxEdits(q string) int {
	if len(q) >= 8 {
		return 2
	}
	return 1
}

// editDistance is the Levenshtein distance of a and b, or more than
// limit when it exceeds limit.
func editDistance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > limit || -d > limit {
		return limit + 1
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			best = min(best, cur[j])
		}
		if best > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// trigrams are the three-letter pieces of " w ", so short words and word
// starts count.
func trigrams(w string) []string {
	r := []rune(" " + w + " ")
	out := make([]string, 0, len(r))
	for i := 0; i+3 <= len(r); i++ {
		g := string(r[i : i+3])
		if !slicesContain(out, g) {
			out = append(out, g)
		}
	}
	return out
}

// normalizeValue lowers s and keeps its words of letters and digits, one
// space apart, so "O'Brien-Smith" and "o brien smith" compare equal.
func normalizeValue(s string) string { return text.Normalize(s) }

// stopWords never match a value on their own: they are how questions are
// asked, not what they ask about.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a an the of in on at to for from by with and or not no is are was were be been
		what which who whom whose when where how many much show list give find return tell me all each every
		that this these those there their its it as than then do does did have has had number count total
		average mean sum max min maximum minimum most least more less name names s`) {
		m[w] = true
	}
	return m
}()
