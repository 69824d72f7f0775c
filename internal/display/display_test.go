package display

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/askdb/askdb/internal/source"
)

func result(rows ...[]any) *source.Result {
	cols := make([]source.ResultColumn, len(rows[0]))
	for i := range cols {
		cols[i] = source.ResultColumn{Name: "c"}
	}
	return &source.Result{Columns: cols, Rows: rows}
}

func TestCells(t *testing.T) {
	tests := []struct {
		name string
		res  *source.Result
		want [][]string
	}{
		{"unrounded average rounds to two decimals", result([]any{658.540323926868}, []any{12.5}), [][]string{{"658.54"}, {"12.50"}}},
		{"MySQL decimal zeros dropped like SQLite and PostgreSQL", result([]any{json.Number("67500.0000")}, []any{json.Number("71000.0000")}), [][]string{{"67500"}, {"71000"}}},
		{"one scale per column", result([]any{json.Number("67500.5000")}, []any{json.Number("71000.0000")}), [][]string{{"67500.5"}, {"71000.0"}}},
		{"integer column untouched", result([]any{int64(42)}, []any{nil}), [][]string{{"42"}, {"NULL"}}},
		{"integers in a decimal column get the scale", result([]any{int64(3)}, []any{1.25}), [][]string{{"3.00"}, {"1.25"}}},
		{"small ratios keep four decimals", result([]any{0.012345}, []any{0.5}), [][]string{{"0.0123"}, {"0.5000"}}},
		{"exact decimal rounds without float", result([]any{json.Number("12345678901234567.995")}), [][]string{{"12345678901234568.00"}}},
		{"negative rounds away from zero", result([]any{json.Number("-2.345")}), [][]string{{"-2.35"}}},
		{"text column untouched", result([]any{"1.23456"}), [][]string{{"1.23456"}}},
		{"whole floats stay whole", result([]any{67500.0}), [][]string{{"67500"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Cells(tt.res)); diff != "" {
				t.Errorf("Cells (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWidth(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want int
	}{
		{"ascii", "Sales", 5},
		{"CJK takes two columns each", "東京営業部", 10},
		{"full-width latin", "ＡＢ", 4},
		{"combining mark takes none", "e\u0301", 1},
		{"accented latin", "Zoë", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Width(tt.in); got != tt.want {
				t.Errorf("Width(%q) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
	if got := Clip("東京営業部東京営業部", 7); Width(got) > 7 || got != "東京営…" {
		t.Errorf("Clip = %q (width %d)", got, Width(got))
	}
}

func TestLabel(t *testing.T) {
	for in, want := range map[string]string{"average_salary": "average salary", "avgSalary": "avg salary", "name": "name", "count(*)": "count(*)"} {
		if got := Label(in); got != want {
			t.Errorf("Label(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCount(t *testing.T) {
	for n, want := range map[int]string{0: "0 tables", 1: "1 table", 2: "2 tables", -1: "-1 tables"} {
		if got := Count(n, "table"); got != want {
			t.Errorf("Count(%d, table) = %q, want %q", n, got, want)
		}
	}
	if got := Plural(1, "source is", "sources are"); got != "source is" {
		t.Errorf("Plural(1) = %q", got)
	}
}
