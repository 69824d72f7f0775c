package eval

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/askdb/askdb/internal/catalog"
)

func goldCatalog() *catalog.Catalog {
	col := func(n string) catalog.Column { return catalog.Column{Name: n, DBType: "text"} }
	return &catalog.Catalog{Tables: []catalog.Table{
		{Name: "customers", Columns: []catalog.Column{col("CustomerID"), col("Segment"), col("Currency")}},
		{Name: "yearmonth", Columns: []catalog.Column{col("CustomerID"), col("Date"), col("Consumption")}},
		{Name: "frpm", Columns: []catalog.Column{col("CDSCode"), col("Free Meal Count (K-12)")}},
		{Name: "schools", Columns: []catalog.Column{col("CDSCode"), col("County")}},
	}}
}

func TestGoldLinks(t *testing.T) {
	tests := []struct {
		name string
		sql  string
		want Gold
	}{
		{
			name: "aliases and qualified columns",
			sql:  "SELECT T1.CustomerID FROM customers AS T1 INNER JOIN yearmonth AS T2 ON T1.CustomerID = T2.CustomerID WHERE T1.Segment = 'LAM' ORDER BY SUM(T2.Consumption)",
			want: Gold{Tables: []string{"customers", "yearmonth"}, Columns: []string{"customers.CustomerID", "yearmonth.CustomerID", "customers.Segment", "yearmonth.Consumption"}},
		},
		{
			name: "bare columns, strings are not identifiers",
			sql:  "SELECT CAST(SUM(IIF(Currency = 'Segment', 1, 0)) AS FLOAT) FROM customers",
			want: Gold{Tables: []string{"customers"}, Columns: []string{"customers.Currency"}},
		},
		{
			name: "backticks, comma FROM list and subquery",
			sql:  "SELECT `Free Meal Count (K-12)` FROM frpm, schools s WHERE s.County = 'Alameda' AND frpm.CDSCode IN (SELECT CustomerID FROM customers)",
			want: Gold{Tables: []string{"frpm", "schools", "customers"}, Columns: []string{"frpm.Free Meal Count (K-12)", "schools.County", "frpm.CDSCode", "customers.CustomerID"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, goldLinks(goldCatalog(), tc.sql), cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
				t.Errorf("goldLinks (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseAnnotatedDDL(t *testing.T) {
	ddl := `-- Schools of California
-- 9986 rows, primary key: (CDSCode)
CREATE TABLE frpm (
-- 14-digit unique identifier
-- Stats: 0% null 100% unique
-- Foreign keys: schools.CDSCode (one-to-one)
CDSCode text,
-- Type of school district (e.g., 'Unified School District', 'Elementary School District'); the district's kind
"District Type" text
);`
	got := parseAnnotatedDDL(ddl)
	want := []ddlTable{{name: "frpm", comment: "Schools of California", rowCount: 9986, columns: []ddlColumn{
		{name: "CDSCode", dbType: "text", comment: "14-digit unique identifier", fks: []ddlFK{{table: "schools", column: "CDSCode", kind: "one-to-one"}}},
		{name: "District Type", dbType: "text",
			comment: "Type of school district (e.g., 'Unified School District', 'Elementary School District'); the district's kind",
			samples: []string{"Unified School District", "Elementary School District"}},
	}}}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(ddlTable{}, ddlColumn{}, ddlFK{})); diff != "" {
		t.Errorf("parseAnnotatedDDL (-want +got):\n%s", diff)
	}
}

func TestLoadSpiderSamples(t *testing.T) {
	dir := sharedDatasets(t, "spider-dev")
	ds, err := LoadSpiderWith(context.Background(), dir, LoadOptions{Samples: 5})
	if err != nil {
		t.Fatal(err)
	}
	db := ds.Databases["concert_singer"]
	if db == nil {
		t.Fatal("concert_singer missing from spider-dev")
	}
	tab, ok := db.Catalog.Table("singer")
	if !ok {
		t.Fatal("singer table missing")
	}
	c, ok := tab.Column("Country")
	if !ok {
		t.Fatal("singer.Country missing")
	}
	if len(c.Samples) == 0 || len(c.Samples) > 5 {
		t.Errorf("singer.Country samples = %q, want 1 to 5 values", c.Samples)
	}
	plain, err := LoadSpider(dir)
	if err != nil {
		t.Fatal(err)
	}
	pt, _ := plain.Databases["concert_singer"].Catalog.Table("singer")
	if pc, _ := pt.Column("Country"); len(pc.Samples) != 0 {
		t.Errorf("LoadSpider sampled %q without being asked", pc.Samples)
	}
}
