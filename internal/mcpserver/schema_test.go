package mcpserver_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/knowledge"
	"github.com/askdb/askdb/internal/mcpserver"
	"github.com/askdb/askdb/internal/pipeline"
	"github.com/askdb/askdb/internal/sample"
	"github.com/askdb/askdb/internal/source"
	_ "github.com/askdb/askdb/internal/source/sqlite"
)

// TestDescribeSchemaShowsKnowledge checks that agents see the schema the
// prompt sees: the knowledge files' descriptions, and not what the policy
// hides, from the pipeline's own cache.
func TestDescribeSchemaShowsKnowledge(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	db := filepath.Join(dir, "sample.db")
	if err := sample.EnsureSQLite(ctx, db, sample.Options{Seed: 1, Today: time.Date(2025, 6, 15, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	kpath := filepath.Join(dir, "k.yaml")
	if err := os.WriteFile(kpath, []byte("tables:\n  departments:\n    description: Org units that own budgets.\n    columns:\n      name:\n        description: The unit's display name.\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	k, err := knowledge.Load(kpath)
	if err != nil {
		t.Fatal(err)
	}
	set := source.NewSet(&config.Config{Sources: map[string]config.Source{"sample": {Kind: "sqlite", Path: db,
		Policy: config.Policy{Deny: []string{"employees.salary"}}}}}, nil)
	t.Cleanup(func() { set.Close() })
	p := pipeline.New(pipeline.Options{Sources: set, Knowledge: map[string]*knowledge.Knowledge{"sample": k}})
	srv := mcpserver.New(mcpserver.Options{Pipeline: p, Sources: set})

	ct, st := mcp.NewInMemoryTransports()
	go func() { _ = srv.Run(ctx, st) }()
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "1"}, nil).Connect(ctx, ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()

	var out struct {
		DDL string `json:"ddl"`
	}
	call(ctx, t, cs, "describe_schema", map[string]any{"tables": []string{"departments", "employees"}}, false, &out)
	for _, want := range []string{"Org units that own budgets.", "The unit's display name."} {
		if !strings.Contains(out.DDL, want) {
			t.Errorf("describe_schema DDL lacks the description %q:\n%s", want, out.DDL)
		}
	}
	if strings.Contains(out.DDL, "salary") {
		t.Errorf("describe_schema shows the hidden column salary:\n%s", out.DDL)
	}
	res, err := cs.ReadResource(ctx, &mcp.ReadResourceParams{URI: mcpserver.SchemaURI("sample")})
	if err != nil {
		t.Fatal(err)
	}
	if text := res.Contents[0].Text; !strings.Contains(text, "Org units that own budgets.") {
		t.Errorf("schema resource lacks the description:\n%s", text)
	}
}
