package pipeline

import (
	"context"
	"regexp"
	"strings"
	"unicode"

	"github.com/askdb/askdb/internal/store"
	"github.com/askdb/askdb/internal/text"
)

// BankEntry is a verified question and its SQL: from the knowledge files
// or promoted from an answer a user marked as right.
type BankEntry struct {
	ID       string `json:"id"`
	Question string `json:"question"`
	SQL      string `json:"sql"`
	Origin   string `json:"origin"`
}

// BankHit is how an answer came from the bank.
type BankHit struct {
	Entry BankEntry `json:"entry"`
	// Template is set when literals were substituted.
	Template bool `json:"template"`
	// Substituted maps the entry's literals to the question's.
	Substituted map[string]string `json:"substituted,omitempty"`
}

var literalRE = regexp.MustCompile(`'[^']*'|"[^"]*"|\b\d+(?:\.\d+)?\b|\p{L}[\p{L}\p{N}_-]*`)

// normalizeQuestion is how questions compare: lower-case words of letters
// and digits and single spaces (text.Normalize), so "How many employees?"
// and "how many employees" match.
func normalizeQuestion(q string) string { return text.Normalize(q) }

// template replaces the literals of a question with placeholders and
// returns them in order: numbers, quoted strings, and words that are
// values stored in the data (values maps their lower case to the stored
// spelling), so "customers in France" and "customers in Spain" share a
// template.
func template(q string, values map[string]string) (string, []string) {
	var lits []string
	t := literalRE.ReplaceAllStringFunc(q, func(m string) string {
		switch {
		case m[0] == '\'' || m[0] == '"':
			lits = append(lits, strings.Trim(m, `'"`))
		case unicode.IsDigit(rune(m[0])):
			lits = append(lits, m)
		default:
			v, ok := values[strings.ToLower(m)]
			if !ok {
				return m
			}
			lits = append(lits, v)
		}
		return "#"
	})
	return normalizeQuestion(t), lits
}

// matchBank finds the entry for q: an exact match after normalisation,
// or a template match whose literals can all be substituted in the SQL.
func matchBank(q string, entries []BankEntry, values map[string]string) (BankHit, string, bool) {
	nq := normalizeQuestion(q)
	for _, e := range entries {
		if normalizeQuestion(e.Question) == nq {
			return BankHit{Entry: e}, e.SQL, true
		}
	}
	tq, lits := template(q, values)
	if len(lits) == 0 {
		return BankHit{}, "", false
	}
	for _, e := range entries {
		te, elits := template(e.Question, values)
		if te != tq || len(elits) != len(lits) || !numbersFromQuestion(e.SQL, elits) {
			continue
		}
		if sql, subs, ok := substitute(e.SQL, elits, lits); ok {
			return BankHit{Entry: e, Template: true, Substituted: subs}, sql, true
		}
	}
	return BankHit{}, "", false
}

var (
	// finalLimitRE is an outer LIMIT at the very end: a row cap (often the
	// guard's own), not a number derived from the question.
	finalLimitRE = regexp.MustCompile(`(?i)\bLIMIT\s+\d+\s*;?\s*$`)
	isoDateRE    = regexp.MustCompile(`\b(\d{4})-\d{2}-\d{2}\b`)
	sqlNumberRE  = regexp.MustCompile(`\b\d+(?:\.\d+)?\b`)
)

// numbersFromQuestion reports whether every number in sql (a date counts
// by its year) is one of the question's literals, apart from 0 and 1. A
// number derived from a literal, such as the 2025 bound of "in 2024",
// would not follow a substitution, so such entries only match exactly.
func numbersFromQuestion(sql string, lits []string) bool {
	allowed := map[string]bool{"0": true, "1": true, "0.0": true, "1.0": true}
	for _, l := range lits {
		allowed[l] = true
	}
	ok := true
	rest := isoDateRE.ReplaceAllStringFunc(finalLimitRE.ReplaceAllString(sql, ""), func(d string) string {
		if !allowed[d[:4]] {
			ok = false
		}
		return " "
	})
	for _, n := range sqlNumberRE.FindAllString(rest, -1) {
		if !allowed[n] {
			ok = false
		}
	}
	return ok
}

// substitute replaces each old literal in sql by the new one. Every old
// literal that differs must occur in the SQL as a whole token; otherwise
// the template cannot be applied safely. Quoted literals are escaped.
func substitute(sql string, olds, news []string) (string, map[string]string, bool) {
	subs := map[string]string{}
	for i, old := range olds {
		nw := news[i]
		if old == nw {
			continue
		}
		re := regexp.MustCompile(`(^|[^\w])` + regexp.QuoteMeta(old) + `($|[^\w])`)
		if !re.MatchString(sql) {
			return "", nil, false
		}
		nw = strings.ReplaceAll(nw, "'", "''")
		sql = re.ReplaceAllString(sql, "${1}"+strings.ReplaceAll(nw, "$", "$$")+"${2}")
		subs[old] = nw
	}
	return sql, subs, true
}

// bankEntries gathers the verified examples of a source: those in its
// knowledge files and those promoted from feedback in the store.
func (p *Pipeline) bankEntries(ctx context.Context, sourceName string) []BankEntry {
	var out []BankEntry
	if k := p.opts.Knowledge[sourceName]; k != nil {
		for _, ex := range k.Examples() {
			out = append(out, BankEntry{ID: "knowledge:" + ex.Pos.String(), Question: ex.Question, SQL: ex.SQL, Origin: store.OriginKnowledge})
		}
	}
	if p.opts.Store != nil {
		entries, err := p.opts.Store.BankEntries(ctx, sourceName)
		if err != nil {
			p.opts.Logger.Warn("question bank unavailable", "source", sourceName, "err", err)
		}
		for _, e := range entries {
			out = append(out, BankEntry{ID: e.ID, Question: e.Question, SQL: e.SQL, Origin: e.Origin})
		}
	}
	return out
}
