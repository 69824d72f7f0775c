package eval

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Scoring conventions for execution accuracy.
const (
	// ScoreSpider compares rows as multisets, ignores column order, and
	// respects row order only when the gold query has ORDER BY
	// (test-suite-sql-eval).
	ScoreSpider = "spider"
	// ScoreBIRD compares the sets of rows (BIRD's set(pred) == set(gold)).
	ScoreBIRD = "bird"
)

var orderByRE = regexp.MustCompile(`(?i)\border\s+by\b`)

// HasOrderBy reports whether a gold query orders its rows.
func HasOrderBy(sql string) bool { return orderByRE.MatchString(sql) }

// SameResult reports whether predicted rows match gold rows under the
// given convention. ordered says whether row order matters (Spider only).
func SameResult(convention string, pred, gold [][]any, ordered bool) bool {
	if convention == ScoreBIRD {
		return sameSet(canonRows(pred), canonRows(gold))
	}
	if len(pred) != len(gold) {
		return false
	}
	if len(gold) == 0 {
		return true
	}
	p, g := canonRows(pred), canonRows(gold)
	if len(p[0]) != len(g[0]) {
		return false
	}
	// Column order is ignored: try the column permutations that match
	// column by column as multisets, then compare rows.
	perms := columnMatches(p, g)
	for _, perm := range perms {
		if rowsEqual(permute(p, perm), g, ordered) {
			return true
		}
	}
	return false
}

// canonRows renders every value as a comparable string: numbers equal
// as numbers (3 == 3.0), NULL as its own token.
func canonRows(rows [][]any) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = make([]string, len(r))
		for j, v := range r {
			out[i][j] = canonValue(v)
		}
	}
	return out
}

func canonValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "\x00NULL"
	case int64:
		return strconv.FormatInt(x, 10)
	case int:
		return strconv.Itoa(x)
	case float64:
		return canonFloat(x)
	case float32:
		return canonFloat(float64(x))
	case bool:
		if x {
			return "1"
		}
		return "0"
	case []byte:
		return string(x)
	case string:
		if f, err := strconv.ParseFloat(x, 64); err == nil && strings.ContainsAny(x, "0123456789") && !strings.ContainsAny(x, " xX") {
			return canonFloat(f)
		}
		return x
	}
	return fmt.Sprint(v)
}

func canonFloat(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'g', 10, 64)
}

func sameSet(p, g [][]string) bool {
	ps, gs := map[string]bool{}, map[string]bool{}
	for _, r := range p {
		ps[strings.Join(r, "\x1f")] = true
	}
	for _, r := range g {
		gs[strings.Join(r, "\x1f")] = true
	}
	if len(ps) != len(gs) {
		return false
	}
	for k := range gs {
		if !ps[k] {
			return false
		}
	}
	return true
}

// columnMatches lists permutations perm (pred column perm[j] is gold
// column j) whose columns are equal as multisets; at most 24 are tried.
func columnMatches(p, g [][]string) [][]int {
	n := len(g[0])
	sig := func(rows [][]string, j int) string {
		col := make([]string, len(rows))
		for i, r := range rows {
			col[i] = r[j]
		}
		sort.Strings(col)
		return strings.Join(col, "\x1f")
	}
	gs, ps := make([]string, n), make([]string, n)
	for j := 0; j < n; j++ {
		gs[j], ps[j] = sig(g, j), sig(p, j)
	}
	var out [][]int
	perm := make([]int, n)
	used := make([]bool, n)
	var walk func(j int)
	walk = func(j int) {
		if len(out) >= 24 {
			return
		}
		if j == n {
			out = append(out, append([]int(nil), perm...))
			return
		}
		for k := 0; k < n; k++ {
			if !used[k] && ps[k] == gs[j] {
				used[k], perm[j] = true, k
				walk(j + 1)
				used[k] = false
			}
		}
	}
	walk(0)
	return out
}

func permute(rows [][]string, perm []int) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		nr := make([]string, len(perm))
		for j, k := range perm {
			nr[j] = r[k]
		}
		out[i] = nr
	}
	return out
}

func rowsEqual(p, g [][]string, ordered bool) bool {
	pk, gk := make([]string, len(p)), make([]string, len(g))
	for i := range p {
		pk[i], gk[i] = strings.Join(p[i], "\x1f"), strings.Join(g[i], "\x1f")
	}
	if !ordered {
		sort.Strings(pk)
		sort.Strings(gk)
	}
	for i := range pk {
		if pk[i] != gk[i] {
			return false
		}
	}
	return true
}
