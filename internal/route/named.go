package route

import (
	"strings"
	"unicode"

	"github.com/askdb/askdb/internal/retrieve"
)

// ByName marks a clear decision the question settled itself by naming a
// source ("… in crm", "from the sales database").
const ByName = "named"

// namePatterns are how a question names a source; %s is the source name.
var namePatterns = []string{" in %s ", " from %s ", " on %s ", " using %s ", " in the %s ", " from the %s ", " %s database ", " %s source ", " %s db "}

// mentions returns the phrases that name the source called name.
func mentions(name string) []string {
	n := normalizeName(name)
	if n == "" {
		return nil
	}
	out := make([]string, len(namePatterns))
	for i, p := range namePatterns {
		out[i] = strings.Replace(p, "%s", n, 1)
	}
	return out
}

// namedSource returns the one source the question names, or "". A name
// that is also another source's table or source name ("in election" with
// a source election and a table election elsewhere) names nothing for
// sure: the scores decide. It runs under the read lock.
func (r *Router) namedSource(question string) string {
	q := " " + normalizeName(question) + " "
	found := ""
	for _, seg := range r.order {
		for _, m := range seg.mentions {
			if strings.Contains(q, m) {
				if found != "" {
					return "" // two sources named: scores decide
				}
				found = seg.name
				break
			}
		}
	}
	if found == "" || r.nameHeldElsewhere(found) {
		return ""
	}
	return found
}

func (r *Router) nameHeldElsewhere(name string) bool {
	for _, t := range retrieve.Terms(name) {
		for _, seg := range r.order {
			if info := seg.terms[t]; seg.name != name && info != nil && info.best >= weightTable {
				return true
			}
		}
	}
	return false
}

// normalizeName lower-cases s and turns every run of other characters
// than letters and digits into one space.
func normalizeName(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}
