package schema_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/schema"
)

// BenchmarkMatch measures matching a question against a full values index
// (ValuesTotal values over 100 columns), which every ask on a sampled
// schema pays.
//
//	go test ./internal/schema -run '^$' -bench Match -benchmem
func BenchmarkMatch(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	syllables := []string{"ka", "ri", "mo", "ten", "sa", "lu", "ver", "don", "pe", "sha", "gor", "in"}
	word := func() string {
		w := ""
		for range 2 + r.IntN(3) {
			w += syllables[r.IntN(len(syllables))]
		}
		return w
	}
	cat := &catalog.Catalog{Tables: []catalog.Table{{Name: "t"}}}
	for c := range 100 {
		col := catalog.Column{Name: fmt.Sprintf("c%d", c), DBType: "TEXT", Type: catalog.TypeText}
		for range schema.ValuesTotal / 100 {
			col.Samples = append(col.Samples, word()+" "+word())
		}
		cat.Tables[0].Columns = append(cat.Tables[0].Columns, col)
	}
	v := schema.ValuesOf(cat)
	q := "How many orders did the customers from Karimo Tensa place after the Verdon sale?"
	b.ReportAllocs()
	for b.Loop() {
		v.Match(q)
	}
}
