package chart

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/source"
)

func cols(spec ...string) []source.ResultColumn {
	out := make([]source.ResultColumn, 0, len(spec)/2)
	for i := 0; i+1 < len(spec); i += 2 {
		out = append(out, source.ResultColumn{Name: spec[i], Type: catalog.Type(spec[i+1])})
	}
	return out
}

func manyRows(n int, f func(i int) []any) [][]any {
	out := make([][]any, n)
	for i := range out {
		out[i] = f(i)
	}
	return out
}

func TestChoose(t *testing.T) {
	tests := []struct {
		name string
		cols []source.ResultColumn
		rows [][]any
		kind Kind
		x    string
		y    []string
	}{
		{name: "no rows", cols: cols("n", "integer"), kind: None},
		{name: "one number", cols: cols("count", "integer"), rows: [][]any{{int64(300)}}, kind: Number, y: []string{"count"}},
		{name: "one text cell", cols: cols("name", "text"), rows: [][]any{{"Ada"}}, kind: None},
		{name: "time series on a date column", cols: cols("day", "date", "revenue", "decimal"),
			rows: [][]any{{"2024-01-01", json.Number("1.5")}, {"2024-01-02", json.Number("2")}}, kind: Line, x: "day", y: []string{"revenue"}},
		{name: "time series on ISO text months (SQLite strftime)", cols: cols("month", "text", "orders", "integer", "total", "float"),
			rows: [][]any{{"2024-01", int64(3), 1.0}, {"2024-02", int64(4), 2.0}, {nil, int64(1), 0.5}}, kind: Line, x: "month", y: []string{"orders", "total"}},
		{name: "timestamps", cols: cols("at", "timestamp", "n", "integer"),
			rows: [][]any{{"2024-01-01T10:00:00Z", int64(1)}, {"2024-01-01T11:00:00Z", int64(2)}}, kind: Line, x: "at", y: []string{"n"}},
		{name: "category and measure", cols: cols("region", "text", "sales", "decimal"),
			rows: [][]any{{"EU", json.Number("10")}, {"US", json.Number("12")}}, kind: Bar, x: "region", y: []string{"sales"}},
		{name: "too many categories", cols: cols("name", "text", "n", "integer"),
			rows: manyRows(MaxBars+1, func(i int) []any { return []any{fmt.Sprint("c", i), int64(i)} }), kind: None},
		{name: "repeated categories", cols: cols("name", "text", "n", "integer"),
			rows: [][]any{{"a", int64(1)}, {"a", int64(2)}}, kind: None},
		{name: "two categories and a measure", cols: cols("a", "text", "b", "text", "n", "integer"),
			rows: [][]any{{"x", "y", int64(1)}, {"x", "z", int64(2)}}, kind: None},
		{name: "two measures", cols: cols("age", "integer", "salary", "decimal"),
			rows: [][]any{{int64(30), json.Number("10")}, {int64(40), json.Number("20")}, {int64(50), json.Number("25")}}, kind: Scatter, x: "age", y: []string{"salary"}},
		{name: "two measures, too few points", cols: cols("age", "integer", "salary", "decimal"),
			rows: [][]any{{int64(30), json.Number("10")}, {int64(40), json.Number("20")}}, kind: None},
		{name: "text only", cols: cols("first", "text", "last", "text"), rows: [][]any{{"a", "b"}, {"c", "d"}}, kind: None},
		{name: "series capped", cols: cols("k", "text", "a", "integer", "b", "integer", "c", "integer", "d", "integer", "e", "integer", "f", "integer"),
			rows: [][]any{{"x", 1, 2, 3, 4, 5, 6}, {"y", 1, 2, 3, 4, 5, 6}}, kind: Bar, x: "k", y: []string{"a", "b", "c", "d", "e"}},
		{name: "text that is not all dates is a category", cols: cols("label", "text", "n", "integer"),
			rows: [][]any{{"2024-01", int64(1)}, {"later", int64(2)}}, kind: Bar, x: "label", y: []string{"n"}},
		{name: "200 columns", cols: func() []source.ResultColumn {
			var c []string
			for i := range 200 {
				c = append(c, fmt.Sprint("c", i), "integer")
			}
			return cols(c...)
		}(), rows: [][]any{make([]any, 200), make([]any, 200)}, kind: None},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Choose(tt.cols, tt.rows)
			if got.Reason == "" {
				t.Error("empty reason")
			}
			want := Spec{Kind: tt.kind, X: tt.x, Y: tt.y, Reason: got.Reason}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Choose() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func BenchmarkChoose10kRows(b *testing.B) {
	c := cols("day", "text", "n", "integer")
	rows := manyRows(10000, func(i int) []any { return []any{fmt.Sprintf("2024-01-%02d", i%28+1), int64(i)} })
	b.ReportAllocs()
	for b.Loop() {
		Choose(c, rows)
	}
}
