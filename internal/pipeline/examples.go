package pipeline

import (
	"regexp"
	"sort"
	"strings"

	"github.com/askdb/askdb/internal/retrieve"
	"github.com/askdb/askdb/internal/text"
)

// Few-shot examples are chosen as DAIL-SQL does: by the similarity of the
// questions with their literals masked, and by the similarity of the
// example's SQL skeleton to the skeleton the question calls for, within a
// token budget.
const (
	// promptExamples is the most verified examples the SQL prompt shows.
	promptExamples = 3
	// exampleTokens bounds the examples' share of the prompt.
	exampleTokens = 320
	// skeletonWeight weighs SQL-skeleton similarity against question
	// similarity.
	skeletonWeight = 0.35
	// minExampleScore keeps unrelated examples out: a fresh source's
	// prompt stays zero-shot rather than show noise.
	minExampleScore = 0.12
)

// pickExamples picks, from the candidates (the bank's and the knowledge
// files' verified questions; the semantic cache's answers join them as
// more BankEntry values), the examples most like q, best first, while
// they fit exampleTokens. values are the stored values masked as literals
// (Schema.Literals; nil when the caller is restricted).
func pickExamples(cands []BankEntry, q string, values map[string]string) []Example {
	if len(cands) == 0 {
		return nil
	}
	qWords := maskedWords(q, values)
	want := questionShape(q)
	type scored struct {
		e     *BankEntry
		score float64
	}
	best := make([]scored, 0, len(cands))
	for i := range cands {
		e := &cands[i]
		s := text.Jaccard(qWords, maskedWords(e.Question, values)) + skeletonWeight*text.Jaccard(want, sqlShape(e.SQL))
		if s >= minExampleScore {
			best = append(best, scored{e, s})
		}
	}
	sort.SliceStable(best, func(i, j int) bool { return best[i].score > best[j].score })
	var out []Example
	budget := exampleTokens
	for _, b := range best {
		if len(out) == promptExamples {
			break
		}
		cost := retrieve.EstimateTokens(b.e.Question) + retrieve.EstimateTokens(b.e.SQL) + 6
		if cost > budget && len(out) > 0 {
			continue
		}
		budget -= cost
		out = append(out, Example{Question: b.e.Question, SQL: b.e.SQL})
	}
	return out
}

// maskedWords are q's words with its literals (numbers, quoted strings,
// stored values) masked, so "customers in France" and "customers in
// Spain" are the same question.
func maskedWords(q string, values map[string]string) map[string]bool {
	t, _ := template(q, values)
	out := map[string]bool{}
	for _, w := range strings.Fields(normalizeQuestion(t)) {
		out[w] = true
	}
	return out
}

// shapeCues map question phrasings to the SQL constructs they call for.
var shapeCues = []struct {
	re    *regexp.Regexp
	parts []string
}{
	{regexp.MustCompile(`\b(how many|number of|count)\b`), []string{"count"}},
	{regexp.MustCompile(`\b(average|mean|avg)\b`), []string{"avg"}},
	{regexp.MustCompile(`\b(total|sum)\b`), []string{"sum"}},
	{regexp.MustCompile(`\b(maximum|max|highest|largest|biggest|oldest|latest|most|top)\b`), []string{"max|desc"}},
	{regexp.MustCompile(`\b(minimum|min|lowest|smallest|youngest|earliest|least|fewest)\b`), []string{"min|asc"}},
	{regexp.MustCompile(`\b(each|per|every|for all)\b`), []string{"group"}},
	{regexp.MustCompile(`\b(order|sort|sorted|ordered|ascending|descending|alphabetical)`), []string{"order"}},
	{regexp.MustCompile(`\b(the most|the least|the highest|the lowest|top \d+|the largest|the smallest)\b`), []string{"order", "limit"}},
	{regexp.MustCompile(`\b(not|never|without|no)\b`), []string{"not"}},
	{regexp.MustCompile(`\bboth\b`), []string{"intersect"}},
	{regexp.MustCompile(`\b(more than|greater|larger than|older than|above|over|after|at least|exceed)`), []string{">"}},
	{regexp.MustCompile(`\b(less than|fewer than|smaller than|younger than|below|under|before|at most)\b`), []string{"<"}},
	{regexp.MustCompile(`\b(distinct|different|unique)\b`), []string{"distinct"}},
	{regexp.MustCompile(`\b(contain|contains|containing|substring|includes?|start with|end with|like)\b`), []string{"like"}},
	{regexp.MustCompile(`\bbetween\b`), []string{"between"}},
}

// questionShape is the set of SQL constructs a question's words call
// for, in sqlShape's terms.
func questionShape(q string) map[string]bool {
	low := strings.ToLower(q)
	out := map[string]bool{"select": true}
	for _, c := range shapeCues {
		if c.re.MatchString(low) {
			for _, p := range c.parts {
				out[p] = true
			}
		}
	}
	return out
}

var (
	sqlLiteral = regexp.MustCompile(`'(?:[^']|'')*'|"(?:[^"]|"")*"`)
	sqlWord    = regexp.MustCompile(`[a-z_]+|[<>]=?|!=`)
)

// sqlShape is the set of constructs a query uses, its names and
// constants left out: its skeleton, in the terms questionShape predicts.
func sqlShape(sql string) map[string]bool {
	out := map[string]bool{}
	words := sqlWord.FindAllString(sqlLiteral.ReplaceAllString(strings.ToLower(sql), "?"), -1)
	for i, w := range words {
		switch w {
		case "select", "count", "avg", "sum", "group", "order", "limit", "intersect", "like", "between", "distinct", "having", "join", "union", "except":
			out[w] = true
		case "max", "desc":
			out["max|desc"] = true
		case "min", "asc":
			out["min|asc"] = true
		case "not":
			out["not"] = true
		case ">", ">=":
			out[">"] = true
		case "<", "<=":
			out["<"] = true
		}
		if w == "except" {
			out["not"] = true
		}
		if w == "select" && i > 0 {
			out["nested"] = true
		}
	}
	return out
}
