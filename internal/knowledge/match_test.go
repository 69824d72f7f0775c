package knowledge

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

const promoYAML = `
domains:
  - name: returns-processing
    aliases: [rp, returns processing, return-process]
  - name: promotions
    aliases: [promos]
  - name: hr
`

func TestMatchDomains(t *testing.T) {
	k, err := Parse("promo.yaml", []byte(promoYAML))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		question string
		want     []string
	}{
		{"What is the RP backlog?", []string{"returns-processing"}},
		{"Revenue from corporate customers", nil}, // "rp" inside "corporate"
		{"rp's queue", []string{"returns-processing"}},
		{"How fast is returns processing this week?", []string{"returns-processing"}},
		{"returns-processing volume", []string{"returns-processing"}},
		{"Returns_Processing volume", []string{"returns-processing"}},
		{"the return process in May", []string{"returns-processing"}},
		{"which promos ran in May", []string{"promotions"}},
		{"PROMOTION results", []string{"promotions"}[:0]}, // singular of the name's plural is not an alias
		{"promotions by rp team", []string{"promotions", "returns-processing"}},
		{"hrs booked last week", nil},
		{"HR headcount", []string{"hr"}},
		{"shr and rpm", nil},
	}
	for _, tc := range tests {
		t.Run(tc.question, func(t *testing.T) {
			var got []string
			for _, d := range k.MatchDomains(tc.question) {
				got = append(got, d.Name)
			}
			if len(tc.want) == 0 {
				tc.want = nil
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("MatchDomains(%q) (-want +got):\n%s", tc.question, diff)
			}
		})
	}
}

func TestFindMetrics(t *testing.T) {
	k := loadSample(t)
	tests := []struct {
		question      string
		want          []string // "domain/name"
		wantAmbiguous []string
	}{
		{"What is our retention?", []string{"sales/retention", "hr/retention"}, []string{"retention"}},
		{"HR retention by year", []string{"hr/retention"}, nil},
		{"retention of shop customers", []string{"sales/retention"}, nil},
		{"AOV in 2024", []string{"sales/average order value"}, nil},
		{"revenues and headcount", []string{"sales/revenue", "hr/headcount"}, nil},
		{"hours booked in R&D", []string{"research/hours booked"}, nil},
		{"payrolls", []string{"hr/payroll"}, nil},
		{"list all customers", nil, nil},
		{"prevenue", nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.question, func(t *testing.T) {
			ms := k.FindMetrics(tc.question)
			var got []string
			for _, m := range ms {
				got = append(got, m.Domain+"/"+m.Name)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("FindMetrics(%q) (-want +got):\n%s", tc.question, diff)
			}
			if diff := cmp.Diff(tc.wantAmbiguous, Ambiguous(ms)); diff != "" {
				t.Errorf("Ambiguous (-want +got):\n%s", diff)
			}
		})
	}
}
