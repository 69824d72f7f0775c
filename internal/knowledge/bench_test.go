package knowledge

import "testing"

func BenchmarkFindMetrics(b *testing.B) {
	k, err := Load("testdata/sample.yaml")
	if err != nil {
		b.Fatal(err)
	}
	q := "What was the HR retention and the average order value of shop customers in Germany last year?"
	for b.Loop() {
		if len(k.FindMetrics(q)) == 0 {
			b.Fatal("no metrics found")
		}
	}
}

func BenchmarkLoadSample(b *testing.B) {
	for b.Loop() {
		if _, err := Load("testdata/sample.yaml"); err != nil {
			b.Fatal(err)
		}
	}
}
