package mcpserver_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/llm"
	"github.com/askdb/askdb/internal/llm/llmtest"
	_ "github.com/askdb/askdb/internal/llm/openai"
	"github.com/askdb/askdb/internal/mcpserver"
	"github.com/askdb/askdb/internal/pipeline"
	"github.com/askdb/askdb/internal/sample"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/store"
)

// TestAskNoCacheArgument: a repeated ask is answered from the cache, and
// no_cache: true asks the model again.
func TestAskNoCacheArgument(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	db := filepath.Join(dir, "sample.db")
	if err := sample.EnsureSQLite(ctx, db, sample.Options{Seed: 1, Today: time.Date(2025, 6, 15, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	st, err := store.OpenSQLite(ctx, filepath.Join(dir, "askdb.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srvModel := llmtest.NewOpenAI(t, llmtest.Text("```sql\nSELECT count(*) FROM employees\n```", 10, 5))
	m, err := llm.Open(ctx, "sql", config.Model{Kind: "openai", Model: "m", BaseURL: srvModel.BaseURL()}, llm.Options{})
	if err != nil {
		t.Fatal(err)
	}
	set := source.NewSet(&config.Config{Sources: map[string]config.Source{"sample": {Kind: "sqlite", Path: db}}}, nil)
	t.Cleanup(func() { set.Close() })
	p := pipeline.New(pipeline.Options{Sources: set, SQLModel: m, Store: st, Cache: pipeline.CacheOptions{Enabled: true}})
	srv := mcpserver.New(mcpserver.Options{Pipeline: p, Sources: set})
	ct, sst := mcp.NewInMemoryTransports()
	go func() { _ = srv.Run(ctx, sst) }()
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "1"}, nil).Connect(ctx, ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	q := "How many employees are there?"
	for i, tc := range []struct {
		args      map[string]any
		wantCalls int
	}{
		{map[string]any{"question": q}, 1},
		{map[string]any{"question": q}, 1},
		{map[string]any{"question": q, "no_cache": true}, 2},
	} {
		call(ctx, t, cs, "ask", tc.args, false, nil)
		if got := srvModel.Count(); got != tc.wantCalls {
			t.Errorf("ask %d (%v): %d model calls, want %d", i+1, tc.args, got, tc.wantCalls)
		}
	}
}
