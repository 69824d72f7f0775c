package pipeline_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/llm"
	"github.com/askdb/askdb/internal/llm/llmtest"
	"github.com/askdb/askdb/internal/pipeline"
	"github.com/askdb/askdb/internal/sample"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/source/sourcetest"
	"github.com/askdb/askdb/internal/trace"
)

// TestLargeSchemaUsesRetrieval checks that a schema too big for one prompt
// is cut to the question's tables, and that the cut keeps what the
// question needs.
func TestLargeSchemaUsesRetrieval(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.db")
	if err := sample.EnsureSQLite(context.Background(), path, sourcetest.Options()); err != nil {
		t.Fatal(err)
	}
	admin := openAdmin(t, "sqlite3", path)
	for i := range 150 {
		stmt := fmt.Sprintf("CREATE TABLE telemetry_%03d (reading_id INTEGER PRIMARY KEY, sensor_code TEXT, measured_value REAL, recorded_at TEXT)", i)
		if _, err := admin.Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
	cfg := config.Source{Kind: "sqlite", Path: path}
	e := engine{"sqlite", cfg, cfg, admin}
	p, srv := newPipeline(t, e, sqlReply("SELECT count(*) FROM employees WHERE hire_date < '1990-01-01'"), llmtest.Text("35 employees.", 1, 1))
	ans, err := p.Ask(context.Background(), pipeline.Request{Question: "How many employees were hired before 1990?"})
	if err != nil || ans.Outcome != pipeline.Answered {
		t.Fatalf("answer %+v, err %v", ans, err)
	}
	var retrieve trace.Step
	for _, s := range ans.Steps {
		if s.Name == trace.StepRetrieve {
			retrieve = s
		}
	}
	if !strings.HasPrefix(retrieve.Decision, "chose ") {
		t.Errorf("retrieve decision = %q, want a slice of the schema", retrieve.Decision)
	}
	prompt := chatMessages(t, srv.Requests()[0].Body)
	user := prompt[len(prompt)-1].Content
	if !strings.Contains(user, "CREATE TABLE employees") || !strings.Contains(user, "hire_date") {
		t.Errorf("prompt lacks the employees table:\n%.2000s", user)
	}
	if n := strings.Count(user, "CREATE TABLE telemetry_"); n > 5 {
		t.Errorf("prompt holds %d unrelated telemetry tables", n)
	}
}

// TestEmbeddingsFuseIntoRetrieval checks that a configured embedding model
// is called for a large schema's retrieval, through the real provider.
func TestEmbeddingsFuseIntoRetrieval(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.db")
	if err := sample.EnsureSQLite(context.Background(), path, sourcetest.Options()); err != nil {
		t.Fatal(err)
	}
	admin := openAdmin(t, "sqlite3", path)
	for i := range 150 {
		if _, err := admin.Exec(fmt.Sprintf("CREATE TABLE telemetry_%03d (reading_id INTEGER PRIMARY KEY, sensor_code TEXT)", i)); err != nil {
			t.Fatal(err)
		}
	}
	emb, embSrv := scriptedModel(t, llmtest.Reply{Embedding: []float32{0.1, 0.2, 0.3}, InputTokens: 5})
	m, _ := scriptedModel(t, sqlReply("SELECT count(*) FROM employees"))
	set := source.NewSet(&config.Config{Sources: map[string]config.Source{"s": {Kind: "sqlite", Path: path}}}, nil)
	defer set.Close()
	p := pipeline.New(pipeline.Options{Sources: set, SQLModel: m, Engine: pipeline.EngineModel, Embedder: emb.(llm.Embedder)})
	if ans, err := p.Ask(context.Background(), pipeline.Request{Question: "How many employees are there?"}); err != nil || ans.Outcome != pipeline.Answered {
		t.Fatalf("answer %+v, %v", ans, err)
	}
	calls := 0
	for _, r := range embSrv.Requests() {
		if strings.HasSuffix(r.Path, "/embeddings") {
			calls++
		}
	}
	if calls == 0 {
		t.Error("the embedding model was never called")
	}
}
