package pipeline

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPickExamples(t *testing.T) {
	values := map[string]string{"france": "France", "spain": "Spain"}
	long := "SELECT " + strings.Repeat("a_rather_long_column_name, ", 60) + "x FROM customers WHERE country = 'Spain'"
	tests := []struct {
		name  string
		cands []BankEntry
		q     string
		want  []string // the questions shown, in order
	}{
		{"a fresh source stays zero-shot", nil, "How many customers are in France?", nil},
		{"unrelated examples are left out",
			[]BankEntry{{Question: "Revenue by product line", SQL: "SELECT line, sum(amount) FROM sales GROUP BY line"}},
			"Who is the oldest employee?", nil},
		{"the same question about another country comes first",
			[]BankEntry{
				{Question: "List customers in the north region", SQL: "SELECT name FROM customers WHERE region = 'north'"},
				{Question: "How many customers are in Spain?", SQL: "SELECT count(*) FROM customers WHERE country = 'Spain'"},
			},
			"How many customers are in France?",
			[]string{"How many customers are in Spain?", "List customers in the north region"}},
		{"the SQL skeleton the question calls for breaks a tie of words",
			[]BankEntry{
				{Question: "customers of each shop", SQL: "SELECT shop, name FROM customers"},
				{Question: "customers of every shop", SQL: "SELECT shop, count(*) FROM customers GROUP BY shop"},
			},
			"how many customers per shop",
			[]string{"customers of every shop", "customers of each shop"}},
		{"an example past the token budget is skipped",
			[]BankEntry{
				{Question: "How many customers are in Spain?", SQL: "SELECT count(*) FROM customers WHERE country = 'Spain'"},
				{Question: "How many customers are in Spain, with every column?", SQL: long},
				{Question: "How many customers are there?", SQL: "SELECT count(*) FROM customers"},
			},
			"How many customers are in France?",
			[]string{"How many customers are in Spain?", "How many customers are there?"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, ex := range pickExamples(tt.cands, tt.q, values) {
				got = append(got, ex.Question)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("pickExamples(%q) (-want +got):\n%s", tt.q, diff)
			}
		})
	}
}

func TestQuestionShapeMatchesSQLShape(t *testing.T) {
	tests := []struct {
		name, q, sql string
	}{
		{"count", "How many singers are there?", "SELECT count(*) FROM singer"},
		{"top one", "Which singer has the highest age?", "SELECT name FROM singer ORDER BY age DESC LIMIT 1"},
		{"group", "Number of singers in each country", "SELECT country, count(*) FROM singer GROUP BY country"},
		{"negation", "Singers who never sang in a concert", "SELECT name FROM singer WHERE singer_id NOT IN (SELECT singer_id FROM concert)"},
		{"both", "Countries with both young and old singers", "SELECT country FROM singer WHERE age < 30 INTERSECT SELECT country FROM singer WHERE age > 50"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, got := questionShape(tt.q), sqlShape(tt.sql)
			for k := range want {
				if !got[k] {
					t.Errorf("the question calls for %q, which the SQL's shape %v lacks", k, got)
				}
			}
		})
	}
}
