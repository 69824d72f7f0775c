package eval

import (
	"regexp"
	"strings"

	"github.com/askdb/askdb/internal/pipeline"
	"github.com/askdb/askdb/internal/text"
)

// bankItem is a dataset question held as a verified example of its
// database, with what the similarity below compares.
type bankItem struct {
	q        Question
	skeleton map[string]bool
	words    map[string]bool
}

// questionBanks holds every question of ds as a verified example of its
// database, as a question bank grown from answered questions would.
func questionBanks(ds *Dataset) map[string][]bankItem {
	out := map[string][]bankItem{}
	for _, q := range ds.Questions {
		out[q.DB] = append(out[q.DB], bankItem{q: q, skeleton: sqlSkeleton(q.SQL), words: wordSet(q.Question)})
	}
	return out
}

// examplesFor returns q's database bank without q itself (nor another
// copy of its question), and the candidate most similar to q: the closest
// gold SQL skeleton, then the most shared question words. The similarity
// uses q's gold SQL, which the pipeline never sees: it names the example
// an ideal selector would show.
func examplesFor(items []bankItem, q Question) ([]pipeline.BankEntry, *Question) {
	if len(items) == 0 {
		return nil, nil
	}
	sk, words := sqlSkeleton(q.SQL), wordSet(q.Question)
	bank := make([]pipeline.BankEntry, 0, len(items))
	var best *Question
	bestSk, bestWords := -1.0, -1.0
	for i := range items {
		it := &items[i]
		if it.q.ID == q.ID || strings.EqualFold(strings.TrimSpace(it.q.Question), strings.TrimSpace(q.Question)) {
			continue
		}
		bank = append(bank, pipeline.BankEntry{Question: it.q.Question, SQL: it.q.SQL, Origin: "dataset"})
		s, w := text.Jaccard(sk, it.skeleton), text.Jaccard(words, it.words)
		if s > bestSk || s == bestSk && w > bestWords {
			best, bestSk, bestWords = &it.q, s, w
		}
	}
	return bank, best
}

var (
	skeletonLiteral = regexp.MustCompile(`'(?:[^']|'')*'|"(?:[^"]|"")*"|\b\d+(?:\.\d+)?\b`)
	skeletonToken   = regexp.MustCompile(`[a-z_][a-z0-9_]*|[^\sa-z0-9_]`)
	questionWord    = regexp.MustCompile(`[\pL\pN]+`)
)

// sqlSkeleton is the set of a query's keywords, names and punctuation with
// its constants masked, so that "country = 'France'" and "country =
// 'Spain'" have the same skeleton.
func sqlSkeleton(sql string) map[string]bool {
	masked := skeletonLiteral.ReplaceAllString(strings.ToLower(sql), " ? ")
	out := map[string]bool{}
	for _, t := range skeletonToken.FindAllString(masked, -1) {
		out[t] = true
	}
	return out
}

func wordSet(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range questionWord.FindAllString(strings.ToLower(s), -1) {
		out[w] = true
	}
	return out
}
