package offline

import (
	"github.com/askdb/askdb/internal/text"
	"strings"
	"unicode"
)

// tokKind is the lexical class of a question token.
type tokKind int

const (
	tokWord   tokKind = iota
	tokNumber         // 1990, 1000, 2.5 ($ and thousands separators removed)
	tokQuoted         // "Sky Radio"
)

// token is one unit of a question.
type token struct {
	kind tokKind
	raw  string // as written (quotes removed)
	norm string // lower-case, stemmed (words); the number text (numbers)
	cap  bool   // the word starts with an upper-case letter
	// poss marks a possessive word: "customer's", "countries'".
	poss bool
	// comma marks a token right after a comma.
	comma bool
}

// tokenize splits a question into words, numbers and quoted strings.
// Possessive "'s" is dropped; other punctuation separates tokens.
func tokenize(q string) []token {
	var out []token
	comma := -1 // index of the token a comma precedes
	rs := []rune(q)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case isQuote(r) && closeQuote(rs, i) > i:
			j := closeQuote(rs, i)
			s := strings.TrimSpace(string(rs[i+1 : j]))
			if s != "" {
				out = append(out, token{kind: tokQuoted, raw: s, norm: strings.ToLower(s)})
			}
			i = j + 1
		case unicode.IsDigit(r) || ((r == '$' || r == '-' && (i == 0 || rs[i-1] == ' ')) && i+1 < len(rs) && unicode.IsDigit(rs[i+1])):
			j := i
			if r == '$' || r == '-' {
				j++
			}
			start := j
			for j < len(rs) && (unicode.IsDigit(rs[j]) || ((rs[j] == ',' || rs[j] == '.') && j+1 < len(rs) && unicode.IsDigit(rs[j+1]))) {
				j++
			}
			num := strings.ReplaceAll(string(rs[start:j]), ",", "")
			if r == '-' {
				num = "-" + num // "between -50 and 50"
			}
			if j < len(rs) && unicode.IsLetter(rs[j]) { // 5th, 10k: a word, not a number
				for j < len(rs) && (unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j])) {
					j++
				}
				w := strings.ToLower(string(rs[i:j]))
				out = append(out, token{kind: tokWord, raw: string(rs[i:j]), norm: w})
			} else {
				out = append(out, token{kind: tokNumber, raw: string(rs[i:j]), norm: num})
			}
			i = j
		case unicode.IsLetter(r):
			j := i
			for j < len(rs) && (unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j]) || rs[j] == '-' && j+1 < len(rs) && unicode.IsLetter(rs[j+1])) {
				j++
			}
			w := string(rs[i:j])
			tk := token{kind: tokWord, raw: w, norm: text.Singular(strings.ToLower(w)), cap: unicode.IsUpper(r)}
			// possessive: customer's, customers'
			switch {
			case j+1 < len(rs) && isApostrophe(rs[j]) && (rs[j+1] == 's' || rs[j+1] == 'S') && (j+2 == len(rs) || !unicode.IsLetter(rs[j+2])):
				j += 2
				tk.poss = true
			case j < len(rs) && isApostrophe(rs[j]) && (rs[j-1] == 's' || rs[j-1] == 'S') && (j+1 == len(rs) || !unicode.IsLetter(rs[j+1])):
				tk.poss = true
			}
			out = append(out, tk)
			i = j
		default:
			if r == ',' {
				comma = len(out)
			}
			i++
		}
		if comma >= 0 && comma < len(out) {
			out[comma].comma, comma = true, -1
		}
	}
	return numberWords(out)
}

// smallNumbers are number words a question spells out ("more than one").
var smallNumbers = map[string]string{"one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
	"six": "6", "seven": "7", "eight": "8", "nine": "9", "ten": "10"}

// numberWords reads a spelled-out number as a number where it counts or
// compares ("more than two", "top three", "two or more"); elsewhere "one"
// stays a pronoun ("the one with the most").
func numberWords(ts []token) []token {
	for i := range ts {
		n, ok := smallNumbers[strings.ToLower(ts[i].raw)]
		if !ok || ts[i].kind != tokWord {
			continue
		}
		prev, next := "", ""
		if i > 0 {
			prev = strings.ToLower(ts[i-1].raw)
		}
		if i+1 < len(ts) {
			next = strings.ToLower(ts[i+1].raw)
		}
		if prev == "than" || prev == "least" || prev == "most" || prev == "exactly" || prev == "top" || next == "or" {
			ts[i] = token{kind: tokNumber, raw: ts[i].raw, norm: n}
		}
	}
	return ts
}

func isApostrophe(r rune) bool { return r == '\'' || r == '’' }

func isQuote(r rune) bool {
	return r == '"' || r == '“' || r == '”' || r == '\'' || r == '‘' || r == '’'
}

// closeQuote returns the index of the quote closing the one at i, or -1.
// A single quote opens a string only at a word start, so that "Kyle's"
// stays a possessive.
func closeQuote(rs []rune, i int) int {
	if (rs[i] == '\'' || rs[i] == '’' || rs[i] == '‘') && i > 0 && unicode.IsLetter(rs[i-1]) {
		return -1
	}
	for j := i + 1; j < len(rs); j++ {
		if isQuote(rs[j]) {
			if (rs[j] == '\'' || rs[j] == '’') && j+1 < len(rs) && unicode.IsLetter(rs[j+1]) && unicode.IsLetter(rs[j-1]) {
				continue // an apostrophe inside the string
			}
			return j
		}
	}
	return -1
}

// phraseKey is how phrases are compared: stemmed words concatenated with
// no separator, so "high schoolers" meets "Highschooler".
func phraseKey(words []string) string {
	var b strings.Builder
	for _, w := range words {
		b.WriteString(text.Singular(w))
	}
	return b.String()
}
