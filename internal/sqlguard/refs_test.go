package sqlguard

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/askdb/askdb/internal/catalog"
)

func TestReferences(t *testing.T) {
	col := func(q, n string) ColumnRef { return ColumnRef{Qualifier: q, Name: n} }
	tests := []struct {
		name     string
		sql      string
		tables   []TableRef
		literals []Literal
	}{
		{"join with aliases and both literal kinds",
			"SELECT T1.name FROM singer AS T1 JOIN concert AS T2 ON T1.singer_id = T2.singer_id WHERE T2.year = 2014 AND T1.country = 'France'",
			[]TableRef{{Name: "singer", Alias: "T1"}, {Name: "concert", Alias: "T2"}},
			[]Literal{{Value: "2014", Number: true, Column: col("T2", "year")}, {Value: "France", Column: col("T1", "country")}}},
		{"double-quoted value, Spider style", `SELECT count(*) FROM singer WHERE country = "France"`,
			[]TableRef{{Name: "singer"}}, []Literal{{Value: "France", Quoted: true, Column: col("", "country")}}},
		{"literal on the left", "SELECT * FROM pets WHERE 3 < age",
			[]TableRef{{Name: "pets"}}, []Literal{{Value: "3", Number: true, Column: col("", "age")}}},
		{"in list, between, like, negative", "SELECT id FROM t WHERE kind IN ('cat', 'dog') AND weight BETWEEN 1.5 AND 10 AND name LIKE '%ba%' AND temp > -5",
			[]TableRef{{Name: "t"}},
			[]Literal{{Value: "cat", Column: col("", "kind")}, {Value: "dog", Column: col("", "kind")},
				{Value: "1.5", Number: true, Column: col("", "weight")}, {Value: "10", Number: true, Column: col("", "weight")},
				{Value: "%ba%", Pattern: true, Column: col("", "name")}, {Value: "-5", Number: true, Column: col("", "temp")}}},
		{"aggregates and limits are not column values", "SELECT name FROM t GROUP BY name HAVING count(*) > 1 ORDER BY name LIMIT 3",
			[]TableRef{{Name: "t"}}, nil},
		{"subquery literal and CTE name left out", "WITH c AS (SELECT id FROM t WHERE kind = 'x') SELECT id FROM c WHERE id NOT IN (SELECT id FROM u WHERE n >= 2)",
			[]TableRef{{Name: "t"}, {Name: "u"}},
			[]Literal{{Value: "x", Column: col("", "kind")}, {Value: "2", Number: true, Column: col("", "n")}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := References(tt.sql, catalog.SQLite)
			if err != nil {
				t.Fatalf("References: %v", err)
			}
			if diff := cmp.Diff(tt.tables, got.Tables); diff != "" {
				t.Errorf("tables (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.literals, got.Literals); diff != "" {
				t.Errorf("literals (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReferencesColumns(t *testing.T) {
	got, err := References("SELECT T1.name, age FROM singer AS T1 WHERE T1.country = 'France'", catalog.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	want := []ColumnRef{{Qualifier: "T1", Name: "name"}, {Name: "age"}, {Qualifier: "T1", Name: "country"}}
	if diff := cmp.Diff(want, got.Columns); diff != "" {
		t.Errorf("columns (-want +got):\n%s", diff)
	}
}

func TestReferencesOtherDialects(t *testing.T) {
	for _, d := range []catalog.Dialect{catalog.Postgres, catalog.MySQL} {
		got, err := References("SELECT o.total FROM shop.orders o WHERE o.status = 'paid'", d)
		if err != nil {
			t.Fatalf("%s: %v", d, err)
		}
		if diff := cmp.Diff([]TableRef{{Schema: "shop", Name: "orders", Alias: "o"}}, got.Tables); diff != "" {
			t.Errorf("%s tables (-want +got):\n%s", d, diff)
		}
	}
}

func TestReferencesRefusesNonQueries(t *testing.T) {
	_, err := References("DELETE FROM singer", catalog.SQLite)
	var rej *Rejection
	if !errors.As(err, &rej) || rej.Verdict.Rule != RuleNotQuery {
		t.Errorf("err = %v, want a not_query rejection", err)
	}
}
