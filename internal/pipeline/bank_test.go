package pipeline

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMatchBank(t *testing.T) {
	entries := []BankEntry{
		{ID: "a", Question: "How many employees were hired before 1990?", SQL: "SELECT count(*) FROM employees WHERE hire_date < '1990-01-01'"},
		{ID: "b", Question: "What was the total revenue in 2024?", SQL: "SELECT sum(total) FROM orders WHERE order_date >= '2024-01-01' AND order_date < '2025-01-01'"},
		{ID: "c", Question: "Show the top 5 customers in 'Germany'", SQL: "SELECT name FROM customers WHERE country = 'Germany' ORDER BY name LIMIT 5"},
		{ID: "d", Question: "How many customers are in France?", SQL: "SELECT count(*) FROM customers WHERE country = 'France'\nLIMIT 1001"},
	}
	values := map[string]string{"france": "France", "spain": "Spain", "germany": "Germany"}
	tests := []struct {
		name, q, wantID, wantSQL string
		template                 bool
	}{
		{"exact after normalisation", "how many employees were hired before 1990", "a", entries[0].SQL, false},
		{"template with another year", "How many employees were hired before 1995?", "a", "SELECT count(*) FROM employees WHERE hire_date < '1995-01-01'", true},
		{"derived bound blocks the template", "What was the total revenue in 2023?", "", "", false},
		{"exact match still works with a derived bound", "What was the total revenue in 2024?", "b", entries[1].SQL, false},
		{"two literals, quotes escaped", "Show the top 3 customers in 'Côte d'Ivoire'", "", "", false},
		{"two literals", "Show the top 3 customers in 'France'", "c", "SELECT name FROM customers WHERE country = 'France' ORDER BY name LIMIT 3", true},
		{"different words do not match", "How many products were hired before 1995?", "", "", false},
		{"no literals, different question", "How many employees are there?", "", "", false},
		{"a stored value is a literal", "how many customers are in spain?", "d", "SELECT count(*) FROM customers WHERE country = 'Spain'\nLIMIT 1001", true},
		{"a word that is not a stored value is not", "How many customers are in Narnia?", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hit, sql, ok := matchBank(tt.q, entries, values)
			if ok != (tt.wantID != "") || hit.Entry.ID != tt.wantID || sql != tt.wantSQL || hit.Template != tt.template {
				t.Fatalf("matchBank = %+v, %q, %v; want entry %q, %q, template %v", hit, sql, ok, tt.wantID, tt.wantSQL, tt.template)
			}
		})
	}
}

func TestSubstituteEscapes(t *testing.T) {
	got, subs, ok := substitute("SELECT 1 FROM t WHERE name = 'Bob'", []string{"Bob"}, []string{"O'Hara"})
	if !ok || got != "SELECT 1 FROM t WHERE name = 'O''Hara'" || !cmp.Equal(subs, map[string]string{"Bob": "O''Hara"}) {
		t.Fatalf("substitute = %q, %v, %v", got, subs, ok)
	}
}
