package sqlguard

import (
	"math"
	"strconv"
	"strings"
)

// DuckDB builds a scalar function's whole result in one call, outside its
// memory_limit and beyond the reach of its interrupt: repeat('x', 1e9)
// allocates a gigabyte, and list_transform(range(1e8), x -> repeat('x',
// 100)) twenty. So in DuckDB SQL the functions that multiply a value's size
// by an argument (sizers) must take that argument as a literal of at most
// maxBuiltItems (repeat: maxBuiltBytes in all), may not hold another sizer in their arguments, and may not
// appear in a lambda body (which runs once per list element). range and
// generate_series in FROM are table functions, read a chunk at a time, and
// are not limited here.
const maxBuiltItems = 1 << 20

// maxBuiltBytes bounds repeat's result: its count times the length of a
// literal first argument, or times nonLiteralUnit for a column or other
// expression, whose length the guard cannot see.
const (
	maxBuiltBytes  = 16 << 20
	nonLiteralUnit = 1 << 10
)

// duckdbSizers maps a size-multiplying function to the index of its count
// argument; -1 marks range and generate_series, whose length is (stop -
// start) / step.
var duckdbSizers = map[string]int{
	"repeat": 1, "lpad": 1, "rpad": 1, "list_resize": 1, "array_resize": 1, "bar": 3,
	"range": -1, "generate_series": -1,
}

// duckdbFormatters take a format string whose widths size the result.
var duckdbFormatters = map[string]bool{"format": true, "printf": true}

// duckdbSize checks one DuckDB function call (see above).
func (w *pgWalker) duckdbSize(name string, n jsonValue) *refusal {
	idx, sizer := duckdbSizers[name]
	if !sizer && !duckdbFormatters[name] {
		return nil
	}
	at := n.int("location")
	if w.tableFuncs[at] {
		return nil // range(...) in FROM
	}
	args := nodeList(n.get("args"))
	if !sizer {
		if len(args) == 0 {
			return nil
		}
		s, ok := literalText(args[0])
		if !ok || largestNumber(s) > maxBuiltItems {
			return refuse(RuleTooComplex, name, at,
				"%s needs a literal format string with widths of at most %d; DuckDB builds the whole value in memory", name, maxBuiltItems)
		}
		return nil
	}
	for _, a := range args {
		if containsSizer(a) {
			return refuse(RuleTooComplex, name, at,
				"%s may not take the result of another size-multiplying call (repeat, lpad, range, ...); DuckDB builds the whole value in memory", name)
		}
	}
	count, ok := sizerCount(idx, args)
	if ok && name == "repeat" && len(args) > 0 {
		// repeat's result is its first argument times the count.
		unit := float64(nonLiteralUnit)
		if lit, isLit := literalText(args[0]); isLit {
			unit = float64(max(1, len(lit)))
		}
		ok = count*unit <= maxBuiltBytes
	}
	if !ok || count > maxBuiltItems {
		return refuse(RuleTooComplex, name, at,
			"%s here must build at most %d items (repeat: %d bytes) from literal arguments; DuckDB builds the whole value in memory (use range in FROM to generate rows)", name, maxBuiltItems, maxBuiltBytes)
	}
	return nil
}

// duckdbLambda refuses a size-multiplying call inside a lambda body (the
// right side of "->"), which runs once per list element.
func duckdbLambda(n jsonValue) *refusal {
	if n.get("name").len() != 1 {
		return nil
	}
	if names := pgNames(n.get("name")); names[0] != "->" || !containsSizer(n.get("rexpr")) {
		return nil
	}
	return refuse(RuleTooComplex, "->", n.int("location"),
		"a lambda may not call a size-multiplying function (repeat, lpad, range, ...): it runs once per list element, and DuckDB builds the whole value in memory")
}

// sizerCount is the number of items a sizer call builds, when its
// arguments allow knowing it.
func sizerCount(idx int, args []jsonValue) (float64, bool) {
	if idx >= 0 {
		if idx >= len(args) {
			return 0, true // DuckDB refuses the call
		}
		return literalNumber(args[idx])
	}
	nums := make([]float64, len(args))
	for i, a := range args {
		v, ok := literalNumber(a)
		if !ok {
			return 0, false
		}
		nums[i] = v
	}
	switch len(nums) {
	case 1:
		return math.Abs(nums[0]), true
	case 2:
		return math.Abs(nums[1] - nums[0]), true
	case 3:
		if nums[2] == 0 {
			return 0, true
		}
		return math.Abs((nums[1] - nums[0]) / nums[2]), true
	}
	return 0, false
}

// containsSizer reports whether the subtree holds a sizer or formatter call.
func containsSizer(v jsonValue) bool {
	switch v.kind() {
	case jsonArray:
		for item := range v.items() {
			if containsSizer(item) {
				return true
			}
		}
	case jsonObject:
		for key, m := range v.members() {
			if key == "FuncCall" {
				if parts := pgNames(m.get("funcname")); len(parts) > 0 {
					name := strings.ToLower(parts[len(parts)-1])
					if _, sizer := duckdbSizers[name]; sizer || duckdbFormatters[name] {
						return true
					}
				}
			}
			if containsSizer(m) {
				return true
			}
		}
	}
	return false
}

func nodeList(v jsonValue) []jsonValue {
	var out []jsonValue
	for item := range v.items() {
		out = append(out, item)
	}
	return out
}

// literalNumber reads an integer or decimal constant, through casts and a
// unary minus.
func literalNumber(v jsonValue) (float64, bool) {
	kind, n := v.node()
	switch kind {
	case "TypeCast":
		return literalNumber(n.get("arg"))
	case "A_Const":
		switch {
		case n.has("ival"):
			return float64(n.get("ival").int("ival")), true
		case n.has("fval"):
			f, err := strconv.ParseFloat(n.get("fval").str("fval"), 64)
			return f, err == nil
		}
	case "A_Expr":
		if names := pgNames(n.get("name")); len(names) == 1 && names[0] == "-" && n.get("lexpr").kind() == jsonNull {
			f, ok := literalNumber(n.get("rexpr"))
			return -f, ok
		}
	}
	return 0, false
}

// literalText reads a string constant, through casts.
func literalText(v jsonValue) (string, bool) {
	kind, n := v.node()
	switch kind {
	case "TypeCast":
		return literalText(n.get("arg"))
	case "A_Const":
		if n.has("sval") {
			return n.get("sval").str("sval"), true
		}
	}
	return "", false
}

// largestNumber is the largest run of digits in s, read as a number.
func largestNumber(s string) float64 {
	best := 0.0
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j > i {
			if f, err := strconv.ParseFloat(s[i:j], 64); err == nil && f > best {
				best = f
			}
			i = j
			continue
		}
		i++
	}
	return best
}
