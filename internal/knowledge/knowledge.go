package knowledge

import (
	"strings"

	"github.com/askdb/askdb/internal/text"
)

// Knowledge is the merged content of one source's knowledge files. It is
// read-only after Load and safe for concurrent use.
type Knowledge struct {
	tables  map[string]*Table // keyed by lower-case table name
	order   []string          // table keys in first-seen order
	domains []Domain
	metrics []Metric
	exams   []Example

	// domainTerms[i] and metricTerms[i] are the words of the names and
	// aliases of domains[i] and metrics[i], split once at load.
	domainTerms [][][]string
	metricTerms [][][]string
}

// index splits every name and alias into words for matching.
func (k *Knowledge) index() {
	split := func(terms ...string) [][]string {
		out := make([][]string, 0, len(terms))
		for _, t := range terms {
			out = append(out, text.Words(t))
		}
		return out
	}
	k.domainTerms = make([][][]string, len(k.domains))
	for i, d := range k.domains {
		k.domainTerms[i] = split(append([]string{d.Name}, d.Aliases...)...)
	}
	k.metricTerms = make([][][]string, len(k.metrics))
	for i, m := range k.metrics {
		k.metricTerms[i] = split(append([]string{m.Name}, m.Synonyms...)...)
	}
}

// Pos is where something was written.
type Pos struct {
	File string `json:"file"`
	Line int    `json:"line"`
}

// String is "file:line".
func (p Pos) String() string {
	if p.Line == 0 {
		return p.File
	}
	return p.File + ":" + itoa(p.Line)
}

// Table describes one table and its columns.
type Table struct {
	Name        string   `json:"name"`
	Description string   `json:"description,omitempty"`
	Synonyms    []string `json:"synonyms,omitempty"`
	Columns     []Column `json:"columns,omitempty"`
	Pos         Pos      `json:"pos"`
}

// Column describes one column.
type Column struct {
	Name        string   `json:"name"`
	Description string   `json:"description,omitempty"`
	Synonyms    []string `json:"synonyms,omitempty"`
	Pos         Pos      `json:"pos"`
}

// Domain is an area of the business ("sales", "returns-processing") that
// users name in questions, by its name or one of its aliases.
type Domain struct {
	Name        string   `json:"name"`
	Aliases     []string `json:"aliases,omitempty"`
	Description string   `json:"description,omitempty"`
	// Tables are the tables the domain's questions usually need.
	Tables []string `json:"tables,omitempty"`
	Pos    Pos      `json:"pos"`
}

// Metric is one entry of the metrics dictionary.
type Metric struct {
	Name string `json:"name"`
	// Synonyms are other names users give the metric ("aov").
	Synonyms []string `json:"synonyms,omitempty"`
	// Domain is the domain whose definition this is; "" when the metric
	// means the same everywhere.
	Domain     string `json:"domain,omitempty"`
	Definition string `json:"definition"`
	// SQL is the aggregate expression, e.g. "SUM(orders.total)".
	SQL string `json:"sql"`
	// Tables the expression reads; with more than one, From is required.
	Tables []string `json:"tables"`
	// From is the FROM clause (joins included) when Tables has several.
	From string `json:"from,omitempty"`
	// Filters are conditions that must always be applied, ANDed.
	Filters []string `json:"filters,omitempty"`
	// TimeColumn is the table.column that places a row in time.
	TimeColumn string `json:"time_column,omitempty"`
	// Granularity is the finest grain the metric is meaningful at
	// ("day", "month", "order").
	Granularity string `json:"granularity,omitempty"`
	Pos         Pos    `json:"pos"`
}

// FromClause is From, or the single table of Tables.
func (m Metric) FromClause() string {
	if m.From != "" {
		return m.From
	}
	if len(m.Tables) == 1 {
		return m.Tables[0]
	}
	return ""
}

// Alias is the metric's name as a column alias ("average order value"
// → average_order_value), the name Query gives its value.
func (m Metric) Alias() string { return identifier(m.Name) }

// Query is the metric as one SELECT over its tables with its required
// filters: "SELECT <sql> AS <name> FROM <from> WHERE <filters>".
func (m Metric) Query() string {
	var b strings.Builder
	b.WriteString("SELECT " + m.SQL + " AS " + m.Alias() + " FROM " + m.FromClause())
	for i, f := range m.Filters {
		if i == 0 {
			b.WriteString(" WHERE (" + f + ")")
		} else {
			b.WriteString(" AND (" + f + ")")
		}
	}
	return b.String()
}

// Example is a verified question→SQL pair.
type Example struct {
	Question string `json:"question"`
	SQL      string `json:"sql"`
	Domain   string `json:"domain,omitempty"`
	Pos      Pos    `json:"pos"`
}

// Tables returns the described tables in the order the files list them.
func (k *Knowledge) Tables() []Table {
	out := make([]Table, 0, len(k.order))
	for _, key := range k.order {
		out = append(out, *k.tables[key])
	}
	return out
}

// Domains returns every domain in file order.
func (k *Knowledge) Domains() []Domain { return append([]Domain(nil), k.domains...) }

// AllMetrics returns the whole metrics dictionary in file order.
func (k *Knowledge) AllMetrics() []Metric { return append([]Metric(nil), k.metrics...) }

// Examples returns the verified examples in file order.
func (k *Knowledge) Examples() []Example { return append([]Example(nil), k.exams...) }

// Metrics returns every definition of the metric called name (or having it
// as a synonym), one per domain, in file order.
func (k *Knowledge) Metrics(name string) []Metric {
	want := text.Normalize(name)
	var out []Metric
	for _, m := range k.metrics {
		if text.Normalize(m.Name) == want || containsNorm(m.Synonyms, want) {
			out = append(out, m)
		}
	}
	return out
}

// Synonyms maps "table" and "table.column" to the words users say for them.
func (k *Knowledge) Synonyms() map[string][]string {
	out := map[string][]string{}
	for _, key := range k.order {
		t := k.tables[key]
		if len(t.Synonyms) > 0 {
			out[t.Name] = append([]string(nil), t.Synonyms...)
		}
		for _, c := range t.Columns {
			if len(c.Synonyms) > 0 {
				out[t.Name+"."+c.Name] = append([]string(nil), c.Synonyms...)
			}
		}
	}
	return out
}

// Descriptions maps "table" and "table.column" to their descriptions.
func (k *Knowledge) Descriptions() map[string]string {
	out := map[string]string{}
	for _, key := range k.order {
		t := k.tables[key]
		if t.Description != "" {
			out[t.Name] = t.Description
		}
		for _, c := range t.Columns {
			if c.Description != "" {
				out[t.Name+"."+c.Name] = c.Description
			}
		}
	}
	return out
}

// Empty reports whether k holds nothing at all.
func (k *Knowledge) Empty() bool {
	return k == nil || len(k.tables) == 0 && len(k.domains) == 0 && len(k.metrics) == 0 && len(k.exams) == 0
}

func containsNorm(list []string, want string) bool {
	for _, s := range list {
		if text.Normalize(s) == want {
			return true
		}
	}
	return false
}

// identifier makes a metric name usable as a column alias.
func identifier(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	s := b.String()
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		s = "m_" + s
	}
	return s
}
