package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/store"
)

func BenchmarkSQLiteSaveAnswer(b *testing.B) {
	ctx := context.Background()
	s, err := store.Open(ctx, config.Store{Path: filepath.Join(b.TempDir(), "askdb.db")}, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	payload := []byte(`{"outcome":"answered","rows":[[1,2,3]],"steps":[{"name":"generate"}]}`)
	i := 0
	for b.Loop() {
		i++
		if err := s.SaveAnswer(ctx, store.AnswerRecord{ID: fmt.Sprint(i), Source: "sample", Question: "q", Payload: payload}); err != nil {
			b.Fatal(err)
		}
	}
}
