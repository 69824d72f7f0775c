package pipeline_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/dbtest"
	"github.com/askdb/askdb/internal/pipeline"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/store"
)

// TestIntegrationDatabaseDiesMidQuery kills askdb's PostgreSQL backend
// while a query runs: the answer fails with a clear error, the audit log
// still records it, and the next question is answered on a new connection.
func TestIntegrationDatabaseDiesMidQuery(t *testing.T) {
	ctx := context.Background()
	dsn := dbtest.Postgres(t)
	admin := openAdmin(t, "pgx", dsn)
	st, err := store.Open(ctx, config.Store{Kind: "sqlite", Path: filepath.Join(t.TempDir(), "store.db")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ro := dbtest.PostgresReadOnly(t, dsn)
	set := source.NewSet(&config.Config{Sources: map[string]config.Source{"pg": {Kind: "postgres", DSN: ro}}}, nil)
	defer set.Close()
	p := pipeline.New(pipeline.Options{Sources: set, Store: st})

	var dbName string
	if err := admin.QueryRow("SELECT current_database()").Scan(&dbName); err != nil {
		t.Fatal(err)
	}
	go func() {
		// Wait for the query to start, then kill every backend of the database but our own.
		for range 100 {
			time.Sleep(50 * time.Millisecond)
			var n int
			_ = admin.QueryRow(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
				WHERE datname = $1 AND pid <> pg_backend_pid() AND state = 'active' AND query LIKE '%generate_series%'`, dbName).Scan(&n)
			if n > 0 {
				return
			}
		}
	}()
	ans, err := p.RunSQL(ctx, "pg", "SELECT count(*) FROM generate_series(1, 2000000000) AS g", nil)
	if err == nil || ans.Outcome != pipeline.Failed || ans.Message == "" {
		t.Fatalf("killed query: outcome %q, message %q, err %v", ans.Outcome, ans.Message, err)
	}
	rec, err := st.Answer(ctx, ans.ID)
	if err != nil || rec.Outcome != string(pipeline.Failed) {
		t.Fatalf("audit record of the failed answer: %+v, %v", rec, err)
	}
	next, err := p.RunSQL(ctx, "pg", "SELECT 1 AS ok", nil)
	if err != nil || next.Outcome != pipeline.Answered {
		t.Fatalf("the next question after the outage: %+v, %v", next, err)
	}
}
