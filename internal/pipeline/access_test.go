package pipeline

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/identity"
	"github.com/askdb/askdb/internal/sqlguard"
)

func TestGrantFor(t *testing.T) {
	rules := []config.AccessRule{
		{Groups: []string{"analysts"}, Sources: []string{"sales", "hr"}, Deny: []string{"hr.employees.salary", "customers.email"}},
		{Groups: []string{"sales-emea"}, Sources: []string{"sales"}, Deny: []string{"customers.email"},
			Rows: map[string]string{"orders": "region = 'EMEA'", "sales.customers": "region = {{user.region}}"}},
		{Groups: []string{"sales-apac"}, Sources: []string{"sales"}, Rows: map[string]string{"orders": "region = 'APAC'"}},
	}
	p := New(Options{Access: rules})
	base := config.Policy{Deny: []string{"secrets"}}
	tests := []struct {
		name   string
		groups []string
		source string
		deny   []string
		rows   []sqlguard.RowFilter
		denied bool
	}{
		{"analyst on hr: hr deny applies", []string{"analysts"}, "hr", []string{"secrets", "customers.email", "employees.salary"}, nil, false},
		{"analyst on sales: hr deny does not", []string{"analysts"}, "sales", []string{"secrets", "customers.email"}, nil, false},
		{"emea rep", []string{"sales-emea"}, "sales", []string{"secrets", "customers.email"}, []sqlguard.RowFilter{
			{Table: "customers", Where: []string{"region = {{user.region}}"}}, {Table: "orders", Where: []string{"region = 'EMEA'"}}}, false},
		{"emea and apac: filters OR'd, customers unfiltered by apac", []string{"sales-emea", "sales-apac"}, "sales", []string{"secrets"}, []sqlguard.RowFilter{
			{Table: "orders", Where: []string{"region = 'APAC'", "region = 'EMEA'"}}}, false},
		{"analyst and emea rep: the analyst's grant has no filters", []string{"analysts", "sales-emea"}, "sales", []string{"secrets", "customers.email"}, nil, false},
		{"emea rep on hr", []string{"sales-emea"}, "hr", nil, nil, true},
		{"no groups", nil, "sales", nil, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := p.grantFor(identity.Identity{User: "u", Groups: tt.groups}, tt.source, base)
			if tt.denied {
				if !errors.Is(err, ErrForbidden) {
					t.Fatalf("err %v, want ErrForbidden", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.deny, g.policy.Deny); d != "" {
				t.Errorf("deny (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tt.rows, g.rows); d != "" {
				t.Errorf("rows (-want +got):\n%s", d)
			}
		})
	}
	if g, err := New(Options{}).grantFor(identity.Identity{}, "sales", base); err != nil || !cmp.Equal(g.policy, base) || g.rows != nil {
		t.Errorf("without access rules: %+v %v, want the source policy unchanged", g, err)
	}
}

// TestAccessWildcardGroup: groups: ["*"] covers every caller, signed in
// or not, and the refusal of an uncovered caller says how to fix it.
func TestAccessWildcardGroup(t *testing.T) {
	p := New(Options{Access: []config.AccessRule{{Groups: []string{"*"}, Sources: []string{"sample"}, Rows: map[string]string{"orders": "1 = 0"}}}})
	g, err := p.grantFor(identity.Identity{}, "sample", config.Policy{})
	if err != nil || len(g.rows) != 1 {
		t.Fatalf("grant %+v, %v: want the wildcard rule's filter", g, err)
	}
	_, err = New(Options{Access: []config.AccessRule{{Groups: []string{"x"}, Sources: []string{"sample"}}}}).grantFor(identity.Identity{}, "sample", config.Policy{})
	if err == nil || !strings.Contains(err.Error(), "not signed in") || !strings.Contains(err.Error(), `groups: ["*"]`) {
		t.Errorf("err %v: want it to say the caller is not signed in and how to cover them", err)
	}
}
