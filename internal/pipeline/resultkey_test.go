package pipeline

import (
	"encoding/json"
	"testing"

	"github.com/askdb/askdb/internal/source"
)

func TestResultKey(t *testing.T) {
	res := func(rows ...[]any) *source.Result {
		return &source.Result{Columns: make([]source.ResultColumn, len(rows[0])), Rows: rows}
	}
	tests := []struct {
		name   string
		a, b   *source.Result
		sqlA   string
		sqlB   string
		agrees bool
	}{
		{name: "row order is ignored without ORDER BY", agrees: true,
			a: res([]any{"x", int64(1)}, []any{"y", int64(2)}), b: res([]any{"y", int64(2)}, []any{"x", int64(1)}),
			sqlA: "SELECT a, b FROM t", sqlB: "SELECT a, b FROM t"},
		{name: "row order counts with ORDER BY", agrees: false,
			a: res([]any{"x"}, []any{"y"}), b: res([]any{"y"}, []any{"x"}),
			sqlA: "SELECT a FROM t order by a", sqlB: "SELECT a FROM t ORDER\nBY a DESC"},
		{name: "numbers agree across int, float and JSON number", agrees: true,
			a: res([]any{int64(3), 0.1 + 0.2}), b: res([]any{json.Number("3.0"), 0.3}),
			sqlA: "SELECT 1", sqlB: "SELECT 1"},
		{name: "NULL is not the text NULL", agrees: false,
			a: res([]any{nil}), b: res([]any{"NULL"}), sqlA: "SELECT 1", sqlB: "SELECT 1"},
		{name: "different values disagree", agrees: false,
			a: res([]any{int64(300)}), b: res([]any{int64(12)}), sqlA: "SELECT 1", sqlB: "SELECT 1"},
		{name: "an extra column disagrees", agrees: false,
			a: res([]any{"x"}), b: res([]any{"x", nil}), sqlA: "SELECT 1", sqlB: "SELECT 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := resultKey(tc.a, tc.sqlA) == resultKey(tc.b, tc.sqlB); got != tc.agrees {
				t.Errorf("agree = %v, want %v", got, tc.agrees)
			}
		})
	}
}
