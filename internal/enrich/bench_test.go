package enrich_test

import (
	"context"
	"testing"

	"github.com/askdb/askdb/internal/enrich"
)

func BenchmarkEnrichSample(b *testing.B) {
	src := openSampleTB(b)
	for b.Loop() {
		if _, err := enrich.Enrich(context.Background(), src, enrich.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
