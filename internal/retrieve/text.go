package retrieve

import (
	"strings"
	"unicode"
)

// stopwords are words that carry no schema signal in a question. Words such
// as "name", "date" or "count" are kept: they often are column names.
var stopwords = map[string]bool{
	"a": true, "an": true, "the": true, "of": true, "in": true, "on": true, "at": true, "to": true,
	"for": true, "by": true, "with": true, "and": true, "or": true, "is": true, "are": true, "was": true,
	"were": true, "be": true, "been": true, "has": true, "have": true, "had": true, "do": true, "does": true,
	"did": true, "what": true, "which": true, "who": true, "whom": true, "whose": true, "how": true,
	"many": true, "much": true, "list": true, "show": true, "give": true, "find": true, "tell": true,
	"me": true, "all": true, "each": true, "every": true, "that": true, "this": true, "these": true,
	"those": true, "it": true, "its": true, "their": true, "there": true, "from": true, "as": true,
	"than": true, "then": true, "please": true, "return": true, "i": true, "we": true, "you": true,
	"they": true, "them": true, "s": true, "not": true, "no": true, "any": true, "some": true,
	"where": true, "when": true, "between": true, "among": true, "also": true, "into": true, "if": true,
	"t1": true, "t2": true, "t3": true, "t4": true, "refer": true, "refers": true, "mean": true, "means": true,
	"e": true, "g": true, "eg": true, "etc": true, "should": true, "can": true, "could": true, "would": true,
}

// splitWords breaks text into lower-case words at every non-alphanumeric
// character, at lower→upper case changes (camelCase), at the end of an
// acronym (HTTPServer → http, server) and between letters and digits.
// It returns the words grouped by identifier run: a run is a maximal span
// of letters, digits and underscores, so "customer_id" and "CustomerID" are
// one run of two words each.
func splitWords(s string) [][]string {
	var runs [][]string
	var run []string
	var word []rune
	flushWord := func() {
		if len(word) > 0 {
			run = append(run, strings.ToLower(string(word)))
			word = word[:0]
		}
	}
	flushRun := func() {
		flushWord()
		if len(run) > 0 {
			runs = append(runs, run)
			run = nil
		}
	}
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case r == '_':
			flushWord()
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if len(word) > 0 && boundary(rs, i) {
				flushWord()
			}
			word = append(word, r)
		case r == '\'' && i > 0 && i+1 < len(rs) && unicode.IsLetter(rs[i-1]) && unicode.IsLetter(rs[i+1]):
			// possessive or contraction: "customer's" → "customer", "s"
			flushWord()
		default:
			flushRun()
		}
	}
	flushRun()
	return runs
}

// IdentWords splits an identifier or a phrase such as "Song_release_year",
// "HeadOfState" or "customer's" into its lower-case words, the way the
// index does; other packages (the offline engine) use it to read schema
// names exactly as retrieval reads them.
func IdentWords(s string) []string {
	var out []string
	for _, run := range splitWords(s) {
		out = append(out, run...)
	}
	return out
}

// boundary reports whether a word ends before rs[i].
func boundary(rs []rune, i int) bool {
	prev, cur := rs[i-1], rs[i]
	switch {
	case unicode.IsDigit(prev) != unicode.IsDigit(cur):
		return true
	case unicode.IsLower(prev) && unicode.IsUpper(cur):
		return true
	case unicode.IsUpper(prev) && unicode.IsUpper(cur) && i+1 < len(rs) && unicode.IsLower(rs[i+1]):
		return true
	}
	return false
}

// stem folds plurals and a few common suffixes so that "orders", "ordered"
// and "order" meet. It is deliberately light: a wrong merge costs more
// precision in a schema than a missed one.
func stem(w string) string {
	n := len(w)
	if n <= 3 || !isAlpha(w) {
		return w
	}
	switch {
	case strings.HasSuffix(w, "ies") && n > 4:
		return w[:n-3] + "y"
	case strings.HasSuffix(w, "sses"), strings.HasSuffix(w, "shes"), strings.HasSuffix(w, "ches"), strings.HasSuffix(w, "xes"):
		return w[:n-2]
	case strings.HasSuffix(w, "ss"), strings.HasSuffix(w, "us"), strings.HasSuffix(w, "is"):
		return w
	case strings.HasSuffix(w, "s"):
		return w[:n-1]
	case strings.HasSuffix(w, "ing") && n > 5:
		return w[:n-3]
	case strings.HasSuffix(w, "ed") && n > 4 && !strings.HasSuffix(w, "eed"):
		return w[:n-2]
	}
	return w
}

func isAlpha(w string) bool {
	for _, r := range w {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// terms analyses text for the index and for questions alike: words are
// split and stemmed, stopwords dropped, and each multi-word identifier run
// also yields its joined form ("CustomerID" → customer, id, customerid), so
// a question that spells the identifier verbatim matches it exactly.
func terms(s string) []string {
	var out []string
	for _, run := range splitWords(s) {
		for _, w := range run {
			if !stopwords[w] {
				out = append(out, stem(w))
			}
		}
		if len(run) > 1 && len(run) <= 4 {
			out = append(out, stem(strings.Join(run, "")))
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
	for _, run := range splitWords(s) {
		for _, w := range run {
			if stopwords[w] || isNumber(w) {
				prev = ""
				continue
			}
			if prev != "" {
				out = append(out, stem(prev+w))
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
	for _, run := range splitWords(s) {
		for _, w := range run {
			out = append(out, stem(w))
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

// ValueTerms analyses a stored value as value matching does: split and
// stemmed, stopwords kept.
func ValueTerms(s string) []string { return valueWords(s) }
