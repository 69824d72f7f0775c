package mcpserver_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/askdb/askdb/internal/dbtest"
	"github.com/askdb/askdb/internal/llm/llmtest"
)

// TestRoutingTools configures the sample and a pet clinic with knowledge
// domains, and calls the tools without a source, as an agent would.
func TestRoutingTools(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	dir := t.TempDir()
	pets := dbtest.SQLiteFile(t,
		"CREATE TABLE pets (pet_id INTEGER PRIMARY KEY, pet_type TEXT, weight REAL)",
		"INSERT INTO pets VALUES (1, 'dog', 12.5), (2, 'cat', 4.1)")
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("pets.yaml", "domains:\n  - name: veterinary\n    aliases: [vet]\n    tables: [pets]\n")
	cfg := write("askdb.yaml", "sources:\n  sample:\n    kind: sample\n    description: sales, HR and research\n"+
		"  clinic:\n    kind: sqlite\n    path: "+pets+"\n    description: the pet clinic's patients\n    knowledge: [pets.yaml]\n")
	srv := llmtest.NewOpenAI(t,
		llmtest.Text("```sql\nSELECT pet_type, avg(weight) AS w FROM pets GROUP BY pet_type\n```", 10, 5),
		llmtest.Text("```sql\nSELECT count(*) AS n FROM employees\n```", 10, 5))
	env := map[string]string{"ASKDB_MODEL": "openai:m", "OPENAI_BASE_URL": srv.BaseURL(), "OPENAI_API_KEY": "test", "ASKDB_CONFIG": cfg}
	client := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "1"}, nil)
	cs, err := client.Connect(ctx, &mcp.CommandTransport{Command: askdbCmd(t, env, "mcp")}, nil)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer cs.Close()

	var list struct {
		Sources []struct {
			Name, Description string
			Domains           []string
		}
	}
	call(ctx, t, cs, "list_sources", map[string]any{}, false, &list)
	var clinic bool
	for _, s := range list.Sources {
		if s.Name == "clinic" {
			clinic = s.Description != "" && len(s.Domains) == 1 && s.Domains[0] == "veterinary"
		}
	}
	if !clinic {
		t.Errorf("list_sources should give the clinic's description and domains: %+v", list)
	}

	type routed struct {
		Source string
		SQL    string
		Route  *struct {
			Kind, Reason string
		}
	}
	var gen routed
	call(ctx, t, cs, "generate_sql", map[string]any{"question": "average weight of pets by pet type"}, false, &gen)
	if gen.Source != "clinic" || gen.Route == nil || gen.Route.Kind != "clear" || !strings.Contains(gen.Route.Reason, "pets") {
		t.Errorf("generate_sql without source: %+v", gen)
	}
	var ask routed
	call(ctx, t, cs, "ask", map[string]any{"question": "how many employees are there in each department"}, false, &ask)
	if ask.Source != "sample" || ask.Route == nil || !strings.Contains(ask.Route.Reason, "employees") {
		t.Errorf("ask without source: %+v", ask)
	}
}
