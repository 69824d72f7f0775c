package pipeline

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/knowledge"
)

// metricAsk is what a question asks of one metric beyond its bare value:
// a time grain, a period, and a dimension to group by. The zero value
// asks for the value alone.
type metricAsk struct {
	grain    string // "day", "month" or "year"; "" for none
	from, to string // a half-open date range on the time column; "" for none
	period   string // the range in words: "2024", "March 2024"
	dim      *metricDim
	filters  []*metricFilter
	// rank orders the groups by the metric, "DESC" or "ASC", and keeps
	// the first limit: "which department has the highest headcount".
	rank  string
	limit int
}

// metricDim is a dimension to group a metric by.
type metricDim struct {
	expr  string // the column, qualified and quoted
	alias string
	join  string // the JOIN that reaches the column; "" in the metric's own table
	words string // what the question called it
	// key is the primary key of the table the dimension names a row of,
	// grouped by as well; "" when the dimension is a plain column.
	key string
}

func (a metricAsk) empty() bool {
	return a.grain == "" && a.from == "" && a.dim == nil && len(a.filters) == 0
}

// describe says in words what the metric was broken down by: " by month, in 2024".
func (a metricAsk) describe() string {
	var parts []string
	if a.grain != "" {
		parts = append(parts, "by "+a.grain)
	}
	if a.dim != nil {
		parts = append(parts, "by "+a.dim.words)
	}
	if a.period != "" {
		parts = append(parts, "in "+a.period)
	}
	for _, f := range a.filters {
		parts = append(parts, "for "+f.words)
	}
	if a.rank != "" {
		top := map[string]string{"DESC": "highest", "ASC": "lowest"}[a.rank]
		if a.limit > 1 {
			top = strconv.Itoa(a.limit) + " " + top
		}
		parts = append(parts, "the "+top)
	}
	if len(parts) == 0 {
		return ""
	}
	return " " + strings.Join(parts, ", ")
}

// grainWords map the words of a question to a time grain.
var (
	grainNouns      = map[string]string{"day": "day", "days": "day", "month": "month", "months": "month", "year": "year", "years": "year"}
	grainAdjectives = map[string]string{"daily": "day", "monthly": "month", "yearly": "year", "annually": "year", "annual": "year"}
	// groupWords introduce what to group by: "by month", "per country", "for each department".
	groupWords = map[string]bool{"by": true, "per": true, "each": true, "every": true, "across": true}
	monthNames = map[string]time.Month{}
	// rankWords order the groups by the metric.
	rankWords = map[string]string{
		"highest": "DESC", "most": "DESC", "largest": "DESC", "biggest": "DESC", "top": "DESC", "best": "DESC", "greatest": "DESC",
		"lowest": "ASC", "least": "ASC", "smallest": "ASC", "fewest": "ASC", "bottom": "ASC", "worst": "ASC",
	}
)

func init() {
	for m := time.January; m <= time.December; m++ {
		name := strings.ToLower(m.String())
		monthNames[name], monthNames[name[:3]] = m, m
	}
}

// metricParser reads a question word by word against one metric.
type metricParser struct {
	words []string // lower case
	typed []string // as typed, for messages
	// rankAt is where the ranking word is.
	rankAt int
	used   []bool
	m      knowledge.Metric
	cat    *catalog.Catalog
	k      *knowledge.Knowledge
	d      catalog.Dialect
	now    time.Time
	ask    metricAsk
}

