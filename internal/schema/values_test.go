package schema_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/retrieve"
	"github.com/askdb/askdb/internal/schema"
)

// places is a catalog whose city column holds Port Chelsea beyond the
// three samples a prompt shows.
func places() *catalog.Catalog {
	return &catalog.Catalog{Dialect: catalog.SQLite, Tables: []catalog.Table{{Name: "addresses", Kind: catalog.KindTable, RowCount: -1,
		Columns: []catalog.Column{
			{Name: "city", DBType: "TEXT", Type: catalog.TypeText, Samples: []string{"Goodwinhaven", "Lake Tia", "New Alysa", "Port Chelsea", "East Julianaside"}},
			{Name: "country", DBType: "TEXT", Type: catalog.TypeText, Samples: []string{"Japan", "Germany", "United States", "The Who"}},
			{Name: "zip", DBType: "TEXT", Type: catalog.TypeText},
		}}}}
}

func TestValuesMatch(t *testing.T) {
	v := schema.ValuesOf(places())
	city, country := schema.ColumnKey{Table: "addresses", Column: "city"}, schema.ColumnKey{Table: "addresses", Column: "country"}
	tests := []struct {
		name     string
		question string
		want     schema.Matches
	}{
		{"whole value", "What is the zip code of Port Chelsea?", schema.Matches{city: {"Port Chelsea"}}},
		{"any case and punctuation", "zip of port-chelsea", schema.Matches{city: {"Port Chelsea"}}},
		{"prefix", "How many Japanese customers are there?", schema.Matches{country: {"Japan"}}},
		{"misspelt", "Customers in Grmany", schema.Matches{country: {"Germany"}}},
		{"one word of two", "Customers in the United Kingdom", schema.Matches{country: {"United States"}}},
		{"stop words alone match nothing", "Who are the customers?", schema.Matches{}},
		{"no mention", "How many addresses are there?", schema.Matches{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, v.Match(tt.question)); diff != "" {
				t.Errorf("Match(%q) (-want +got):\n%s", tt.question, diff)
			}
		})
	}
}

func TestValuesBounds(t *testing.T) {
	cat := places()
	col := &cat.Tables[0].Columns[2]
	for i := range schema.ValuesPerColumn + 10 {
		col.Samples = append(col.Samples, fmt.Sprintf("Z%05d", i))
	}
	col.Samples = append(col.Samples, strings.Repeat("long ", 20)) // prose, not a value
	v := schema.ValuesOf(cat)
	if got, want := v.Len(), 5+4+schema.ValuesPerColumn; got != want {
		t.Errorf("%d values indexed, want %d (zip bounded to %d)", got, want, schema.ValuesPerColumn)
	}
	if m := v.Match("zip z01005"); len(m) != 0 {
		t.Errorf("a value past the column's bound matched: %v", m)
	}
}

func TestMatchedValuesInDDL(t *testing.T) {
	s := schema.FromCatalog("places", places(), retrieve.Extra{})
	if strings.Contains(s.DDL, "Port Chelsea") {
		t.Fatalf("the static DDL shows the fourth sample:\n%s", s.DDL)
	}
	ddl := s.DDLFor(s.Match("zip code of Port Chelsea"))
	if !strings.Contains(ddl, "city TEXT NOT NULL, -- e.g. 'Port Chelsea', 'Goodwinhaven'\n") {
		t.Errorf("the city line does not show the matched value first:\n%s", ddl)
	}
	if s.DDLFor(nil) != s.DDL {
		t.Error("DDLFor of no match is not the static DDL")
	}
}

func TestValuesAndRangesFromSource(t *testing.T) {
	set := newSet(t, config.Source{Kind: "sqlite", Path: shopDB(t, 0)})
	s, err := schema.NewCache(schema.Options{Sources: set}).Get(t.Context(), "shop")
	if err != nil {
		t.Fatal(err)
	}
	// c37 is past the FrequentValues samples, so only the index has it.
	ddl := s.DDLFor(s.Match("orders of c37@example.com"))
	if !strings.Contains(ddl, "'c37@example.com'") {
		t.Errorf("the matched e-mail is not shown:\n%s", ddl)
	}
	if !strings.Contains(s.DDL, "id INTEGER NOT NULL, -- range 1..40\n") {
		t.Errorf("no range for customers.id:\n%s", s.DDL)
	}
}

func TestSchemaOnlySendsNoValue(t *testing.T) {
	set := newSet(t, config.Source{Kind: "sqlite", Path: shopDB(t, 0)})
	s, err := schema.NewCache(schema.Options{Sources: set, SchemaOnly: true}).Get(t.Context(), "shop")
	if err != nil {
		t.Fatal(err)
	}
	ddl := s.DDLFor(s.Match("customers in France with c37@example.com"))
	for _, leak := range []string{"France", "c37", "range", "e.g."} {
		if strings.Contains(ddl, leak) {
			t.Errorf("schema-only DDL shows %q:\n%s", leak, ddl)
		}
	}
	if s.Values.Len() != 0 {
		t.Errorf("schema-only schema indexes %d values", s.Values.Len())
	}
}

func TestSnapshotValuesAndRanges(t *testing.T) {
	set := newSet(t, config.Source{Kind: "sqlite", Path: shopDB(t, 0)})
	snap := &schema.Snapshot{Taken: time.Now(), Catalog: &catalog.Catalog{Tables: []catalog.Table{{Name: "customers", RowCount: 40,
		Columns: []catalog.Column{{Name: "country", Samples: []string{"Narnia", "Oz"}}}}}},
		Ranges: map[schema.ColumnKey]schema.Range{{Table: "customers", Column: "id"}: {Min: "7", Max: "99"}},
		Values: map[schema.ColumnKey][]string{{Table: "customers", Column: "country"}: {"Narnia", "Oz", "Atlantis"}}}
	s, err := schema.NewCache(schema.Options{Sources: set,
		Snapshots: func(context.Context, string) (*schema.Snapshot, error) { return snap, nil }}).Get(t.Context(), "shop")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(s.DDL, "range 7..99") {
		t.Errorf("the snapshot's range is not shown:\n%s", s.DDL)
	}
	if set.queries.Load() != 0 {
		t.Errorf("%d queries on an enriched source, want none", set.queries.Load())
	}
	if m := s.Match("customers from Atlantis"); len(m) != 1 {
		t.Errorf("the snapshot's distinct values are not indexed: %v", m)
	}
}
