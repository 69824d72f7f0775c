package pipeline

import (
	"encoding/json"
	"testing"

	"github.com/askdb/askdb/internal/source"
)

func TestExtractSQL(t *testing.T) {
	tests := []struct {
		name, in, sql, expl string
		ok                  bool
	}{
		{"fenced with explanation after", "```sql\nSELECT 1;\n```\nCounts one thing.", "SELECT 1", "Counts one thing.", true},
		{"prose before and after", "Here is the query:\n```sql\nSELECT name\nFROM t;;\n```\nThis lists names.\n", "SELECT name\nFROM t", "This lists names.", true},
		{"untagged fence", "```\nWITH x AS (SELECT 1) SELECT * FROM x\n```", "WITH x AS (SELECT 1) SELECT * FROM x", "", true},
		{"python block skipped, sql block used", "```python\nprint(1)\n```\n```sql\nSELECT 2\n```", "SELECT 2", "", true},
		{"no fences", "SELECT count(*) FROM employees;\n\nThis counts employees.", "SELECT count(*) FROM employees", "This counts employees.", true},
		{"sql tag inside fence", "```\nsql\nSELECT 3\n```", "SELECT 3", "", true},
		{"unterminated fence", "```sql\nSELECT 4 FROM t", "SELECT 4 FROM t", "", true},
		{"inline after prose", "The answer is: SELECT a FROM b", "SELECT a FROM b", "The answer is:", true},
		{"prose only", "I cannot answer that from this schema.", "", "", false},
		{"empty", "", "", "", false},
		{"delete is extracted for the guard to refuse", "```sql\nDELETE FROM customers\n```", "DELETE FROM customers", "", true},
		{"bare delete too", "Sure.\nDELETE FROM customers WHERE 1=1;", "DELETE FROM customers WHERE 1=1", "Sure.", true},
		{"prose mentioning select is not SQL", "Please select a source first.", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ExtractSQL(tt.in)
			if ok != tt.ok || got.SQL != tt.sql {
				t.Fatalf("ExtractSQL = %q, %v; want %q, %v", got.SQL, ok, tt.sql, tt.ok)
			}
			if tt.expl != "" && got.Explanation != tt.expl {
				t.Errorf("Explanation = %q, want %q", got.Explanation, tt.expl)
			}
		})
	}
}

func TestFirstSentence(t *testing.T) {
	tests := map[string]string{
		"There are 300 employees.\nMore text.":      "There are 300 employees.",
		"```sql\nSELECT 1\n```":                     "",
		"```\nnothing\n```\nGermany leads.":         "Germany leads.",
		"SELECT count(*) FROM t\n\nThe count is 3.": "The count is 3.",
		"   ": "",
	}
	for in, want := range tests {
		if got := firstSentence(in); got != want {
			t.Errorf("firstSentence(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPlainSummary(t *testing.T) {
	col := func(names ...string) []source.ResultColumn {
		out := make([]source.ResultColumn, len(names))
		for i, n := range names {
			out[i].Name = n
		}
		return out
	}
	tests := []struct {
		res  source.Result
		want string
	}{
		{source.Result{Columns: col("n")}, "No rows matched."},
		{source.Result{Columns: col("employees"), Rows: [][]any{{int64(34)}}}, "employees: 34."},
		{source.Result{Columns: col("name", "total"), Rows: [][]any{{"Zoë", 12.5}}}, "name: Zoë, total: 12.5."},
		{source.Result{Columns: col("average_salary"), Rows: [][]any{{658.540323926868}}}, "average salary: 658.54."},
		{source.Result{Columns: col("name", "average_salary"), Rows: [][]any{{"Engineering", 91000.5}, {"Sales", 67500.0}, {"Support", 45000.25}}},
			"3 rows. Highest average salary: Engineering (91000.50); lowest: Support (45000.25)."},
		{source.Result{Columns: col("name", "n"), Rows: [][]any{{"a", int64(1)}, {"b", int64(2)}}}, "2 rows. Lowest n: a (1); highest: b (2)."},
		{source.Result{Columns: col("name", "n"), Rows: [][]any{{"a", int64(5)}, {"b", int64(9)}, {"c", int64(2)}}},
			"3 rows. Top row: a, n 5. N ranges from 2 to 9."},
		{source.Result{Columns: col("month", "total"), Rows: [][]any{{"2024-01", json.Number("10.0000")}, {"2024-02", json.Number("30.0000")}}, Truncated: true},
			"Showing the first 2 rows; more exist. Lowest total: 2024-01 (10); highest: 2024-02 (30)."},
		{source.Result{Columns: col("name", "dept"), Rows: [][]any{{"a", "x"}, {"b", "y"}}}, "2 rows. First: a; last: b."},
		{source.Result{Columns: col("name"), Rows: [][]any{{"a"}, {"b"}, {"c"}}}, "a, b and c."},
		{source.Result{Columns: col("name"), Rows: [][]any{{"a"}, {"b"}}, Truncated: true}, "Showing the first 2 rows; more exist. First: a; last: b."},
		{source.Result{Columns: col("a", "b"), Rows: [][]any{{1, 2}, {3, 4}}}, "2 rows. A ranges from 1 to 3."},
	}
	for _, tt := range tests {
		if got := plainSummary(&tt.res); got != tt.want {
			t.Errorf("plainSummary(%v) = %q, want %q", tt.res.Rows, got, tt.want)
		}
	}
}