// parseMetricAsk reads what q asks of metric m: every word must be the
// metric's or a domain's name, a filler word, a time grain, a period, a
// dimension or a stored value the catalog resolves, or the name of a table
// or column the query reads. Otherwise ok is false and unread says, in the
// question's own words, what could not be read.
func parseMetricAsk(q string, m knowledge.Metric, domains []knowledge.Domain, cat *catalog.Catalog, k *knowledge.Knowledge, d catalog.Dialect, now time.Time) (ask metricAsk, unread string, ok bool) {
	p := &metricParser{words: splitWords(q), typed: strings.FieldsFunc(q, notWordRune), m: m, cat: cat, k: k, d: d, now: now}
	p.used = make([]bool, len(p.words))
	known := metricWords(m, domains)
	for i, w := range p.words {
		p.used[i] = known[w] || known[strings.TrimSuffix(w, "s")]
	}
	var pending []int
	for i := 0; i < len(p.words); i++ {
		if !p.used[i] && !p.read(i) {
			pending = append(pending, i)
		}
	}
	if pending = p.ranked(pending); pending == nil && p.ask.rank != "" && p.ask.dim == nil && p.ask.grain == "" {
		return metricAsk{}, fmt.Sprintf("%q (with nothing to rank)", p.typed[p.rankAt]), false
	}
	// "Corporate customers", "orders in the shipped status": the names of
	// what the query reads may stand around the values.
	for _, i := range pending {
		if !p.used[i] && !p.namesWhatIsRead(p.words[i]) {
			return metricAsk{}, fmt.Sprintf("%q", p.typed[i]), false
		}
	}
	if (p.ask.grain != "" || p.ask.from != "") && m.TimeColumn == "" {
		return metricAsk{}, "a date (the metric has no time column)", false
	}
	return p.ask, "", true
}

// read consumes the word at i and the words it needs; false when it
// cannot be read.
func (p *metricParser) read(i int) bool {
	w := p.words[i]
	switch {
	case fillerWords[w]:
		p.used[i] = true
		return true
	case grainAdjectives[w] != "":
		return p.setGrain(grainAdjectives[w], i)
	case groupWords[w]:
		return p.group(i)
	case isYearWord(w):
		return p.year(i)
	case (w == "this" || w == "last") && i+1 < len(p.words):
		return p.relative(i)
	case rankWords[w] != "":
		return p.rankBy(rankWords[w], i)
	}
	if _, ok := monthNames[w]; ok && i+1 < len(p.words) && isYearWord(p.words[i+1]) {
		return p.year(i + 1)
	}
	return p.value(i)
}

// rankBy reads "highest" or "top 3" at i.
func (p *metricParser) rankBy(order string, i int) bool {
	if p.ask.rank != "" {
		return false
	}
	p.ask.rank, p.ask.limit, p.used[i], p.rankAt = order, 1, true, i
	if i+1 < len(p.words) {
		if n, err := strconv.Atoi(p.words[i+1]); err == nil && n > 0 && n <= 100 {
			p.ask.limit, p.used[i+1] = n, true
		}
	}
	return true
}

// ranked reads, in a ranking question, the words that name what is
// ranked ("which department", "top 3 countries", "which month") and a
// "by" before the metric's name; it returns the words still unread.
func (p *metricParser) ranked(pending []int) []int {
	if p.ask.rank == "" {
		return pending
	}
	var rest []int
	for _, i := range pending {
		if p.words[i] == "by" && i+1 < len(p.words) && p.used[i+1] {
			p.used[i] = true
		}
	}
	for _, i := range pending {
		if p.used[i] {
			continue
		}
		if p.ask.dim == nil && p.ask.grain == "" && p.rankedPhrase(i) {
			continue
		}
		if !p.used[i] {
			rest = append(rest, i)
		}
	}
	return rest
}

// rankedPhrase reads a grain or a dimension of up to three words at i.
func (p *metricParser) rankedPhrase(i int) bool {
	if g := grainNouns[p.words[i]]; g != "" {
		return p.setGrain(g, i)
	}
	for n := min(3, len(p.words)-i); n >= 1; n-- {
		if slices.Contains(p.used[i:i+n], true) {
			continue
		}
		if dim, ok := resolveDimension(p.words[i:i+n], p.m, p.cat, p.k, p.d); ok {
			p.ask.dim = dim
			for j := i; j < i+n; j++ {
				p.used[j] = true
			}
			return true
		}
	}
	return false
}

// value reads a value stored in the metric's tables, of up to three words
// ("Germany", "Small Business"), as a filter.
func (p *metricParser) value(i int) bool {
	for n := min(3, len(p.words)-i); n >= 1; n-- {
		if slices.Contains(p.used[i:i+n], true) {
			continue
		}
		if f, ok := resolveValue(p.words[i:i+n], p.m, p.cat, p.d); ok {
			p.ask.filters = append(p.ask.filters, f)
			for j := i; j < i+n; j++ {
				p.used[j] = true
			}
			return true
		}
	}
	return false
}

