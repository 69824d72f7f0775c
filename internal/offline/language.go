package offline

import "unicode"

// englishOnly is the abstention for a question in another language: the
// grammar words the engine reads are English ones.
const englishOnly = "the offline engine understands English only; configure a model"

// notEnglish reports whether a question the engine could not map reads as
// another language: letters of another script outside quotes, an accented
// letter in a word it could not map, or more than two thirds of its words
// unmapped (English questions about the wrong data still hit grammar and
// filler words).
func notEnglish(toks []token, unexplained []string) bool {
	words := 0
	for _, t := range toks {
		if t.kind != tokWord {
			continue
		}
		words++
		for _, r := range t.raw {
			if unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r) {
				return true
			}
		}
	}
	for _, w := range unexplained {
		for _, r := range w {
			if r > unicode.MaxASCII && unicode.Is(unicode.Latin, r) {
				return true // "Cuántos", "für"
			}
		}
	}
	return words >= 2 && 3*len(unexplained) > 2*words
}
