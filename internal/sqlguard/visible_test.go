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

func TestForeignTableRefused(t *testing.T) {
	cat := &catalog.Catalog{Tables: []catalog.Table{
		{Schema: "public", Name: "orders", Kind: catalog.KindTable},
		{Schema: "public", Name: "remote_orders", Kind: catalog.KindForeign},
	}}
	opts := Options{Dialect: catalog.Postgres, Catalog: cat}
	for _, q := range []string{"SELECT * FROM remote_orders", "SELECT o.id FROM orders o JOIN public.remote_orders r ON r.id = o.id"} {
		if v := Check(q, opts); v.Accepted || v.Rule != RuleForeignTable {
			t.Errorf("%q: %+v, want refused by %s", q, v, RuleForeignTable)
		}
	}
	if v := Check("SELECT * FROM orders", opts); !v.Accepted {
		t.Errorf("a local table was refused: %s", v.Message)
	}
}
