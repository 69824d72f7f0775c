package pipeline

import (
	"context"
	"fmt"
	"testing"

	"github.com/askdb/askdb/internal/store"
)

func TestLexicalSimilarity(t *testing.T) {
	tests := []struct {
		name     string
		a, b     string
		min, max float64
	}{
		{"the same words", "How many employees were hired in 2020?", "how many employees were hired in 2020", 1, 1},
		{"a dropped filler word", "How many employees were hired in 2020?", "How many employees hired in 2020?", 0.9, 0.99},
		{"plural and tense fold", "List the orders shipped", "list the order shipping", 1, 1},
		{"count versus list is not a paraphrase", "How many employees?", "List the employees", 0, 0.6},
		{"other data", "How many employees?", "How many customers?", 0, 0.5},
		{"nothing in common", "employees", "revenue", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := lexicalSimilarity(tt.a, tt.b); got < tt.min || got > tt.max {
				t.Errorf("lexicalSimilarity(%q, %q) = %.3f, want within [%.2f, %.2f]", tt.a, tt.b, got, tt.min, tt.max)
			}
		})
	}
}

func TestSameMentions(t *testing.T) {
	values := map[string]string{"france": "France", "spain": "Spain"}
	const franceSQL = "SELECT count(*) FROM customers WHERE country = 'France' LIMIT 1001"
	tests := []struct {
		name, q, cached, sql string
		values               map[string]string
		want                 bool
	}{
		{"same value, other words", "Count the customers located in France", "How many customers are in France?", franceSQL, values, true},
		{"another stored value", "Count the customers located in Spain", "How many customers are in France?", franceSQL, values, false},
		{"another capitalised name, values unknown", "Count the customers in Spain", "How many customers are in France?", franceSQL, nil, false},
		{"a lower-case value the SQL holds, values unknown", "customers in spain", "customers in france", franceSQL, nil, false},
		{"another number", "Top 10 products", "Top 5 products", "SELECT name FROM products LIMIT 5", nil, false},
		{"the final LIMIT is a row cap, not a value", "How many products are there?", "Count the products", "SELECT count(*) FROM products\nLIMIT 1001", nil, true},
		{"a value added to the question", "How many customers are in Spain?", "How many customers are there?", "SELECT count(*) FROM customers", values, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sameMentions(tt.q, tt.cached, tt.sql, tt.values); got != tt.want {
				t.Errorf("sameMentions(%q, %q) = %v, want %v", tt.q, tt.cached, got, tt.want)
			}
		})
	}
}

// BenchmarkMatchCache is the cost of a lexical cache miss (every entry is
// compared) at the default bound and a tenth of it.
//
//	go test ./internal/pipeline -run '^$' -bench MatchCache -benchmem
func BenchmarkMatchCache(b *testing.B) {
	for _, n := range []int{100, 1000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			entries := make([]store.CacheEntry, n)
			for i := range entries {
				entries[i] = store.CacheEntry{ID: fmt.Sprint(i), Question: fmt.Sprintf("How many orders did customer %d place in region %d?", i, i%7),
					SQL: fmt.Sprintf("SELECT count(*) FROM orders WHERE customer_id = %d", i)}
			}
			r := &run{p: New(Options{Cache: CacheOptions{Enabled: true}})}
			r.values = map[string]string{"france": "France", "spain": "Spain"}
			b.ReportAllocs()
			for b.Loop() {
				if _, _, ok := r.matchCache(context.Background(), "Which products sold best in Spain last quarter?", entries); ok {
					b.Fatal("unexpected hit")
				}
			}
		})
	}
}
