package trino_test

import (
	"context"
	"testing"
	"time"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/source/trino/trinofake"
)

// TestIntegrationIntrospectSchemas: with schemas: listed, tables of the
// DSN's schema stay unqualified and the others carry their schema; views
// are views; comments and Trino's type names come through.
func TestIntegrationIntrospectSchemas(t *testing.T) {
	l := newLake(t, trinofake.Options{})
	for _, stmt := range []string{
		"CREATE SCHEMA hr",
		"CREATE TABLE hr.people (person_id integer NOT NULL, nick varchar(40), salary numeric(9,2))",
		"COMMENT ON TABLE hr.people IS 'Everyone on the payroll'",
		"COMMENT ON COLUMN hr.people.nick IS 'What colleagues call them'",
		"CREATE VIEW hr.nicknames AS SELECT nick FROM hr.people",
	} {
		if _, err := l.admin.Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
	cfg := config.Source{Kind: "trino", DSN: l.dsn("askdb", nil), Schemas: []string{"public", "hr"}, ConnectTimeout: config.Duration(5 * time.Second)}
	src, err := source.Open(context.Background(), "lake", cfg, source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	cat, err := src.Introspect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if cat.Version != trinofake.Version || cat.Dialect != catalog.Trino {
		t.Errorf("catalog version %q, dialect %q; want %q, trino", cat.Version, cat.Dialect, trinofake.Version)
	}
	people, ok := cat.Table("hr.people")
	if !ok || people.Schema != "hr" || people.Comment != "Everyone on the payroll" || len(people.Columns) != 3 {
		t.Fatalf("hr.people = %+v", people)
	}
	want := []catalog.Column{
		{Name: "person_id", DBType: "integer", Type: catalog.TypeInteger},
		{Name: "nick", DBType: "varchar(40)", Type: catalog.TypeText, Nullable: true, Comment: "What colleagues call them"},
		{Name: "salary", DBType: "decimal(9,2)", Type: catalog.TypeDecimal, Nullable: true},
	}
	for i, c := range people.Columns {
		if c.Name != want[i].Name || c.DBType != want[i].DBType || c.Type != want[i].Type || c.Nullable != want[i].Nullable || c.Comment != want[i].Comment || c.Default != nil {
			t.Errorf("column %d = %+v, want %+v", i, c, want[i])
		}
	}
	if v, ok := cat.Table("hr.nicknames"); !ok || v.Kind != catalog.KindView {
		t.Errorf("hr.nicknames = %+v, want a view", v)
	}
	if c, ok := cat.Table("customers"); !ok || c.Schema != "" {
		t.Errorf("customers = %+v, want it unqualified (the DSN's schema)", c)
	}
}
