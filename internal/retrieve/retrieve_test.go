package retrieve

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/askdb/askdb/internal/catalog"
)

func TestTerms(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{name: "plural and joined identifier", in: "OrderItems", want: []string{"order", "item", "orderitem"}},
		{name: "stopwords dropped", in: "how many orders are there", want: []string{"order"}},
		{name: "ies plural", in: "countries", want: []string{"country"}},
		{name: "ed suffix", in: "shipped", want: []string{"shipp"}},
		{name: "us kept", in: "status", want: []string{"status"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, terms(tc.in)); diff != "" {
				t.Errorf("terms(%q) (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

func TestEstimateTokens(t *testing.T) {
	for in, want := range map[string]int{"": 0, "abc": 1, "abcd": 1, "abcde": 2} {
		if got := EstimateTokens(in); got != want {
			t.Errorf("EstimateTokens(%q) = %d, want %d", in, got, want)
		}
	}
}

func col(name string, samples ...string) catalog.Column {
	return catalog.Column{Name: name, DBType: "text", Type: catalog.TypeText, Samples: samples}
}

// shop is a small catalog: orders → customers, order_items → orders and
// products, and an unrelated audit table.
func shop() *catalog.Catalog {
	return &catalog.Catalog{Dialect: catalog.SQLite, Tables: []catalog.Table{
		{Name: "customers", RowCount: -1, PrimaryKey: []string{"id"},
			Columns: []catalog.Column{col("id"), col("name"), col("country", "Germany", "France", "United States")}},
		{Name: "orders", RowCount: -1, PrimaryKey: []string{"id"},
			Columns:     []catalog.Column{col("id"), col("customer_id"), col("status", "shipped", "pending"), col("ordered_at")},
			ForeignKeys: []catalog.ForeignKey{{Columns: []string{"customer_id"}, RefTable: "customers", RefColumns: []string{"id"}}}},
		{Name: "order_items", RowCount: -1,
			Columns: []catalog.Column{col("order_id"), col("product_id"), col("quantity")},
			ForeignKeys: []catalog.ForeignKey{
				{Columns: []string{"order_id"}, RefTable: "orders", RefColumns: []string{"id"}},
				{Columns: []string{"product_id"}, RefTable: "products", RefColumns: []string{"id"}}}},
		{Name: "products", RowCount: -1, PrimaryKey: []string{"id"}, Comment: "Things we sell",
			Columns: []catalog.Column{col("id"), col("title"), col("category", "Garden tools")}},
		{Name: "audit_log", RowCount: -1, Columns: []catalog.Column{col("event"), col("happened_at")}},
	}}
}

func TestLinkValueMatching(t *testing.T) {
	ix := Build(shop(), Extra{})
	l := ix.Link(context.Background(), "orders shipped to Germany", Options{})
	names := l.TableNames()
	if !slices.Contains(names, "customers") || !slices.Contains(names, "orders") {
		t.Fatalf("tables = %v, want customers and orders", names)
	}
	var reason string
	for _, c := range l.Columns {
		if c.Table == "customers" && c.Column == "country" {
			reason = c.Reason
		}
	}
	if reason != `value "Germany"` {
		t.Errorf("customers.country reason = %q, want it pulled in by the value", reason)
	}
	if slices.Contains(names, "audit_log") {
		t.Errorf("tables = %v: audit_log has no evidence", names)
	}
}

func TestLinkSynonymsAndDescriptions(t *testing.T) {
	ix := Build(shop(), Extra{
		Synonyms:     map[string][]string{"customers": {"clients"}},
		Descriptions: map[string]string{"products.category": "merchandise department"},
	})
	got := ix.Link(context.Background(), "clients per merchandise department", Options{}).TableNames()
	if !slices.Contains(got, "customers") || !slices.Contains(got, "products") {
		t.Errorf("tables = %v, want customers (synonym) and products (description)", got)
	}
}

func TestLinkForeignKeyBridge(t *testing.T) {
	ix := Build(shop(), Extra{})
	l := ix.Link(context.Background(), "customers country with product category Garden tools", Options{})
	var bridges []string
	for _, tl := range l.Tables {
		if tl.Reason == "fk path" {
			bridges = append(bridges, tl.Name)
		}
	}
	if diff := cmp.Diff([]string{"order_items", "orders"}, sortedCopy(bridges)); diff != "" {
		t.Errorf("bridge tables (-want +got):\n%s\nlink: %+v", diff, l.Tables)
	}
	// Keys stay so the bridge can be joined in the pruned slice.
	ddl := ix.SliceDDL(l)
	for _, want := range []string{"order_id", "product_id", "customer_id"} {
		if !contains(ddl, want) {
			t.Errorf("slice DDL lacks key column %q:\n%s", want, ddl)
		}
	}
}

func TestLinkBudget(t *testing.T) {
	cat := shop()
	ix := Build(cat, Extra{})
	q := "customers country with product category Garden tools and order status"
	full := ix.Link(context.Background(), q, Options{TokenBudget: 10000})
	if len(full.Tables) < 3 {
		t.Fatalf("unbounded link = %v, want at least 3 tables", full.TableNames())
	}
	budget := full.SliceTokens / 2
	l := ix.Link(context.Background(), q, Options{TokenBudget: budget})
	got := EstimateTokens(ix.SliceDDL(l))
	if got > budget || got != l.SliceTokens {
		t.Errorf("slice DDL of %v = %d tokens, Link.SliceTokens %d, budget %d", l.TableNames(), got, l.SliceTokens, budget)
	}
	if whole := EstimateTokens(cat.DDL(catalog.DDLOptions{Tables: l.TableNames()})); whole != l.Tokens {
		t.Errorf("whole-table DDL of %v = %d tokens, Link.Tokens %d", l.TableNames(), whole, l.Tokens)
	}
	if len(l.Tables) == 0 || l.Tables[0].Name != full.Tables[0].Name {
		t.Errorf("budgeted link %v should keep the best table %q first", l.TableNames(), full.Tables[0].Name)
	}
	if l.FullTokens != EstimateTokens(cat.DDL(catalog.DDLOptions{})) {
		t.Errorf("FullTokens = %d, want the whole catalog's DDL estimate", l.FullTokens)
	}
	if m := ix.Link(context.Background(), q, Options{MaxTables: 1}); len(m.Tables) != 1 {
		t.Errorf("MaxTables 1 gave %v", m.TableNames())
	}
}

type fixedEmbedder map[string][]float32

func (f fixedEmbedder) Embed(_ context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, s := range texts {
		out[i] = []float32{0, 0}
		for k, v := range f {
			if contains(s, k) {
				out[i] = v
			}
		}
	}
	return out, nil
}

func TestLinkEmbedderFusion(t *testing.T) {
	// The question shares no word with audit_log; only the embedder can
	// bring it in.
	emb := fixedEmbedder{"audit_log": {1, 0}, "who changed": {1, 0}}
	got := Build(shop(), Extra{Embedder: emb}).Link(context.Background(), "who changed orders", Options{}).TableNames()
	if !slices.Contains(got, "audit_log") || !slices.Contains(got, "orders") {
		t.Errorf("tables = %v, want orders (lexical) and audit_log (dense)", got)
	}
}

func sortedCopy(s []string) []string { c := slices.Clone(s); slices.Sort(c); return c }

func contains(s, sub string) bool { return strings.Contains(s, sub) }
