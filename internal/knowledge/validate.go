package knowledge

import (
	"errors"
	"fmt"
	"strings"

	"github.com/askdb/askdb/internal/text"
)

// validate checks what can be checked without a database: required
// fields, references to declared domains, and names that would make
// matching ambiguous.
func (k *Knowledge) validate() error {
	var errs []error
	bad := func(p Pos, format string, args ...any) {
		errs = append(errs, fmt.Errorf("knowledge %s: %s", p, fmt.Sprintf(format, args...)))
	}
	domains := map[string]Domain{} // normalized name → domain
	terms := map[string]Domain{}   // normalized name or alias → domain
	for _, d := range k.domains {
		n := text.Normalize(d.Name)
		if n == "" {
			bad(d.Pos, "domain: name is required")
			continue
		}
		if prev, ok := domains[n]; ok {
			bad(d.Pos, "domain %q is declared twice (first at %s)", d.Name, prev.Pos)
			continue
		}
		domains[n] = d
		for _, term := range append([]string{d.Name}, d.Aliases...) {
			t := text.Normalize(term)
			if t == "" {
				bad(d.Pos, "domain %q: empty alias", d.Name)
				continue
			}
			if prev, ok := terms[t]; ok && text.Normalize(prev.Name) != n {
				bad(d.Pos, "domain %q: alias %q already names domain %q (%s)", d.Name, term, prev.Name, prev.Pos)
				continue
			}
			terms[t] = d
		}
	}
	known := func(p Pos, what, domain string) {
		if domain != "" {
			if _, ok := domains[text.Normalize(domain)]; !ok {
				bad(p, "%s: domain %q is not declared under domains", what, domain)
			}
		}
	}
	seen := map[string]Pos{}
	for _, m := range k.metrics {
		what := fmt.Sprintf("metric %q", m.Name)
		switch {
		case text.Normalize(m.Name) == "":
			bad(m.Pos, "metric: name is required")
			continue
		case m.SQL == "":
			bad(m.Pos, "%s: sql is required", what)
		case len(m.Tables) == 0:
			bad(m.Pos, "%s: tables is required", what)
		case len(m.Tables) > 1 && m.From == "":
			bad(m.Pos, "%s: reads %d tables, so from (the FROM clause with its joins) is required", what, len(m.Tables))
		}
		known(m.Pos, what, m.Domain)
		key := text.Normalize(m.Name) + "\x00" + text.Normalize(m.Domain)
		if prev, ok := seen[key]; ok {
			bad(m.Pos, "%s is defined twice in domain %q (first at %s)", what, m.Domain, prev)
		}
		seen[key] = m.Pos
	}
	questions := map[string]Example{} // normalized question → first example
	for i, e := range k.exams {
		what := fmt.Sprintf("example %d", i+1)
		if e.Question == "" || e.SQL == "" {
			bad(e.Pos, "%s: question and sql are required", what)
		}
		known(e.Pos, what, e.Domain)
		// The question bank answers by question: two answers to one question
		// would make the answer depend on file order.
		if q := text.Normalize(e.Question); q != "" {
			if prev, ok := questions[q]; ok && strings.Join(strings.Fields(prev.SQL), " ") != strings.Join(strings.Fields(e.SQL), " ") {
				bad(e.Pos, "%s: question %q is already answered differently at %s", what, e.Question, prev.Pos)
			}
			if _, ok := questions[q]; !ok {
				questions[q] = e
			}
		}
	}
	for _, key := range k.order {
		t := k.tables[key]
		if strings.TrimSpace(t.Name) == "" {
			bad(t.Pos, "table: empty name")
		}
	}
	return errors.Join(errs...)
}
