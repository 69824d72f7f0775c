package pipeline_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/dbtest"
	"github.com/askdb/askdb/internal/sample"
	"github.com/askdb/askdb/internal/source/sourcetest"
)

// BenchmarkAskPostgres is BenchmarkAsk on the sample loaded into
// PostgreSQL (dbtest.Postgres: $ASKDB_TEST_POSTGRES_DSN or the local
// server), the ask path the guard's PostgreSQL parse sits on: it weighs
// the guard's share of an answer against the database round trips
// (EXPLAIN, the read-only transaction, the query).
//
//	go test ./internal/pipeline -run '^$' -bench AskPostgres -benchmem -count 6 | tee new.txt; benchstat old.txt new.txt
func BenchmarkAskPostgres(b *testing.B) {
	dsn := dbtest.Postgres(b)
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		b.Fatal(err)
	}
	err = sample.Load(context.Background(), db, catalog.Postgres, sourcetest.Options())
	db.Close()
	if err != nil {
		b.Fatal(err)
	}
	src := config.Source{Kind: "postgres", DSN: dsn}
	b.Run("count", func(b *testing.B) {
		benchAskSource(b, src, "How many employees are there?", "SELECT count(*) AS employees FROM employees")
	})
	b.Run("join-aggregate", func(b *testing.B) {
		benchAskSource(b, src, "What is the revenue of orders by customer country?",
			"SELECT c.country, count(*) AS orders, sum(o.total) AS revenue FROM orders o JOIN customers c ON c.customer_id = o.customer_id WHERE o.status <> 'cancelled' GROUP BY c.country ORDER BY revenue DESC")
	})
}
