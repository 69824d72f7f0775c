package retrieve

import (
	"strings"
	"unicode"
)

// Weights of identifier mentions, added to a column's score. A question
// (or a BIRD-style evidence hint) that spells an identifier — `T1.status`,
// home_team_goal, borderColor, "Free Meal Count (K-12)" — names the column
// with near certainty; qualified by its table, with certainty.
const (
	mentionWeight   = 12.0 // an identifier-looking word equal to a column name
	qualifiedWeight = 20.0 // table.column
)

// identKey normalises an identifier for mention lookup: lower-case letters
// and digits only, so customer_id, CustomerID and "Customer ID" meet.
func identKey(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// rawToken is one piece of a question for mention detection.
type rawToken struct {
	text   string
	ident  bool // a run of letters, digits and underscores
	quoted bool // `x`, "x" or [x]
	punct  byte // for punctuation, the character
}

// rawTokens splits a question into identifier runs, quoted spans and
// single punctuation characters; spaces separate but are dropped.
func rawTokens(s string) []rawToken {
	var out []rawToken
	rs := []rune(s)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case r == '`' || r == '"' || r == '[':
			closeCh := map[rune]rune{'`': '`', '"': '"', '[': ']'}[r]
			j := i + 1
			for j < len(rs) && rs[j] != closeCh && j-i < 80 {
				j++
			}
			if j < len(rs) && rs[j] == closeCh {
				out = append(out, rawToken{text: string(rs[i+1 : j]), quoted: true})
				i = j + 1
				continue
			}
			out = append(out, rawToken{punct: byte(r)})
			i++
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_':
			j := i
			for j < len(rs) && (unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j]) || rs[j] == '_') {
				j++
			}
			out = append(out, rawToken{text: string(rs[i:j]), ident: true})
			i = j
		default:
			p := byte('?')
			if r < 128 {
				p = byte(r)
			}
			out = append(out, rawToken{punct: p})
			i++
		}
	}
	return out
}

// identLike reports whether a bare word is written as an identifier rather
// than as English: it has an underscore or an inner upper-case letter.
func identLike(w string) bool {
	if strings.Contains(strings.Trim(w, "_"), "_") {
		return true
	}
	rs := []rune(w)
	for i := 1; i < len(rs); i++ {
		if unicode.IsUpper(rs[i]) && unicode.IsLower(rs[i-1]) {
			return true
		}
	}
	return false
}

// mentionSet is what the question names outright.
type mentionSet struct {
	cols   map[int32]float32 // column → mention weight
	tables map[int32]bool    // tables named with certainty (qualified mentions)
}

// mentions finds the columns a question names as identifiers: quoted
// names, table.column, and words written as identifiers (snake_case,
// camelCase) or used as one (next to a comparison: status = 'Banned').
// A bare name shared by several tables is split among them.
func (ix *Index) mentions(question string) mentionSet {
	ms := mentionSet{cols: map[int32]float32{}, tables: map[int32]bool{}}
	toks := rawTokens(question)
	name := func(i int) bool { return i >= 0 && i < len(toks) && (toks[i].ident || toks[i].quoted) }
	punct := func(i int, set string) bool {
		return i >= 0 && i < len(toks) && toks[i].punct != 0 && strings.IndexByte(set, toks[i].punct) >= 0
	}
	for i := 0; i < len(toks); i++ {
		if !name(i) {
			continue
		}
		if punct(i+1, ".") && name(i+2) {
			ix.qualified(toks[i].text, toks[i+2].text, &ms)
			i += 2
			continue
		}
		tk := toks[i]
		strong := tk.quoted || identLike(tk.text) || punct(i+1, "=<>!") ||
			(punct(i-1, "(") && punct(i+1, ")"))
		if strong {
			ix.bare(tk.text, mentionWeight, &ms)
		}
	}
	return ms
}

// qualified records table.column; when the qualifier is no table (an
// alias such as T1) the column counts as a bare mention.
func (ix *Index) qualified(table, column string, ms *mentionSet) {
	ck := identKey(column)
	found := false
	for _, t := range ix.tabIdent[identKey(table)] {
		for _, c := range ix.idents[ck] {
			if ix.cols[c].table == t {
				ms.cols[c] += qualifiedWeight
				ms.tables[t] = true
				found = true
			}
		}
	}
	if !found {
		ix.bare(column, mentionWeight, ms)
	}
}

// bare records a column name without its table: each column of that name
// gets w divided by the number of tables sharing it.
func (ix *Index) bare(name string, w float32, ms *mentionSet) {
	cols := ix.idents[identKey(name)]
	if len(cols) == 0 || len(cols) > 64 {
		return // unknown, or a name like "id" that every table has
	}
	share := w / float32(len(cols))
	for _, c := range cols {
		if share > ms.cols[c] {
			ms.cols[c] = share
		}
	}
}
