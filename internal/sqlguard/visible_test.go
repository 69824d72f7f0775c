package sqlguard

import (
	"strings"
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

func TestSQLiteCollate(t *testing.T) {
	opts := Options{Dialect: catalog.SQLite, MaxRows: 10}
	accepted := []string{
		"SELECT a FROM t WHERE b = 'x' COLLATE NOCASE",
		"SELECT a FROM t ORDER BY a COLLATE nocase DESC",
		"SELECT a FROM t WHERE b = 'COLLATE NOCASE; DROP TABLE t' COLLATE RTRIM",
	}
	for _, q := range accepted {
		v := Check(q, opts)
		if !v.Accepted {
			t.Errorf("%q refused: %s", q, v.Message)
			continue
		}
		if !strings.Contains(strings.ToUpper(v.SQL), "COLLATE") || !strings.Contains(v.SQL, "LIMIT 10") {
			t.Errorf("%q: the SQL that runs must keep the collation and carry the cap: %q", q, v.SQL)
		}
	}
	for _, q := range []string{
		"SELECT a FROM t COLLATE NOCASE; DELETE FROM t",
		"DELETE FROM t WHERE b = 'x' COLLATE NOCASE",
		"SELECT load_extension('x') COLLATE NOCASE",
	} {
		if v := Check(q, opts); v.Accepted {
			t.Errorf("%q accepted", q)
		}
	}
}
