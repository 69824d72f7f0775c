package route_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/route"
)

var (
	benchAreas    = []string{"sales", "hr", "finance", "legal", "marketing", "support", "logistics", "inventory", "billing", "research"}
	benchEntities = []string{"customer", "order", "invoice", "payment", "employee", "department", "contract", "case", "campaign", "lead",
		"ticket", "shipment", "warehouse", "product", "supplier", "account", "ledger", "budget", "asset", "vendor",
		"region", "store", "visit", "claim", "policy", "subscription", "plan", "device", "sensor", "reading"}
	benchSuffixes = []string{"", "_history", "_items", "_events", "_daily", "_snapshot", "_archive"}
	benchColumns  = []string{"id", "name", "status", "created_at", "updated_at", "amount", "currency", "country", "city", "owner_id",
		"quantity", "price", "discount", "category", "priority", "opened_on", "closed_on", "score", "email", "phone"}
	benchQuestions = []string{
		"total invoice amount by customer country last quarter",
		"how many open support tickets per priority",
		"which warehouse shipped the most shipments in March",
		"average discount on subscription plans by region",
		"list contracts closed this year with their vendor",
		"sensor readings above 40 for each device",
	}
)

// syntheticRouter indexes sources×tables tables named the way business
// schemas are: area prefixes, entity nouns, history and event tables.
func syntheticRouter(sources, tablesPer int) *route.Router {
	rng := rand.New(rand.NewPCG(1, 2))
	r := route.New()
	for s := 0; s < sources; s++ {
		area := benchAreas[s%len(benchAreas)]
		c := &catalog.Catalog{Source: fmt.Sprintf("%s_%d", area, s), Dialect: catalog.Postgres}
		for t := 0; t < tablesPer; t++ {
			e := benchEntities[rng.IntN(len(benchEntities))]
			tb := catalog.Table{Schema: area, Name: fmt.Sprintf("%s%s_%d", e, benchSuffixes[rng.IntN(len(benchSuffixes))], t), RowCount: -1,
				Comment: fmt.Sprintf("%s records of the %s team", e, area)}
			for k := 0; k < 8+rng.IntN(8); k++ {
				col := catalog.Column{Name: benchColumns[rng.IntN(len(benchColumns))], Type: catalog.TypeText}
				if col.Name == "country" {
					col.Samples = []string{"France", "Germany", "Japan"}
				}
				tb.Columns = append(tb.Columns, col)
			}
			c.Tables = append(c.Tables, tb)
		}
		r.Update(route.Input{Name: c.Source, Description: "the " + area + " team's data", Catalog: c})
	}
	return r
}

// BenchmarkRoute50x10k is routing over 50 sources with 10,000 tables in
// all: the time one question adds.
func BenchmarkRoute50x10k(b *testing.B) {
	r := syntheticRouter(50, 200)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		r.Route(ctx, benchQuestions[i%len(benchQuestions)], route.Options{})
	}
}

// BenchmarkRefreshOneSource is re-indexing one 200-table source of 50
// after its fingerprint changed.
func BenchmarkRefreshOneSource(b *testing.B) {
	r := syntheticRouter(50, 200)
	c := &catalog.Catalog{Source: "sales_0"}
	for t := 0; t < 200; t++ {
		c.Tables = append(c.Tables, catalog.Table{Name: fmt.Sprintf("orders_%d", t), Columns: []catalog.Column{{Name: "id"}, {Name: "amount"}, {Name: "status"}}})
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		r.Update(route.Input{Name: "sales_0", Catalog: c, Fingerprint: fmt.Sprint(i)})
	}
}
