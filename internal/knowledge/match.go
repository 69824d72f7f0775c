package knowledge

import (
	"sort"

	"github.com/askdb/askdb/internal/text"
)

// phraseAt returns the index of the first word of q where phrase starts as
// whole words, or -1. The last word, when it has four letters or more,
// may carry a plural "s" or "es" ("promos" for "promo"), never any other
// suffix; short words must match exactly, so "hr" does not match "hrs".
// This is stricter than text.Stem on purpose: a name's singular is not an
// alias ("promotion" is not the domain "promotions"), nor its verb forms.
func phraseAt(q, phrase []string) int {
	if len(phrase) == 0 {
		return -1
	}
	last := len(phrase) - 1
	for i := 0; i+len(phrase) <= len(q); i++ {
		ok := true
		for j, w := range phrase {
			got := q[i+j]
			if got == w || j == last && len(w) >= 4 && (got == w+"s" || got == w+"es") {
				continue
			}
			ok = false
			break
		}
		if ok {
			return i
		}
	}
	return -1
}

// firstMention is the earliest word index at which any of terms (each
// split into words) occurs in q, or -1.
func firstMention(q []string, terms [][]string) int {
	best := -1
	for _, t := range terms {
		if at := phraseAt(q, t); at >= 0 && (best < 0 || at < best) {
			best = at
		}
	}
	return best
}

// MatchDomains returns the domains named in question by their name or an
// alias, whole words only, in the order the question mentions them.
func (k *Knowledge) MatchDomains(question string) []Domain {
	q := text.Words(question)
	type hit struct {
		d  Domain
		at int
	}
	var hits []hit
	for i, d := range k.domains {
		if at := firstMention(q, k.domainTerms[i]); at >= 0 {
			hits = append(hits, hit{d, at})
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].at < hits[j].at })
	out := make([]Domain, len(hits))
	for i, h := range hits {
		out[i] = h.d
	}
	return out
}

// FindMetrics returns the metrics named in question (by name or synonym,
// whole words only), in the order they are mentioned. When a metric is
// defined in several domains and the question names some of them, only
// those definitions are returned; when it names none, all are, and the
// caller should treat the metric as ambiguous (see Ambiguous).
func (k *Knowledge) FindMetrics(question string) []Metric {
	q := text.Words(question)
	inQuestion := map[string]bool{}
	for _, d := range k.MatchDomains(question) {
		inQuestion[text.Normalize(d.Name)] = true
	}
	type hit struct {
		m  Metric
		at int
	}
	var hits []hit
	byName := map[string][]int{} // normalized name → indexes into hits
	for i, m := range k.metrics {
		at := firstMention(q, k.metricTerms[i])
		if at < 0 {
			continue
		}
		n := text.Normalize(m.Name)
		byName[n] = append(byName[n], len(hits))
		hits = append(hits, hit{m, at})
	}
	drop := map[int]bool{}
	for _, idx := range byName {
		named := 0
		for _, i := range idx {
			if inQuestion[text.Normalize(hits[i].m.Domain)] {
				named++
			}
		}
		if named == 0 {
			continue
		}
		for _, i := range idx {
			if d := hits[i].m.Domain; d != "" && !inQuestion[text.Normalize(d)] {
				drop[i] = true
			}
		}
	}
	var kept []hit
	for i, h := range hits {
		if !drop[i] {
			kept = append(kept, h)
		}
	}
	sort.SliceStable(kept, func(i, j int) bool { return kept[i].at < kept[j].at })
	out := make([]Metric, len(kept))
	for i, h := range kept {
		out[i] = h.m
	}
	return out
}

// Ambiguous reports the metric names that occur more than once in ms
// (the same name defined in several domains), sorted.
func Ambiguous(ms []Metric) []string {
	count := map[string]int{}
	name := map[string]string{}
	for _, m := range ms {
		n := text.Normalize(m.Name)
		count[n]++
		name[n] = m.Name
	}
	var out []string
	for n, c := range count {
		if c > 1 {
			out = append(out, name[n])
		}
	}
	sort.Strings(out)
	return out
}
