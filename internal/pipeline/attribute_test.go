package pipeline_test

import (
	"context"
	"strings"
	"testing"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/dbtest"
	"github.com/askdb/askdb/internal/pipeline"
	"github.com/askdb/askdb/internal/source"
)

// TestIntegrationAttributeNotation runs the issue-12 attribute-notation
// attacks through RunSQL (what askdb sql, /api/sql and MCP call) on a real
// PostgreSQL server with a policy hiding employees.salary. Each attack is
// first run as the administrator to show that the server really calls the
// function (so the attack is live, not a parse error), then askdb must
// refuse it; a plain qualified column keeps working.
func TestIntegrationAttributeNotation(t *testing.T) {
	ctx := context.Background()
	dsn := dbtest.Postgres(t)
	admin := openAdmin(t, "pgx", dsn)
	loadSample(t, admin, catalog.Postgres)
	cfg := config.Source{Kind: "postgres", DSN: dbtest.PostgresReadOnly(t, dsn), Policy: config.Policy{Deny: []string{"employees.salary"}}}
	set := source.NewSet(&config.Config{Sources: map[string]config.Source{"pg": cfg}}, nil)
	defer set.Close()
	p := pipeline.New(pipeline.Options{Sources: set})

	attacks := []struct{ sql, live string }{
		// live: what the administrator's run returns, proving the call.
		{"SELECT ('search_path').current_setting AS v", "public"},
		{"SELECT e.to_jsonb ->> 'salary' AS v FROM employees e ORDER BY e.employee_id LIMIT 1", ""},
		{"SELECT e.row_to_json::text AS v FROM employees e ORDER BY e.employee_id LIMIT 1", "salary"},
		{"SELECT e.json_agg::text AS v FROM employees e", "salary"},
		{"SELECT (e.employee_id).pg_typeof::text AS v FROM employees e LIMIT 1", "integer"},
		{"SELECT e.employee_id FROM employees e WHERE e.to_json::text LIKE '%salary%' LIMIT 1", ""},
	}
	for _, a := range attacks {
		var v string
		if err := admin.QueryRowContext(ctx, a.sql).Scan(&v); err != nil {
			t.Fatalf("admin run of %q: %v (the attack should be live on this server)", a.sql, err)
		}
		if !strings.Contains(v, a.live) {
			t.Errorf("admin run of %q = %q, want it to contain %q", a.sql, v, a.live)
		}
		ans, err := p.RunSQL(ctx, "pg", a.sql, nil)
		if ans == nil || ans.Outcome != pipeline.Refused {
			t.Errorf("RunSQL(%q) was not refused: %+v, %v", a.sql, ans, err)
			continue
		}
		if strings.Contains(ans.Message, "salary\":") || len(ans.Rows) > 0 {
			t.Errorf("RunSQL(%q) leaked: %+v", a.sql, ans)
		}
	}
	ans, err := p.RunSQL(ctx, "pg", "SELECT e.first_name, e.last_name FROM employees e ORDER BY e.employee_id LIMIT 2", nil)
	if err != nil || ans.Outcome != pipeline.Answered || len(ans.Rows) != 2 {
		t.Fatalf("qualified columns: %+v, %v", ans, err)
	}
}
