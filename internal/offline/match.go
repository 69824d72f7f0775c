package offline

import (
	"strings"

	"github.com/askdb/askdb/internal/catalog"
)

// item is a matched span of the question.
type item struct {
	kw     kw    // grammar word, or kwNone
	alt    kw    // a grammar reading of a one-word schema phrase ("year")
	refs   []ref // table and column readings
	values []ref // stored values the span spells
	num    string
	isNum  bool
	lit    string // a quoted string no stored value matches
	text   string // the words as written
	cap    bool   // first word capitalised (a proper name)
	quoted bool
	neg    bool // a negating prefix on a boolean column: "inactive"
	// poss marks a possessive phrase ("countries' channels").
	poss bool
	// comma marks an item right after a comma.
	comma bool
	// gap holds the filler words, lower-case, between the previous item
	// and this one ("along with").
	gap []string
}

// match turns tokens into items, longest phrase first. Words that are
// neither grammar, schema, values nor fillers are returned as unexplained.
func (lx *lexicon) match(toks []token) (items []item, unexplained []string) {
	var gap []string
	commaBefore := false
	add := func(it item, last token) {
		it.gap, gap = gap, nil
		it.poss = last.poss
		it.comma = commaBefore
		commaBefore = false
		items = append(items, it)
	}
	for i := 0; i < len(toks); {
		t := toks[i]
		commaBefore = commaBefore || t.comma
		switch t.kind {
		case tokNumber:
			add(item{num: t.norm, isNum: true, text: t.raw}, t)
			i++
			continue
		case tokQuoted:
			key := phraseKey(strings.Fields(strings.ToLower(strings.Map(valueRune, t.raw))))
			if vs := lx.values[key]; len(vs) > 0 {
				add(item{values: vs, text: t.raw, cap: true, quoted: true}, t)
			} else {
				add(item{lit: t.raw, text: t.raw, quoted: true}, t)
			}
			i++
			continue
		}
		n, it := lx.longest(toks, i)
		if n == 0 {
			if it, ok := lx.negatedBoolean(t); ok {
				add(it, t)
				i++
				continue
			}
			if !fillers[strings.ToLower(t.raw)] || isAcronym(t.raw) {
				unexplained = append(unexplained, t.raw)
			} else {
				gap = append(gap, strings.ToLower(t.raw))
			}
			i++
			continue
		}
		add(it, toks[i+n-1])
		i += n
	}
	return items, unexplained
}

// longest finds the longest grammar, schema or value phrase at toks[i].
func (lx *lexicon) longest(toks []token, i int) (int, item) {
	limit := max(maxKeyword, maxPhrase)
	for n := limit; n >= 1; n-- {
		if i+n > len(toks) {
			continue
		}
		words := toks[i : i+n]
		if !allWords(words) {
			continue
		}
		surface, stems, raw := spans(words)
		k := keywords[surface]
		refs := lx.phrases[phraseKey(stems)]
		vals := lx.values[phraseKey(stems)]
		if k == kwNone && len(refs) == 0 && len(vals) == 0 {
			continue
		}
		it := item{text: raw, cap: words[0].cap, refs: refs, values: vals}
		switch {
		case k != kwNone && (n > 1 || len(refs) == 0):
			it.kw, it.refs, it.values = k, nil, nil
		case k != kwNone:
			it.alt = k
		}
		return n, it
	}
	return 0, item{}
}

func allWords(ts []token) bool {
	for _, t := range ts {
		if t.kind != tokWord {
			return false
		}
	}
	return true
}

func spans(ts []token) (surface string, stems []string, raw string) {
	var s, r []string
	for _, t := range ts {
		s = append(s, strings.ToLower(t.raw))
		r = append(r, t.raw)
		stems = append(stems, t.norm)
	}
	return strings.Join(s, " "), stems, strings.Join(r, " ")
}

// negatedBoolean reads "inactive", "unpaid" or "non-active" as the negation
// of a boolean column named by the rest of the word.
func (lx *lexicon) negatedBoolean(t token) (item, bool) {
	w := strings.ToLower(t.raw)
	for _, p := range []string{"non-", "non", "un", "in"} {
		rest, ok := strings.CutPrefix(w, p)
		if !ok || len(rest) < 3 {
			continue
		}
		refs := lx.phrases[phraseKey([]string{rest})]
		var bools []ref
		for _, r := range refs {
			if r.kind == refColumn && lx.cat.Tables[r.table].Columns[r.col].Type == catalog.TypeBoolean {
				bools = append(bools, r)
			}
		}
		if len(bools) > 0 && len(bools) == len(refs) {
			return item{refs: bools, text: t.raw, neg: true}, true
		}
	}
	return item{}, false
}

// isAcronym reports whether a word is written in capitals ("US"): a name,
// never the filler word it spells in lower case.
func isAcronym(w string) bool {
	return len(w) > 1 && strings.ToUpper(w) == w && strings.ToLower(w) != w
}
