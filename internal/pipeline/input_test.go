package pipeline

import (
	"errors"
	"strings"
	"testing"
)

func TestCleanQuestion(t *testing.T) {
	tests := []struct {
		name, in, want string
		err            error
	}{
		{"trims and collapses space", "  how many\t\n customers?  ", "how many customers?", nil},
		{"control chars become spaces", "how\x00many\x1b[31m orders", "how many [31m orders", nil},
		{"empty", "   \n", "", ErrEmptyQuestion},
		{"not utf-8", "how many \xff\xfe", "", ErrNotUTF8},
		{"too long", strings.Repeat("a", DefaultMaxQuestionRunes+1), "", ErrQuestionTooLong},
		{"unicode is fine", "Wie viele Kunden gibt es in München?", "Wie viele Kunden gibt es in München?", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CleanQuestion(tt.in, 0)
			if !errors.Is(err, tt.err) || got != tt.want {
				t.Fatalf("CleanQuestion = %q, %v; want %q, %v", got, err, tt.want, tt.err)
			}
		})
	}
}

func TestWriteRequest(t *testing.T) {
	writes := []string{
		"delete the test customers",
		"Please remove all cancelled orders",
		"drop table employees",
		"update the price of product 3 to 10",
		"Can you insert a new customer called Bob",
		"change the salary of Ann to 5000",
		"set all orders to shipped",
		"truncate orders",
		"Remove duplicate customers",
		"please purge old orders from 2019",
	}
	for _, q := range writes {
		if _, ok := writeRequest(q); !ok {
			t.Errorf("writeRequest(%q) = false, want true", q)
		}
	}
	reads := []string{
		"how many customers are there?",
		"which orders were cancelled last month?",
		"show deleted accounts",
		"list the products with the biggest price change",
		"total sales by month",
		"who updated their profile most recently?",
		"change in revenue by quarter",
		"set of countries with more than 10 customers",
		"average order total for each segment",
		"deleted orders by month",
		"removed products per category",
	}
	for _, q := range reads {
		if verb, ok := writeRequest(q); ok {
			t.Errorf("writeRequest(%q) = %q, want a read", q, verb)
		}
	}
}
