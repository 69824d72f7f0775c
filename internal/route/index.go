package route

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/retrieve"
)

// Field weights: a word in a table's name says more about where the data
// lives than a word in a comment; the source's own description and domains
// speak for the whole source.
const (
	weightSourceName = 3
	weightSource     = 2
	weightTable      = 3
	weightTableSyn   = 2.5
	weightColumn     = 2
	weightColumnSyn  = 2
	weightComment    = 1
	weightValue      = 1.5
)

// posting is one table of a term with the term's best field weight there.
type posting struct {
	table int32
	w     float32
}

// termInfo is one term of one source: its best weight anywhere in the
// source (description included) and the tables it occurs in.
type termInfo struct {
	best   float32
	tables []posting
}

// segment is one source's part of the index.
type segment struct {
	name        string
	description string
	fingerprint string
	tables      []string // qualified names, by table number
	terms       map[string]*termInfo
	base        int32 // offset of table 0 in a query's scratch scores
	// mentions are the phrases that name the source in a question.
	mentions []string
}

// Router is the index over all sources. It is safe for concurrent use:
// questions read it while Sync refreshes one source at a time.
type Router struct {
	mu    sync.RWMutex
	segs  map[string]*segment
	order []*segment // by name, so ranking ties break the same way
	df    map[string]int32
	total int32 // tables over all sources
	pool  sync.Pool
}

// New returns an empty Router.
func New() *Router {
	return &Router{segs: map[string]*segment{}, df: map[string]int32{}}
}

// Sync brings the index up to date with p: a source whose fingerprint
// changed is re-indexed, a new one added, a gone one dropped. A source
// that fails keeps its previous part; the errors are returned together.
func (r *Router) Sync(ctx context.Context, p Provider) error {
	names := p.Names()
	var errs []error
	for _, name := range names {
		fp, err := p.Fingerprint(ctx, name)
		if err != nil {
			errs = append(errs, fmt.Errorf("route: source %q: %w", name, err))
			continue
		}
		if r.Fingerprint(name) == fp && fp != "" {
			continue
		}
		in, err := p.Input(ctx, name)
		if err != nil {
			errs = append(errs, fmt.Errorf("route: source %q: %w", name, err))
			continue
		}
		in.Name, in.Fingerprint = name, fp
		r.Update(in)
	}
	keep := make(map[string]bool, len(names))
	for _, n := range names {
		keep[n] = true
	}
	for _, n := range r.Names() {
		if !keep[n] {
			r.Remove(n)
		}
	}
	return errors.Join(errs...)
}

// Fingerprint returns the fingerprint a source was indexed with, "" when
// it is not indexed.
func (r *Router) Fingerprint(name string) string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if s := r.segs[name]; s != nil {
		return s.fingerprint
	}
	return ""
}

// Names returns the indexed sources, sorted.
func (r *Router) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]string, len(r.order))
	for i, s := range r.order {
		out[i] = s.name
	}
	return out
}

// Update indexes in, replacing the source's earlier part. It is a no-op
// when the source is indexed with the same fingerprint.
func (r *Router) Update(in Input) {
	if in.Fingerprint == "" {
		in.Fingerprint = Fingerprint(in)
	}
	if r.Fingerprint(in.Name) == in.Fingerprint {
		return
	}
	seg := buildSegment(in) // outside the lock: questions keep flowing
	r.mu.Lock()
	defer r.mu.Unlock()
	r.drop(in.Name)
	r.segs[in.Name] = seg
	for t := range seg.terms {
		r.df[t]++
	}
	r.reorder()
}

// Remove drops a source from the index.
func (r *Router) Remove(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.drop(name)
	r.reorder()
}

func (r *Router) drop(name string) {
	old := r.segs[name]
	if old == nil {
		return
	}
	for t := range old.terms {
		if r.df[t]--; r.df[t] <= 0 {
			delete(r.df, t)
		}
	}
	delete(r.segs, name)
}

func (r *Router) reorder() {
	r.order = r.order[:0]
	for _, s := range r.segs {
		r.order = append(r.order, s)
	}
	sort.Slice(r.order, func(i, j int) bool { return r.order[i].name < r.order[j].name })
	r.total = 0
	for _, s := range r.order {
		s.base = r.total
		r.total += int32(len(s.tables))
	}
}

// builder collects one source's terms.
type builder struct {
	seg   *segment
	table map[string]float32 // the current table's terms, best weight each
}

