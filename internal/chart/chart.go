package chart

import (
	"fmt"
	"regexp"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/source"
)

// Kind is a chart type.
type Kind string

// Chart kinds.
const (
	None    Kind = "none"
	Line    Kind = "line"
	Bar     Kind = "bar"
	Number  Kind = "number"
	Scatter Kind = "scatter"
)

// Limits of the rules.
const (
	// MaxBars is the most categories a bar chart shows; more is a table.
	MaxBars = 50
	// MaxSeries is the most measures drawn on one chart.
	MaxSeries = 5
	// MaxPoints is the most points a line or scatter chart draws.
	MaxPoints = 5000
)

// Spec says how to draw a result. X and Y name result columns.
type Spec struct {
	Kind Kind `json:"kind"`
	// X is the time, category or first-measure column.
	X string `json:"x,omitempty"`
	// Y are the measure columns (one for scatter and number).
	Y []string `json:"y,omitempty"`
	// Reason says in words why this kind was chosen.
	Reason string `json:"reason"`
}

// role is what a column can play in a chart.
type role int

const (
	roleOther role = iota
	roleMeasure
	roleTime
	roleCategory
)

// isoDate matches the ISO 8601 dates and timestamps sources return as text
// (SQLite has no date type, and strftime results are text).
var isoDate = regexp.MustCompile(`^\d{4}-\d{2}(-\d{2})?([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$`)

// Choose picks a chart for the result. It never fails: a shape no rule
// covers gets Kind None with a reason.
func Choose(cols []source.ResultColumn, rows [][]any) Spec {
	if len(cols) == 0 || len(rows) == 0 {
		return Spec{Kind: None, Reason: "no rows"}
	}
	roles := make([]role, len(cols))
	var measures, times, cats []int
	for i, c := range cols {
		roles[i] = columnRole(c.Type, rows, i)
		switch roles[i] {
		case roleMeasure:
			measures = append(measures, i)
		case roleTime:
			times = append(times, i)
		case roleCategory:
			cats = append(cats, i)
		}
	}
	switch {
	case len(rows) == 1 && len(cols) == 1 && len(measures) == 1:
		return Spec{Kind: Number, Y: names(cols, measures), Reason: "one number"}
	case len(measures) == 0:
		return Spec{Kind: None, Reason: "no numeric column to plot"}
	case len(times) == 1 && len(cats) == 0 && len(rows) >= 2 && len(rows) <= MaxPoints:
		return Spec{Kind: Line, X: cols[times[0]].Name, Y: names(cols, first(measures, MaxSeries)),
			Reason: fmt.Sprintf("time series: %s over %s", cols[measures[0]].Name, cols[times[0]].Name)}
	case len(cats) == 1 && len(times) == 0:
		return barOrNone(cols, rows, cats[0], measures)
	case len(cats) == 0 && len(times) == 0 && len(measures) == 2 && len(rows) >= 3 && len(rows) <= MaxPoints:
		return Spec{Kind: Scatter, X: cols[measures[0]].Name, Y: names(cols, measures[1:]),
			Reason: fmt.Sprintf("two measures: %s against %s", cols[measures[1]].Name, cols[measures[0]].Name)}
	}
	return Spec{Kind: None, Reason: "no chart suits this shape; see the table"}
}

func barOrNone(cols []source.ResultColumn, rows [][]any, cat int, measures []int) Spec {
	n := distinct(rows, cat)
	switch {
	case len(rows) < 2:
		return Spec{Kind: None, Reason: "a single category; see the table"}
	case n > MaxBars:
		return Spec{Kind: None, Reason: fmt.Sprintf("%d categories are too many for bars (limit %d)", n, MaxBars)}
	case n != len(rows):
		return Spec{Kind: None, Reason: fmt.Sprintf("categories of %q repeat; see the table", cols[cat].Name)}
	}
	return Spec{Kind: Bar, X: cols[cat].Name, Y: names(cols, first(measures, MaxSeries)),
		Reason: fmt.Sprintf("%s by %s", cols[measures[0]].Name, cols[cat].Name)}
}

// columnRole decides a column's role from its type and, for text, from its
// values: text holding only ISO dates is time.
func columnRole(t catalog.Type, rows [][]any, i int) role {
	switch {
	case t.IsNumeric():
		return roleMeasure
	case t == catalog.TypeDate || t == catalog.TypeTimestamp:
		return roleTime
	case t == catalog.TypeText || t == catalog.TypeOther || t == catalog.TypeBoolean || t == catalog.TypeUUID:
		if t == catalog.TypeText && allDates(rows, i) {
			return roleTime
		}
		return roleCategory
	}
	return roleOther
}

func allDates(rows [][]any, i int) bool {
	seen := false
	for _, r := range rows {
		if i >= len(r) || r[i] == nil {
			continue
		}
		s, ok := r[i].(string)
		if !ok || !isoDate.MatchString(s) {
			return false
		}
		seen = true
	}
	return seen
}

func distinct(rows [][]any, i int) int {
	seen := make(map[string]struct{}, len(rows))
	for _, r := range rows {
		if i < len(r) {
			seen[fmt.Sprint(r[i])] = struct{}{}
		}
	}
	return len(seen)
}

func names(cols []source.ResultColumn, idx []int) []string {
	out := make([]string, len(idx))
	for j, i := range idx {
		out[j] = cols[i].Name
	}
	return out
}

func first(idx []int, n int) []int {
	if len(idx) > n {
		return idx[:n]
	}
	return idx
}
