package pipeline_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/identity"
	"github.com/askdb/askdb/internal/pipeline"
	"github.com/askdb/askdb/internal/sample"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/source/sourcetest"
)

// TestPromptShowsQuestionValues checks that the SQL prompt shows the stored
// value a question names, though it is no frequent sample, and the ranges
// of numeric columns; and that neither reaches the model in schema-only
// privacy mode or for a caller the access rules restrict.
func TestPromptShowsQuestionValues(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sample.db")
	if err := sample.EnsureSQLite(context.Background(), path, sourcetest.Options()); err != nil {
		t.Fatal(err)
	}
	city := rarestCity(t, path)
	question := "How many customers live in " + city + "?"
	restricted := []config.AccessRule{
		{Groups: []string{"staff"}, Sources: []string{"s"}},
		{Groups: []string{"temps"}, Sources: []string{"s"}, Deny: []string{"customers.email"}},
	}
	tests := []struct {
		name    string
		privacy string
		access  []config.AccessRule
		groups  []string
		values  bool
	}{
		{"rows", pipeline.PrivacyRows, nil, nil, true},
		{"schema only", pipeline.PrivacySchemaOnly, nil, nil, false},
		{"caller the rules do not restrict", pipeline.PrivacyRows, restricted, []string{"staff"}, true},
		{"restricted caller", pipeline.PrivacyRows, restricted, []string{"temps"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, srv := scriptedModel(t, sqlReply("SELECT count(*) FROM customers"))
			set := source.NewSet(&config.Config{Sources: map[string]config.Source{"s": {Kind: "sqlite", Path: path}}}, nil)
			defer set.Close()
			p := pipeline.New(pipeline.Options{Sources: set, SQLModel: m, Engine: pipeline.EngineModel, Privacy: tt.privacy, Access: tt.access})
			ctx := identity.With(context.Background(), identity.Identity{User: "u", Groups: tt.groups})
			if _, err := p.Ask(ctx, pipeline.Request{Question: question, User: "u"}); err != nil {
				t.Fatal(err)
			}
			msgs := chatMessages(t, srv.Requests()[0].Body)
			prompt := msgs[len(msgs)-1].Content
			schema := prompt[:strings.Index(prompt, "\nQuestion: ")]
			for what, shown := range map[string]bool{
				"the question's city": strings.Contains(schema, "'"+city+"'"),
				"a range":             strings.Contains(schema, "range "),
			} {
				if shown != tt.values {
					t.Errorf("%s in the prompt's schema = %v, want %v:\n%s", what, shown, tt.values, schema)
				}
			}
		})
	}
}

// rarestCity is the least frequent city of the sample's customers: no
// frequent sample shows it.
func rarestCity(t *testing.T, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var city string
	if err := db.QueryRow("SELECT city FROM customers WHERE city <> '' GROUP BY city ORDER BY count(*), city LIMIT 1").Scan(&city); err != nil {
		t.Fatal(err)
	}
	return city
}