func buildSegment(in Input) *segment {
	b := &builder{seg: &segment{name: in.Name, description: in.Description, fingerprint: in.Fingerprint, terms: map[string]*termInfo{}, mentions: mentions(in.Name)}, table: map[string]float32{}}
	b.sourceText(in.Name, weightSourceName)
	b.sourceText(in.Description, weightSource)
	byName := map[string]int32{}
	if in.Catalog != nil {
		syn, desc := lowerKeys(in.Synonyms), lowerKeys(in.Descriptions)
		for i := range in.Catalog.Tables {
			t := &in.Catalog.Tables[i]
			ti := int32(len(b.seg.tables))
			b.seg.tables = append(b.seg.tables, t.QualifiedName())
			byName[strings.ToLower(t.Name)], byName[strings.ToLower(t.QualifiedName())] = ti, ti
			b.addTable(t, syn, desc)
			b.flush(ti)
		}
	}
	for _, d := range in.Domains {
		b.sourceText(d.Name, weightSource)
		b.sourceText(d.Description, weightComment)
		for _, a := range d.Aliases {
			b.sourceText(a, weightSource)
		}
		b.domainTables(d, byName)
	}
	return b.seg
}

// domainTables credits a domain's names to the tables it lists, so that
// "payroll" is evidence for the tables of the payroll domain.
func (b *builder) domainTables(d Domain, byName map[string]int32) {
	for _, tn := range d.Tables {
		ti, ok := byName[strings.ToLower(tn)]
		if !ok {
			continue
		}
		b.text(d.Name, weightSource)
		for _, a := range d.Aliases {
			b.text(a, weightSource)
		}
		b.flush(ti)
	}
}

func (b *builder) addTable(t *catalog.Table, syn map[string][]string, desc map[string]string) {
	b.text(t.Name, weightTable)
	b.text(t.Comment, weightComment)
	b.texts(lookup(syn, t, ""), weightTableSyn)
	b.text(lookupOne(desc, t, ""), weightComment)
	for ci := range t.Columns {
		c := &t.Columns[ci]
		b.text(c.Name, weightColumn)
		b.text(c.Comment, weightComment)
		b.texts(lookup(syn, t, c.Name), weightColumnSyn)
		b.text(lookupOne(desc, t, c.Name), weightComment)
		if c.Type == catalog.TypeText {
			b.texts(c.Samples, weightValue)
		}
	}
}

func (b *builder) texts(ss []string, w float32) {
	for _, s := range ss {
		b.text(s, w)
	}
}

// text adds s's terms to the current table at weight w.
func (b *builder) text(s string, w float32) {
	if s == "" {
		return
	}
	for _, t := range retrieve.Terms(s) {
		if isNumber(t) {
			continue
		}
		if w > b.table[t] {
			b.table[t] = w
		}
	}
}

// flush moves the current table's terms into the segment.
func (b *builder) flush(ti int32) {
	for t, w := range b.table {
		info := b.term(t, w)
		if i := findPosting(info.tables, ti); i >= 0 {
			info.tables[i].w = max(info.tables[i].w, w)
		} else {
			// Keep postings sorted by table: a domain's tables come late.
			at := sort.Search(len(info.tables), func(i int) bool { return info.tables[i].table > ti })
			info.tables = append(info.tables, posting{})
			copy(info.tables[at+1:], info.tables[at:])
			info.tables[at] = posting{ti, w}
		}
	}
	clear(b.table)
}

// findPosting returns the index of table ti in ps, or -1. Tables are
// added in order, so the common case is the last one; only a domain's
// tables, credited afterwards, need the scan.
func findPosting(ps []posting, ti int32) int {
	for i := len(ps) - 1; i >= 0; i-- {
		if ps[i].table == ti {
			return i
		}
		if ps[i].table < ti {
			break
		}
	}
	return -1
}

// sourceText adds s's terms to the source as a whole, no table.
func (b *builder) sourceText(s string, w float32) {
	for _, t := range retrieve.Terms(s) {
		if !isNumber(t) {
			b.term(t, w)
		}
	}
}

func (b *builder) term(t string, w float32) *termInfo {
	ti := b.seg.terms[t]
	if ti == nil {
		ti = &termInfo{}
		b.seg.terms[t] = ti
	}
	ti.best = max(ti.best, w)
	return ti
}

func isNumber(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func lowerKeys[V any](m map[string]V) map[string]V {
	out := make(map[string]V, len(m))
	for k, v := range m {
		out[strings.ToLower(k)] = v
	}
	return out
}

// lookup finds a "table" or "table.column" key, bare or schema-qualified.
func lookup[V any](m map[string]V, t *catalog.Table, col string) V {
	suffix := ""
	if col != "" {
		suffix = "." + strings.ToLower(col)
	}
	if v, ok := m[strings.ToLower(t.QualifiedName())+suffix]; ok {
		return v
	}
	return m[strings.ToLower(t.Name)+suffix]
}

func lookupOne(m map[string]string, t *catalog.Table, col string) string { return lookup(m, t, col) }
