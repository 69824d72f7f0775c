package pipeline

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/knowledge"
)

// Intent is what a question asks for. It is a closed set.
type Intent string

// Intents.
const (
	// IntentQuery needs SQL.
	IntentQuery Intent = "query"
	// IntentMetricInfo asks what a metric means; answered from the metrics
	// dictionary with no SQL.
	IntentMetricInfo Intent = "metric_info"
	// IntentSchemaInfo asks where data lives; answered from the catalog.
	IntentSchemaInfo Intent = "schema_info"
	// IntentOutOfScope is not about the source's data at all.
	IntentOutOfScope Intent = "out_of_scope"
	// IntentClarify is too vague to answer without asking the user; only
	// the routing model decides it.
	IntentClarify Intent = "clarification_needed"
)

var (
	// metricInfoRE matches questions about a definition rather than a value.
	metricInfoRE = regexp.MustCompile(`(?i)\b(mean|means|meaning|definition|defined|define|calculated|computed|formula|measured)\b|^\s*(explain|define)\b`)
	// schemaInfoRE matches questions about where data lives.
	schemaInfoRE = regexp.MustCompile(`(?i)^\s*(what|which|where|list|show|describe)\b.*\b(tables?|columns?|fields?|schema)\b|^\s*where\s+(is|are|do|does|can)\b.*\b(stored|kept|found|live|data)\b`)
)

// classify decides the intent by rules. Rules are enough for the closed
// set we answer without SQL: everything else is a query.
func classify(q string, metrics []knowledge.Metric) Intent {
	switch {
	case len(metrics) > 0 && metricInfoRE.MatchString(q):
		return IntentMetricInfo
	case schemaInfoRE.MatchString(q):
		return IntentSchemaInfo
	}
	return IntentQuery
}

// Clarification asks the user to choose before askdb guesses.
type Clarification struct {
	Question string   `json:"question"`
	Choices  []Choice `json:"choices"`
}

// Choice is one answer to a clarification: a label to show and the
// question to ask when it is chosen, of Source when it names one.
type Choice struct {
	Label    string `json:"label"`
	Question string `json:"question"`
	// Source, when set, is the source to ask the question of.
	Source string `json:"source,omitempty"`
}

// clarifyMetric builds a clarification when a metric the question names
// is defined in several domains and the question names none of them.
func clarifyMetric(q string, metrics []knowledge.Metric) *Clarification {
	amb := knowledge.Ambiguous(metrics)
	if len(amb) == 0 {
		return nil
	}
	name := amb[0]
	c := &Clarification{Question: fmt.Sprintf("%q is defined differently in several domains. Which one do you mean?", name)}
	for _, m := range metrics {
		if !strings.EqualFold(m.Name, name) {
			continue
		}
		c.Choices = append(c.Choices, Choice{
			Label:    fmt.Sprintf("%s (%s): %s", m.Name, m.Domain, m.Definition),
			Question: strings.TrimRight(q, "?. ") + " in " + m.Domain + "?",
		})
	}
	return c
}

// metricInfo answers a definition question from the dictionary.
func metricInfo(metrics []knowledge.Metric) string {
	var b strings.Builder
	for i, m := range metrics {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(m.Name)
		if m.Domain != "" {
			b.WriteString(" (" + m.Domain + ")")
		}
		b.WriteString(": " + m.Definition)
		if m.SQL != "" {
			b.WriteString(" Computed as " + m.SQL)
			if f := m.FromClause(); f != "" {
				b.WriteString(" over " + f)
			}
			if len(m.Filters) > 0 {
				b.WriteString(" where " + strings.Join(m.Filters, " and "))
			}
			b.WriteString(".")
		}
	}
	return b.String()
}

// describeTables answers "what tables hold X?" from the catalog and knowledge:
// the tables of a named domain, or the tables retrieval links to the question.
func describeTables(cat *catalog.Catalog, tables []string, k *knowledge.Knowledge) (string, []string) {
	if len(tables) == 0 {
		return "No table matches that description.", nil
	}
	desc := map[string]string{}
	if k != nil {
		desc = k.Descriptions()
	}
	sort.Strings(tables)
	var b strings.Builder
	b.WriteString("These tables hold that data: ")
	for i, name := range tables {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(name)
		d := desc[strings.ToLower(name)]
		if t, ok := cat.Table(name); ok && d == "" {
			d = t.Comment
		}
		if d != "" {
			b.WriteString(" (" + strings.TrimSuffix(d, ".") + ")")
		}
	}
	b.WriteString(".")
	return b.String(), tables
}

// metricNotes turns the metrics a question names into prompt notes, so
// the model uses the business definition rather than inventing one.
func metricNotes(metrics []knowledge.Metric) string {
	var b strings.Builder
	for _, m := range metrics {
		fmt.Fprintf(&b, "- Metric %q", m.Name)
		if m.Domain != "" {
			fmt.Fprintf(&b, " (%s)", m.Domain)
		}
		fmt.Fprintf(&b, ": %s Use exactly: %s\n", m.Definition, m.Query())
	}
	return b.String()
}
