package offline

import (
	"strings"
	"unicode"
)

// EnglishOnly is the abstention for a question in another language: the
// grammar words the engine reads are English ones.
const EnglishOnly = "the offline engine understands English only; configure a model"

// NotEnglish reports whether question reads as another language than
// English, for a caller with no schema at hand that must not call it
// off-topic: letters of another script, accented letters outside the
// grammar, or two words or more of which none is an English grammar or
// filler word.
func NotEnglish(question string) bool {
	toks := tokenize(question)
	var unknown []string
	for _, t := range toks {
		if w := strings.ToLower(t.raw); t.kind == tokWord && !fillers[w] && !keywordWords[w] {
			unknown = append(unknown, t.raw)
		}
	}
	return foreignLetters(toks, unknown) || words(toks) >= 2 && len(unknown) == words(toks)
}

// notEnglish reports whether a question the engine could not map reads as
// another language: foreign letters, or more than two thirds of its words
// unmapped (English questions about the wrong data still hit grammar and
// filler words).
func notEnglish(toks []token, unexplained []string) bool {
	n := words(toks)
	return foreignLetters(toks, unexplained) || n >= 2 && 3*len(unexplained) > 2*n
}

// foreignLetters reports letters of another script than Latin outside
// quotes, or an accented Latin letter in a word the engine could not map
// ("Cuántos", "für").
func foreignLetters(toks []token, unexplained []string) bool {
	for _, t := range toks {
		if t.kind != tokWord {
			continue
		}
		for _, r := range t.raw {
			if unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r) {
				return true
			}
		}
	}
	for _, w := range unexplained {
		for _, r := range w {
			if r > unicode.MaxASCII && unicode.Is(unicode.Latin, r) {
				return true
			}
		}
	}
	return false
}

// words counts the word tokens of a question.
func words(toks []token) int {
	n := 0
	for _, t := range toks {
		if t.kind == tokWord {
			n++
		}
	}
	return n
}
