package text

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRuns(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want [][]string
	}{
		{name: "snake", in: "customer_id", want: [][]string{{"customer", "id"}}},
		{name: "camel", in: "CustomerID", want: [][]string{{"customer", "id"}}},
		{name: "acronym", in: "HTTPServer", want: [][]string{{"http", "server"}}},
		{name: "digits", in: "enroll12", want: [][]string{{"enroll", "12"}}},
		{name: "spaces and punctuation", in: "Free Meal Count (K-12)", want: [][]string{{"free"}, {"meal"}, {"count"}, {"k"}, {"12"}}},
		{name: "possessive", in: "customer's", want: [][]string{{"customer", "s"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, Runs(tc.in)); diff != "" {
				t.Errorf("Runs(%q) (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

func TestWords(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{name: "hyphen and case", in: "Returns-Processing", want: []string{"returns", "processing"}},
		{name: "no camel split", in: "PnL by Region", want: []string{"pnl", "by", "region"}},
		{name: "underscore and digits", in: "q3_revenue", want: []string{"q3", "revenue"}},
		{name: "apostrophe", in: "what's ours?", want: []string{"what", "s", "ours"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, Words(tc.in)); diff != "" {
				t.Errorf("Words(%q) (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

func TestStem(t *testing.T) {
	tests := []struct{ in, want string }{
		{"orders", "order"}, {"countries", "country"}, {"boxes", "box"}, {"classes", "class"},
		{"status", "status"}, {"analysis", "analysis"}, {"shipped", "shipp"}, {"agreed", "agreed"},
		{"running", "runn"}, {"hrs", "hrs"}, {"ids", "ids"}, {"q3s", "q3s"}, {"promos", "promo"},
		{"ties", "tie"}, {"listing", "list"}, {"sing", "sing"}, {"owed", "owed"},
	}
	for _, tc := range tests {
		if got := Stem(tc.in); got != tc.want {
			t.Errorf("Stem(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSingular(t *testing.T) {
	tests := []struct{ in, want string }{
		{"orders", "order"}, {"countries", "country"}, {"boxes", "box"}, {"classes", "class"},
		{"status", "status"}, {"analysis", "analysis"}, {"shipped", "shipped"}, {"agreed", "agreed"},
		{"running", "running"}, {"hrs", "hrs"}, {"ids", "id"}, {"q3s", "q3s"}, {"promos", "promo"},
		{"languages", "language"}, {"ties", "tie"},
	}
	for _, tc := range tests {
		if got := Singular(tc.in); got != tc.want {
			t.Errorf("Singular(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Returns-Processing", "returns processing"},
		{"  a__b  c ", "a b c"},
		{"R&D", "r d"},
		{"Café-Umsatz", "café umsatz"},
	}
	for _, tc := range tests {
		if got := Normalize(tc.in); got != tc.want {
			t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestJaccard(t *testing.T) {
	set := func(ws ...string) map[string]bool {
		m := map[string]bool{}
		for _, w := range ws {
			m[w] = true
		}
		return m
	}
	tests := []struct {
		name string
		a, b map[string]bool
		want float64
	}{
		{"same", set("a", "b"), set("b", "a"), 1},
		{"half", set("a", "b"), set("b", "c", "a", "d"), 0.5},
		{"disjoint", set("a"), set("b"), 0},
		{"empty", set(), set(), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Jaccard(tt.a, tt.b); got != tt.want {
				t.Errorf("Jaccard = %v, want %v", got, tt.want)
			}
		})
	}
}
