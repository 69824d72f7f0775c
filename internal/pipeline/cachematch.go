package pipeline

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/askdb/askdb/internal/retrieve"
	"github.com/askdb/askdb/internal/store"
	"github.com/askdb/askdb/internal/text"
)

// Ways a cache entry matched a question (CacheHit.By).
const (
	cacheByRepeat    = "repeat"
	cacheByTemplate  = "template"
	cacheByEmbedding = "embedding"
	cacheByLexical   = "lexical"
)

// quotedRE is a SQL string literal, with ” for a quote inside.
var quotedRE = regexp.MustCompile(`'(?:[^']|'')*'`)

// stopwordWeight is what a stop word counts in the lexical similarity:
// "how many" and "list" carry the question's shape, so they count, but
// less than the words that name data.
const stopwordWeight = 0.25

// matchCache finds the entry q may reuse and the SQL to run. A repeat or
// a template match goes through the bank's matcher, so another value is
// substituted into the SQL or the entry is not used at all. Otherwise the
// most similar paraphrase at or above the threshold is used, and only when
// it mentions the same values as q.
func (r *run) matchCache(ctx context.Context, q string, entries []store.CacheEntry) (CacheHit, string, bool) {
	if len(entries) == 0 {
		return CacheHit{}, "", false
	}
	bank := make([]BankEntry, len(entries))
	byID := make(map[string]store.CacheEntry, len(entries))
	for i, e := range entries {
		bank[i] = BankEntry{ID: e.ID, Question: e.Question, SQL: e.SQL}
		byID[e.ID] = e
	}
	if bh, sql, ok := matchBank(q, bank, r.values); ok {
		e := byID[bh.Entry.ID]
		by := cacheByRepeat
		if bh.Template {
			by = cacheByTemplate
		}
		return CacheHit{EntryID: e.ID, Question: e.Question, Similarity: 1, By: by, Substituted: bh.Substituted, CachedAt: e.CreatedAt}, sql, true
	}
	qv, qs := r.questionVector(ctx, q), stems(q)
	var best CacheHit
	var bestSQL string
	for _, e := range entries {
		sim, by := stemSimilarity(qs, stems(e.Question)), cacheByLexical
		if qv != nil && len(e.Embedding) == len(qv) {
			sim, by = retrieve.Cosine(qv, e.Embedding), cacheByEmbedding
		}
		if sim < r.p.opts.Cache.Similarity || sim <= best.Similarity || !sameMentions(q, e.Question, e.SQL, r.values) {
			continue
		}
		best = CacheHit{EntryID: e.ID, Question: e.Question, Similarity: sim, By: by, CachedAt: e.CreatedAt}
		bestSQL = e.SQL
	}
	return best, bestSQL, bestSQL != ""
}

// questionVector embeds q once per run; nil without an Embedder or when
// the call fails (the lexical match stands in).
func (r *run) questionVector(ctx context.Context, q string) []float32 {
	if r.p.opts.Embedder == nil || r.qvecTried {
		return r.qvec
	}
	r.qvecTried = true
	vecs, _, err := r.p.opts.Embedder.Embed(ctx, []string{q})
	if err != nil || len(vecs) != 1 {
		r.p.opts.Logger.Warn("semantic cache: embedding the question failed; matching words instead", "err", err)
		return nil
	}
	r.qvec = vecs[0]
	return r.qvec
}

// lexicalSimilarity is the weighted Jaccard similarity of the questions'
// stemmed words, stop words counting stopwordWeight.
func lexicalSimilarity(a, b string) float64 { return stemSimilarity(stems(a), stems(b)) }

func stemSimilarity(wa, wb map[string]bool) float64 {
	var inter, union float64
	for w := range wa {
		if wb[w] {
			inter += wordWeight(w)
		}
		union += wordWeight(w)
	}
	for w := range wb {
		if !wa[w] {
			union += wordWeight(w)
		}
	}
	if union == 0 {
		return 0
	}
	return inter / union
}

func stems(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range text.Words(s) {
		out[text.Stem(w)] = true
	}
	return out
}

func wordWeight(w string) float64 {
	if text.IsStopword(w) {
		return stopwordWeight
	}
	return 1
}

// sameMentions is the template-literal safety for a paraphrase: q must
// mention the same values as the cached question (numbers, quoted strings,
// stored values and capitalised names), and every word of the cached
// SQL's literals that the cached question said must be in q too, so that
// "in Spain" never reuses the SQL written for "in France".
func sameMentions(q, cachedQ, sql string, values map[string]string) bool {
	if !slices.Equal(mentions(q, values), mentions(cachedQ, values)) {
		return false
	}
	said, asked := wordSet(cachedQ), wordSet(q)
	for _, lit := range sqlLiterals(sql) {
		for _, w := range text.Words(lit) {
			if said[w] && !asked[w] {
				return false
			}
		}
	}
	return true
}

// mentions are a question's literals (template) and the capitalised words
// after its first, lower-cased, sorted and without repeats.
func mentions(q string, values map[string]string) []string {
	_, lits := template(q, values)
	var out []string
	for _, l := range lits {
		out = append(out, strings.ToLower(l))
	}
	for i, w := range strings.Fields(q) {
		w = strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if i > 0 && w != "" && unicode.IsUpper([]rune(w)[0]) {
			out = append(out, strings.ToLower(w))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func wordSet(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range text.Words(s) {
		out[w] = true
	}
	return out
}

// sqlLiterals are the string and number literals of sql, leaving out the
// final LIMIT (a row cap, not a value from the question).
func sqlLiterals(sql string) []string {
	rest := finalLimitRE.ReplaceAllString(sql, "")
	var out []string
	for _, m := range quotedRE.FindAllString(rest, -1) {
		out = append(out, strings.Trim(m, "'"))
	}
	return append(out, sqlNumberRE.FindAllString(quotedRE.ReplaceAllString(rest, " "), -1)...)
}
