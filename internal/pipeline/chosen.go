package pipeline

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/askdb/askdb/internal/knowledge"
)

// SafeClaim is the one thing askdb checks about every query it runs, in
// the words the CLI and the badges use. It says nothing about whether the
// query answers the question; ChosenBy says how it was chosen.
const SafeClaim = "read-only query, EXPLAIN passed"

func bankChoice(hit BankHit) *ChosenBy {
	label := fmt.Sprintf("verified question %q", hit.Entry.Question)
	if hit.Template {
		label += " with other values"
	}
	return &ChosenBy{Kind: ChosenByBank, Label: label}
}

func metricChoice(m knowledge.Metric) *ChosenBy {
	return &ChosenBy{Kind: ChosenByMetric, Label: "metric: " + metricName(m)}
}

// metricName is "headcount (hr): employees who still work here": the name,
// the domain and the definition, so that an answer says which reading it
// used when two readings give different numbers.
func metricName(m knowledge.Metric) string {
	s := m.Name + inDomain(m.Domain)
	if m.Definition != "" {
		s += ": " + lowerFirst(strings.TrimSuffix(strings.TrimSpace(m.Definition), "."))
	}
	return s
}

func offlineChoice(confidence float64) *ChosenBy {
	return &ChosenBy{Kind: ChosenByOffline, Confidence: confidence, Label: fmt.Sprintf("offline rules, confidence %.2f", confidence)}
}

func modelChoice(modelID string) *ChosenBy {
	return &ChosenBy{Kind: ChosenByModel, Label: "model: " + modelID}
}

func userChoice() *ChosenBy {
	return &ChosenBy{Kind: ChosenByUser, Label: "your SQL"}
}

// lowerFirst lower-cases the first letter of a sentence, unless the first
// word is an acronym ("AOV is …").
func lowerFirst(s string) string {
	r := []rune(s)
	if len(r) < 2 || unicode.IsUpper(r[1]) {
		return s
	}
	return string(unicode.ToLower(r[0])) + string(r[1:])
}
