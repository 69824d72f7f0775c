package pipeline_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/pipeline"
	"github.com/askdb/askdb/internal/sample"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/source/sourcetest"
)

// TestPolicyHidesFromTheModel checks that hidden columns and tables never
// reach a model: not in the schema of the prompt, not as sample values;
// and that schema_only sends no sample value at all.
func TestPolicyHidesFromTheModel(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sample.db")
	if err := sample.EnsureSQLite(context.Background(), path, sourcetest.Options()); err != nil {
		t.Fatal(err)
	}
	for _, privacy := range []string{pipeline.PrivacyRows, pipeline.PrivacySchemaOnly} {
		t.Run(privacy, func(t *testing.T) {
			m, srv := scriptedModel(t, sqlReply("SELECT count(*) FROM customers"))
			cfg := config.Source{Kind: "sqlite", Path: path, Policy: config.Policy{Deny: []string{"customers.email", "employees.salary", "timesheets"}}}
			set := source.NewSet(&config.Config{Sources: map[string]config.Source{"s": cfg}}, nil)
			defer set.Close()
			p := pipeline.New(pipeline.Options{Sources: set, SQLModel: m, Engine: pipeline.EngineModel, Privacy: privacy})
			if _, err := p.Ask(context.Background(), pipeline.Request{Question: "How many customers are there?"}); err != nil {
				t.Fatal(err)
			}
			msgs := chatMessages(t, srv.Requests()[0].Body)
			prompt := msgs[len(msgs)-1].Content
			customers := prompt[strings.Index(prompt, "CREATE TABLE customers"):]
			customers = customers[:strings.Index(customers, ");")]
			if strings.Contains(customers, "email") || strings.Contains(customers, "@") {
				t.Errorf("the prompt shows the hidden customers.email or its values:\n%s", customers)
			}
			for _, hidden := range []string{"salary", "timesheets"} {
				if strings.Contains(prompt, hidden) {
					i := strings.Index(prompt, hidden)
					t.Errorf("the prompt mentions hidden %q: …%s…", hidden, prompt[max(0, i-200):min(len(prompt), i+50)])
				}
			}
			if samples := strings.Contains(prompt, "e.g. '"); samples != (privacy == pipeline.PrivacyRows) {
				t.Errorf("privacy %s: sample values in the prompt = %v", privacy, samples)
			}
		})
	}
}
