package retrieve

import (
	"strings"

	"github.com/askdb/askdb/internal/text"
)

// IdentWords splits an identifier or a phrase such as "Song_release_year",
// "HeadOfState" or "customer's" into its lower-case words, the way the
// index does (text.IdentWords); other packages (the offline engine) use it
// to read schema names exactly as retrieval reads them.
func IdentWords(s string) []string { return text.IdentWords(s) }

// terms analyses text for the index and for questions alike: words are
// split and stemmed, stopwords dropped, and each multi-word identifier run
// also yields its joined form ("CustomerID" → customer, id, customerid), so
// a question that spells the identifier verbatim matches it exactly.
func terms(s string) []string {
	var out []string
	for _, run := range text.Runs(s) {
		for _, w := range run {
			if !text.IsStopword(w) {
				out = append(out, text.Stem(w))
			}
		}
		if len(run) > 1 && len(run) <= 4 {
			out = append(out, text.Stem(strings.Join(run, "")))
		}
	}
	return out
}

// bigramTerms joins each pair of adjacent words of text into one term,
// so that "high schoolers" meets the identifier Highschooler and "zip
// code" meets zipcode. Stopwords break pairs.
func bigramTerms(s string) []string {
	var out []string
	prev := ""
	for _, run := range text.Runs(s) {
		for _, w := range run {
			if text.IsStopword(w) || isNumber(w) {
				prev = ""
				continue
			}
			if prev != "" {
				out = append(out, text.Stem(prev+w))
			}
			prev = w
		}
	}
	return out
}

// valueWords analyses text for value matching: split and stemmed, but with
// stopwords kept, since stored values ("Bank of America") contain them.
func valueWords(s string) []string {
	var out []string
	for _, run := range text.Runs(s) {
		for _, w := range run {
			out = append(out, text.Stem(w))
		}
	}
	return out
}

// EstimateTokens approximates how many prompt tokens s costs: one token per
// four bytes, rounded up. BPE tokenisers of current models average 3.5 to 4.5
// bytes per token on English text and DDL, so this is good to about ±15%,
// which is enough to budget a prompt without loading a tokeniser.
func EstimateTokens(s string) int { return tokensForBytes(len(s)) }

func tokensForBytes(n int) int { return (n + 3) / 4 }

// Terms analyses text exactly as the index does (split, stemmed,
// stopwords dropped, joined identifier runs, adjacent-word pairs), so
// that another index over the same catalogs (routing across sources)
// meets questions on the same words.
func Terms(s string) []string { return append(terms(s), bigramTerms(s)...) }
