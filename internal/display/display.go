// Package display renders query results for people: the text table of the
// CLI and the plain summaries of the pipeline format numbers here, so that
// every engine's 67500.0000, 67500 and 658.540323926868 read alike.
// Machine outputs (JSON, CSV) keep the exact values the database returned.
// It must not import llm, pipeline, server or cli.
package display

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/width"

	"github.com/askdb/askdb/internal/source"
)

// MaxScale is the most decimals a column of numbers of magnitude 1 or more
// shows; SmallScale is the most for a column whose values are all below 1
// (ratios, rates), where two decimals would print 0.00.
const (
	MaxScale   = 2
	SmallScale = 4
)

// Cells renders every value of res as text, one scale per column: a column
// of decimals shows as many decimals as its most precise value needs,
// trailing zeros dropped, and at most MaxScale (SmallScale for values below
// 1). NULL is "NULL".
func Cells(res *source.Result) [][]string {
	scales := Scales(res)
	out := make([][]string, len(res.Rows))
	for r, row := range res.Rows {
		line := make([]string, len(row))
		for c, v := range row {
			sc := -1
			if c < len(scales) {
				sc = scales[c]
			}
			line[c] = Value(v, sc)
		}
		out[r] = line
	}
	return out
}

// Scales returns, for each column of res, the number of decimals its
// numbers are shown with, or -1 for a column with no fractional numbers.
func Scales(res *source.Result) []int {
	scales := make([]int, len(res.Columns))
	for c := range res.Columns {
		scales[c] = columnScale(res.Rows, c)
	}
	return scales
}

func columnScale(rows [][]any, c int) int {
	decimals, fractional, maxAbs := 0, false, 0.0
	for _, row := range rows {
		if c >= len(row) {
			continue
		}
		f, d, ok := number(row[c])
		if !ok {
			continue
		}
		maxAbs = math.Max(maxAbs, math.Abs(f))
		if d >= 0 {
			fractional = true
			decimals = max(decimals, d)
		}
	}
	if !fractional {
		return -1
	}
	limit := MaxScale
	if maxAbs < 1 {
		limit = SmallScale
	}
	return min(decimals, limit)
}

// number reports a numeric value, and how many decimals it needs once
// trailing zeros are dropped: -1 for an integer type.
func number(v any) (f float64, decimals int, ok bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), -1, true
	case float64:
		return x, decimalsOf(strconv.FormatFloat(x, 'f', -1, 64)), true
	case json.Number:
		f, err := x.Float64()
		if err != nil {
			return 0, 0, false
		}
		s := string(x)
		if strings.ContainsAny(s, "eE") {
			s = strconv.FormatFloat(f, 'f', -1, 64)
		}
		return f, decimalsOf(s), true
	}
	return 0, 0, false
}

func decimalsOf(s string) int {
	i := strings.IndexByte(s, '.')
	if i < 0 {
		return 0
	}
	return len(strings.TrimRight(s[i+1:], "0"))
}

// Value renders one value with scale decimals when it is a number; scale
// -1 means the value's own shortest form.
func Value(v any, scale int) string {
	if scale >= 0 {
		switch x := v.(type) {
		case float64:
			if !math.IsInf(x, 0) && !math.IsNaN(x) && math.Abs(x) < 1e21 {
				return strconv.FormatFloat(x, 'f', scale, 64)
			}
		case json.Number:
			return decimalText(string(x), scale)
		case int64:
			return strconv.FormatInt(x, 10) + zeros(scale)
		}
	}
	if n, ok := v.(json.Number); ok {
		return decimalText(string(n), -1)
	}
	return source.FormatValue(v)
}

func zeros(scale int) string {
	if scale <= 0 {
		return ""
	}
	return "." + strings.Repeat("0", scale)
}

// decimalText rounds an exact decimal string to scale places without going
// through float64 when it can (a DECIMAL(38,10) keeps its digits), and
// drops trailing zeros when scale is -1.
func decimalText(s string, scale int) string {
	if strings.ContainsAny(s, "eE") {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return s
		}
		if scale < 0 {
			return source.FormatValue(f)
		}
		return strconv.FormatFloat(f, 'f', scale, 64)
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	if scale < 0 {
		frac = strings.TrimRight(frac, "0")
		return sign(neg, intPart, frac)
	}
	if len(frac) <= scale {
		return sign(neg, intPart, frac+strings.Repeat("0", scale-len(frac)))
	}
	digits := []byte(intPart + frac[:scale])
	if frac[scale] >= '5' { // round half away from zero, as PostgreSQL does
		i := len(digits) - 1
		for ; i >= 0 && digits[i] == '9'; i-- {
			digits[i] = '0'
		}
		if i < 0 {
			digits = append([]byte{'1'}, digits...)
		} else {
			digits[i]++
		}
	}
	n := len(digits) - scale
	return sign(neg, string(digits[:n]), string(digits[n:]))
}

func sign(neg bool, intPart, frac string) string {
	if intPart == "" {
		intPart = "0"
	}
	s := intPart
	if frac != "" {
		s += "." + frac
	}
	if neg && strings.Trim(s, "0.") != "" {
		s = "-" + s
	}
	return s
}

// Width is the number of terminal columns s takes: East Asian wide and
// full-width characters take two, combining marks none.
func Width(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r), unicode.Is(unicode.Me, r), r == '\u200b':
		case isWide(r):
			n += 2
		default:
			n++
		}
	}
	return n
}

func isWide(r rune) bool {
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return true
	}
	return false
}

// Clip shortens s to at most w terminal columns, ending with "…" when it cut.
func Clip(s string, w int) string {
	if Width(s) <= w {
		return s
	}
	var b strings.Builder
	n := 0
	for _, r := range s {
		rw := Width(string(r))
		if n+rw > w-1 {
			break
		}
		b.WriteRune(r)
		n += rw
	}
	return b.String() + "…"
}

// Pad appends spaces to s until it takes w terminal columns.
func Pad(s string, w int) string {
	if d := w - Width(s); d > 0 {
		return s + strings.Repeat(" ", d)
	}
	return s
}

// Label turns a column name into words for a sentence: "average_salary"
// and "averageSalary" become "average salary".
func Label(name string) string {
	var b strings.Builder
	prev := rune(0)
	for _, r := range name {
		switch {
		case r == '_' || r == '-':
			r = ' '
		case unicode.IsUpper(r) && unicode.IsLower(prev):
			b.WriteByte(' ')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
		prev = r
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// Count says "1 table", "2 tables": every count a person reads goes
// through it or Plural, so none says "1 tables".
func Count(n int, noun string) string {
	return strconv.Itoa(n) + " " + Plural(n, noun, noun+"s")
}

// Plural is one when n is 1 and many otherwise, for nouns that do not
// just take an s ("source is", "sources are").
func Plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
