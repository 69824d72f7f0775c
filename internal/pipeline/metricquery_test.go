package pipeline

import (
	"strings"
	"testing"
	"time"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/knowledge"
)

// A shop that is not the sample: the metric path must work from the
// dictionary and the catalog alone.
const shopKnowledge = `
tables:
  regions:
    columns:
      name:
        synonyms: [area]
metrics:
  - name: gross sales
    synonyms: [gmv]
    definition: Value of every sale that was not refunded.
    sql: SUM(sales.amount)
    tables: [sales]
    filters: ["NOT sales.refunded"]
    time_column: sales.sold_at
  - name: ticket count
    definition: Support tickets opened.
    sql: COUNT(*)
    tables: [tickets]
`

func shopCatalog() *catalog.Catalog {
	return &catalog.Catalog{Tables: []catalog.Table{
		{Name: "sales", Columns: []catalog.Column{{Name: "sale_id"}, {Name: "amount"}, {Name: "refunded"}, {Name: "sold_at"}, {Name: "channel", Samples: []string{"online", "store"}}, {Name: "region_id"}, {Name: "seller_id"}},
			ForeignKeys: []catalog.ForeignKey{
				{Columns: []string{"region_id"}, RefTable: "regions", RefColumns: []string{"region_id"}},
				{Columns: []string{"seller_id"}, RefTable: "sales", RefColumns: []string{"sale_id"}},
			}},
		{Name: "regions", Columns: []catalog.Column{{Name: "region_id"}, {Name: "name", Samples: []string{"North", "South West", "Georgia"}}, {Name: "country", Samples: []string{"Georgia", "Chile"}}}},
		{Name: "tickets", Columns: []catalog.Column{{Name: "ticket_id"}, {Name: "opened_on"}}},
	}}
}

func TestParseMetricAsk(t *testing.T) {
	k, err := knowledge.Parse("shop.yaml", []byte(shopKnowledge))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2025, 6, 15, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name, question string
		// want is a fragment of the SQL; "" means the metric path must not
		// answer: the words ask for something it cannot do exactly.
		want []string
	}{
		{"bare", "What are our gross sales?", []string{"SELECT SUM(sales.amount) AS gross_sales FROM sales WHERE (NOT sales.refunded)"}},
		{"synonym and grain", "gmv by month", []string{`strftime('%Y-%m', sales.sold_at) AS "month"`, "GROUP BY strftime('%Y-%m', sales.sold_at)"}},
		{"adjective grain and year", "yearly gross sales for 2023", []string{`AS "year"`, "sales.sold_at >= '2023-01-01' AND sales.sold_at < '2024-01-01'"}},
		{"month of a year", "gross sales in February 2024", []string{"sales.sold_at >= '2024-02-01' AND sales.sold_at < '2024-03-01'"}},
		{"this month", "gross sales this month", []string{"sales.sold_at >= '2025-06-01' AND sales.sold_at < '2025-07-01'"}},
		{"own column", "gross sales by channel", []string{`"sales"."channel" AS "channel"`, `ORDER BY gross_sales DESC, "channel"`}},
		{"joined table by name, grouped by its key", "gross sales for each region", []string{`JOIN "regions" ON "regions"."region_id" = "sales"."region_id"`, `"regions"."name" AS "region"`, `GROUP BY "regions"."name", "regions"."region_id"`}},
		{"joined column synonym", "gross sales by area", []string{`"regions"."name" AS "name"`}},
		{"joined column", "gross sales per country", []string{`"regions"."country" AS "country"`}},
		{"joined column after its table's name", "gross sales by region country", []string{`"regions"."country" AS "country"`}},
		{"own column after its table's name", "gross sales by sale channel", []string{`"sales"."channel" AS "channel"`}},
		{"a value one join away", "gross sales in the North region", []string{`JOIN "regions"`, `WHERE (NOT sales.refunded) AND "regions"."name" = 'North'`}},
		{"a value of two words and a year", "gross sales in South West for 2024", []string{`"regions"."name" = 'South West' AND`, "sales.sold_at >= '2024-01-01'"}},
		{"an own value with a grain", "online gross sales by month", []string{`"sales"."channel" = 'online'`, `AS "month"`}},
		{"a value and a dimension share the join", "gross sales in Chile by region", []string{`"regions"."country" = 'Chile'`, `FROM sales JOIN "regions" ON "regions"."region_id" = "sales"."region_id" WHERE`}},
		{"a value in two columns", "gross sales in Georgia", nil},
		{"ranked dimension", "Which region has the highest gross sales?", []string{`ORDER BY gross_sales DESC, "region" LIMIT 1`}},
		{"ranked top n", "the 5 channels with the lowest gmv", nil},
		{"bottom n by the metric", "bottom 5 channels by gmv", []string{`ORDER BY gross_sales ASC, "channel" LIMIT 5`}},
		{"ranked grain", "which year had the most gross sales", []string{`AS "year"`, `ORDER BY gross_sales DESC, "year" LIMIT 1`}},
		{"a ranking with nothing to rank", "What is the highest gross sales?", nil},
		{"two rankings", "the highest and lowest gross sales by region", nil},
		{"a value not stored", "gross sales in Atlantis", nil},
		{"per an entity may be a ratio", "gross sales per region", nil},
		{"self reference is not joined", "gross sales by seller", nil},
		{"an unknown dimension", "gross sales by colour", nil},
		{"two grains", "gross sales by month by year", nil},
		{"two periods", "gross sales in 2023 and 2024", nil},
		{"a ranking", "gross sales of the top five regions", nil},
		{"a grain without a time column", "ticket count by month", nil},
		{"a relative range it does not read", "gross sales in the last 12 months", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			found := k.FindMetrics(tc.question)
			if len(found) != 1 {
				t.Fatalf("metrics found: %v", found)
			}
			a, unread, ok := parseMetricAsk(tc.question, found[0], nil, shopCatalog(), k, catalog.SQLite, now)
			if tc.want == nil {
				if ok {
					t.Errorf("answered from the metric: %s", metricSQL(found[0], a, catalog.SQLite))
				}
				if unread == "" || !strings.Contains(tc.question, strings.Trim(strings.Fields(unread)[0], `"`)) && !strings.Contains(unread, "time column") {
					t.Errorf("unread %q does not quote a word of the question", unread)
				}
				return
			}
			if !ok {
				t.Fatal("not answered from the metric")
			}
			sql := found[0].Query()
			if !a.empty() {
				sql = metricSQL(found[0], a, catalog.SQLite)
			}
			for _, w := range tc.want {
				if !strings.Contains(sql, w) {
					t.Errorf("SQL lacks %q:\n%s", w, sql)
				}
			}
		})
	}
}

func TestGrainExprPerDialect(t *testing.T) {
	for d, want := range map[catalog.Dialect]string{
		catalog.SQLite:   "strftime('%Y-%m', t.d)",
		catalog.Postgres: "to_char(t.d, 'YYYY-MM')",
		catalog.MySQL:    "DATE_FORMAT(t.d, '%Y-%m')",
		catalog.DuckDB:   "strftime(t.d, '%Y-%m')",
	} {
		if got := grainExpr(d, "month", "t.d"); got != want {
			t.Errorf("%s: %s, want %s", d, got, want)
		}
	}
}