// namesWhatIsRead reports whether w names the metric's table, or a table
// or column a filter reads.
func (p *metricParser) namesWhatIsRead(w string) bool {
	names := []string{}
	if len(p.m.Tables) == 1 {
		names = append(names, bareName(p.m.Tables[0]))
	}
	for _, f := range p.ask.filters {
		names = append(names, f.table, f.col)
	}
	for _, n := range names {
		if namesIt([]string{w}, n, nil) {
			return true
		}
	}
	return false
}

func (p *metricParser) setGrain(g string, at ...int) bool {
	if p.ask.grain != "" && p.ask.grain != g {
		return false
	}
	p.ask.grain = g
	for _, i := range at {
		p.used[i] = true
	}
	return true
}

// group reads "by month" or "per customer country" at i.
func (p *metricParser) group(i int) bool {
	next := i + 1
	for next < len(p.words) && (p.words[next] == "the" || p.words[next] == "each" || p.words[next] == "every") {
		next++
	}
	if next >= len(p.words) || p.used[next] {
		return false
	}
	if g := grainNouns[p.words[next]]; g != "" {
		return p.setGrain(g, i, next)
	}
	if p.ask.dim != nil {
		return false
	}
	// The longest phrase that names a dimension, up to three words.
	for n := min(3, len(p.words)-next); n >= 1; n-- {
		phrase := p.words[next : next+n]
		if dim, ok := resolveDimension(phrase, p.m, p.cat, p.k, p.d); ok {
			if p.words[i] == "per" && dim.key != "" {
				// "revenue per customer" may mean revenue divided by
				// customers as much as revenue of each customer.
				return false
			}
			p.ask.dim = dim
			for j := i; j < next+n; j++ {
				p.used[j] = true
			}
			return true
		}
	}
	return false
}

func isYearWord(w string) bool {
	y, err := strconv.Atoi(w)
	return err == nil && len(w) == 4 && y >= 1900 && y < 2200
}

// year reads "2024" at i, or "March 2024" when a month name precedes it.
func (p *metricParser) year(i int) bool {
	y, _ := strconv.Atoi(p.words[i])
	if i > 0 && !p.used[i-1] {
		if m, ok := monthNames[p.words[i-1]]; ok {
			start := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
			p.used[i-1] = true
			return p.setPeriod(start, start.AddDate(0, 1, 0), m.String()+" "+p.words[i], i)
		}
	}
	start := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
	return p.setPeriod(start, start.AddDate(1, 0, 0), p.words[i], i)
}

// relative reads "this year", "last year", "this month" and "last month".
func (p *metricParser) relative(i int) bool {
	unit := grainNouns[p.words[i+1]]
	last := p.words[i] == "last"
	switch unit {
	case "year":
		start := time.Date(p.now.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
		if last {
			start = start.AddDate(-1, 0, 0)
		}
		return p.setPeriod(start, start.AddDate(1, 0, 0), strconv.Itoa(start.Year()), i, i+1)
	case "month":
		start := time.Date(p.now.Year(), p.now.Month(), 1, 0, 0, 0, 0, time.UTC)
		if last {
			start = start.AddDate(0, -1, 0)
		}
		return p.setPeriod(start, start.AddDate(0, 1, 0), start.Format("January 2006"), i, i+1)
	}
	return false
}

func (p *metricParser) setPeriod(from, to time.Time, words string, at ...int) bool {
	if p.ask.from != "" {
		return false
	}
	p.ask.from, p.ask.to, p.ask.period = from.Format(time.DateOnly), to.Format(time.DateOnly), words
	for _, i := range at {
		p.used[i] = true
	}
	return true
}

// metricWords are the words of the metric's names and of the domains'
// names and aliases: the words that name what is asked, not how.
func metricWords(m knowledge.Metric, domains []knowledge.Domain) map[string]bool {
	known := map[string]bool{}
	add := func(s string) {
		for _, w := range splitWords(s) {
			known[w] = true
		}
	}
	add(m.Name)
	for _, s := range m.Synonyms {
		add(s)
	}
	for _, d := range domains {
		add(d.Name)
		for _, a := range d.Aliases {
			add(a)
		}
	}
	return known
}
