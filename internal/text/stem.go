package text

import (
	"strings"
	"unicode"
)

// Stem folds plurals and a few common suffixes so that "orders", "ordered"
// and "order" meet. It is deliberately light: a wrong merge costs more
// precision in a schema than a missed one. Words of three letters or
// fewer, and words with digits, are left alone ("hrs" is not "hr").
// Retrieval, the knowledge layer, metrics and the question bank use it.
func Stem(w string) string {
	if s, done := foldPlural(w); done {
		return s
	}
	n := len(w)
	switch {
	case strings.HasSuffix(w, "ing") && n > 5:
		return w[:n-3]
	case strings.HasSuffix(w, "ed") && n > 4 && !strings.HasSuffix(w, "eed"):
		return w[:n-2]
	}
	return w
}

// Singular folds plurals only ("countries" → country, "boxes" → box), plus
// "ids" → id, the one short plural that matters in a schema. It is Stem
// without the -ing and -ed rules, for the offline engine, which reads
// verbs and participles ("ordered", "living") as grammar, so it must not
// fold them into nouns.
func Singular(w string) string {
	if w == "ids" {
		return "id"
	}
	s, _ := foldPlural(w)
	return s
}

// foldPlural applies the plural rules Stem and Singular share. done reports
// that the word is settled (too short, has digits, or a plural rule
// matched or protects it), so no further rule may apply.
func foldPlural(w string) (s string, done bool) {
	n := len(w)
	if n <= 3 || !isAlpha(w) {
		return w, true
	}
	switch {
	case strings.HasSuffix(w, "ies") && n > 4:
		return w[:n-3] + "y", true
	case strings.HasSuffix(w, "sses"), strings.HasSuffix(w, "shes"), strings.HasSuffix(w, "ches"), strings.HasSuffix(w, "xes"):
		return w[:n-2], true
	case strings.HasSuffix(w, "ss"), strings.HasSuffix(w, "us"), strings.HasSuffix(w, "is"):
		return w, true
	case strings.HasSuffix(w, "s"):
		return w[:n-1], true
	}
	return w, false
}

func isAlpha(w string) bool {
	for _, r := range w {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

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

// IsStopword reports whether the lower-case word w carries no schema
// signal in a question ("the", "how", "many", "list").
func IsStopword(w string) bool { return stopwords[w] }
