package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/llm"
	"github.com/askdb/askdb/internal/llm/llmtest"
	_ "github.com/askdb/askdb/internal/llm/openai"
	"github.com/askdb/askdb/internal/retrieve"
	"github.com/askdb/askdb/internal/sample"
	"github.com/askdb/askdb/internal/schema"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/source/sourcetest"
	_ "github.com/askdb/askdb/internal/source/sqlite"
)

// TestSQLPromptForMatchesRun catches SQLPromptFor drifting from what a
// run really sends: a run on the sample database asks a scripted model,
// and the request the model server received must be the one SQLPromptFor
// builds from the same schema.
func TestSQLPromptForMatchesRun(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sample.db")
	if err := sample.EnsureSQLite(ctx, path, sourcetest.Options()); err != nil {
		t.Fatal(err)
	}
	srv := llmtest.NewOpenAI(t, llmtest.Text("I cannot answer that.", 10, 5))
	m, err := llm.Open(ctx, "sql", config.Model{Kind: "openai", Model: "scripted", BaseURL: srv.BaseURL()}, llm.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srcCfg := config.Source{Kind: "sqlite", Path: path}
	set := source.NewSet(&config.Config{Sources: map[string]config.Source{"sample": srcCfg}}, nil)
	t.Cleanup(func() { set.Close() })
	p := New(Options{Sources: set, SQLModel: m, Engine: EngineModel, RepairAttempts: 0, Now: func() time.Time { return sourcetest.FixedToday }})
	const q = "Which customers in Germany placed the most orders?"
	if _, err := p.Ask(ctx, Request{Question: q}); err != nil {
		t.Fatalf("Ask: %v", err)
	}
	if srv.Count() != 1 {
		t.Fatalf("the model was called %d times, want once", srv.Count())
	}
	var sent struct {
		Messages []struct{ Role, Content string } `json:"messages"`
	}
	if err := json.Unmarshal(srv.Last().Body, &sent); err != nil {
		t.Fatal(err)
	}
	s, err := p.Schema(ctx, "sample")
	if err != nil {
		t.Fatal(err)
	}
	want := SQLPromptFor(ctx, s, PromptInput{
		Question: q, Today: sourcetest.FixedToday, MaxRows: source.LimitsFor(srcCfg).MaxRows,
	}, nil)
	got := make([]struct{ Role, Content string }, 0, 2)
	for _, msg := range sent.Messages {
		got = append(got, struct{ Role, Content string }{msg.Role, msg.Content})
	}
	wantMsgs := []struct{ Role, Content string }{{"system", want.System}, {"user", want.Messages[0].Content}}
	if diff := cmp.Diff(wantMsgs, got); diff != "" {
		t.Errorf("the run sent another prompt than SQLPromptFor builds (-SQLPromptFor +run):\n%s", diff)
	}
}

// TestSQLPromptForSlicesLargeSchemas catches a prompt that pastes a large
// schema whole instead of the question's slice.
func TestSQLPromptForSlicesLargeSchemas(t *testing.T) {
	cat := &catalog.Catalog{Dialect: catalog.SQLite}
	for i := range 120 {
		t := catalog.Table{Name: fmt.Sprintf("ledger_%03d", i), Kind: catalog.KindTable, RowCount: -1}
		for j := range 8 {
			t.Columns = append(t.Columns, catalog.Column{Name: fmt.Sprintf("amount_%d", j), DBType: "REAL", Type: catalog.TypeFloat})
		}
		cat.Tables = append(cat.Tables, t)
	}
	cat.Tables = append(cat.Tables, catalog.Table{Name: "volcanoes", Kind: catalog.KindTable, RowCount: -1,
		Columns: []catalog.Column{{Name: "volcano_name", DBType: "TEXT", Type: catalog.TypeText, Samples: []string{"Etna", "Fuji", "Vesuvius"}},
			{Name: "elevation", DBType: "REAL", Type: catalog.TypeFloat}}})
	s := schema.FromCatalog("ledgers", cat, retrieve.Extra{})
	if s.Tokens <= SmallSchemaTokens {
		t.Fatalf("test catalog has %d tokens, want more than %d", s.Tokens, SmallSchemaTokens)
	}
	req := SQLPromptFor(context.Background(), s, PromptInput{Question: "What is the elevation of the volcano Vesuvius?"}, nil)
	user := req.Messages[0].Content
	if !strings.Contains(user, "volcanoes") || strings.Count(user, "CREATE TABLE") >= len(cat.Tables) {
		t.Errorf("prompt has %d CREATE TABLEs (of %d), want the volcano slice:\n%.600s", strings.Count(user, "CREATE TABLE"), len(cat.Tables), user)
	}
	// A slice shows samples too, and the value the question names first.
	if !strings.Contains(user, "volcano_name TEXT NOT NULL, -- e.g. 'Vesuvius', 'Etna'\n") {
		t.Errorf("the slice does not show the volcano names:\n%.600s", user)
	}
	if !strings.Contains(user, "Database engine: SQLite") {
		t.Errorf("the dialect did not default to the catalog's:\n%.300s", user)
	}
}
