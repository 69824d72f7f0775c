package sqlguard

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
)

func TestVisible(t *testing.T) {
	cat := &catalog.Catalog{Tables: []catalog.Table{
		{Name: "customers", Columns: []catalog.Column{{Name: "id"}, {Name: "email"}, {Name: "name"}}},
		{Name: "employees", Columns: []catalog.Column{{Name: "id"}, {Name: "salary"}}},
		{Name: "secrets", Columns: []catalog.Column{{Name: "token"}}},
	}}
	got := Visible(cat, config.Policy{Deny: []string{"customers.email", "secrets", "employees.salary"}})
	var names []string
	for _, tb := range got.Tables {
		for _, c := range tb.Columns {
			names = append(names, tb.Name+"."+c.Name)
		}
	}
	if diff := cmp.Diff([]string{"customers.id", "customers.name", "employees.id"}, names); diff != "" {
		t.Errorf("visible columns (-want +got):\n%s", diff)
	}
	if len(cat.Tables[0].Columns) != 3 {
		t.Error("Visible changed its input")
	}
	if Visible(cat, config.Policy{}) != cat {
		t.Error("with no policy the catalog is returned as is")
	}
}
