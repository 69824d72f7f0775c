package text

import (
	"strings"
	"unicode"
)

// Words splits s into lower-case words of letters and digits: every other
// character (space, hyphen, underscore, apostrophe, punctuation) separates
// words, and case changes do not, so a phrase compares the same however
// it is typed.
func Words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// Normalize is Words joined by single spaces, so "Returns-Processing" and
// "returns processing" compare equal.
func Normalize(s string) string { return strings.Join(Words(s), " ") }

// Runs breaks text into lower-case words at every non-alphanumeric
// character, at lower→upper case changes (camelCase), at the end of an
// acronym (HTTPServer → http, server) and between letters and digits.
// It returns the words grouped by identifier run: a run is a maximal span
// of letters, digits and underscores, so "customer_id" and "CustomerID" are
// one run of two words each.
func Runs(s string) [][]string {
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
// "HeadOfState" or "customer's" into its lower-case words: Runs, flattened.
func IdentWords(s string) []string {
	var out []string
	for _, run := range Runs(s) {
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
