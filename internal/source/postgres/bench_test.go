package postgres_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/askdb/askdb/internal/dbtest"
	"github.com/askdb/askdb/internal/source/sourcetest"
)

// manyTablesDDL creates n tables of ten columns, each but the first with a
// foreign key to the one before, with a comment on every tenth.
func manyTablesDDL(n int) []string {
	var batches []string
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `CREATE TABLE t%04d (id integer PRIMARY KEY, parent_id integer%s,
  name varchar(100) NOT NULL, amount numeric(10,2) DEFAULT 0, created_at timestamp DEFAULT now(),
  active boolean, note text, qty integer, price double precision, code char(3));`,
			i, parentRef(i))
		if i%10 == 0 {
			fmt.Fprintf(&b, "COMMENT ON TABLE t%04d IS 'table number %d';", i, i)
		}
		if i%200 == 199 {
			batches = append(batches, b.String())
			b.Reset()
		}
	}
	return append(batches, b.String())
}

func parentRef(i int) string {
	if i == 0 {
		return ""
	}
	return fmt.Sprintf(" REFERENCES t%04d(id)", i-1)
}

func BenchmarkIntrospect2000Tables(b *testing.B) {
	dsn := dbtest.Postgres(b)
	execAll(b, dsn, manyTablesDDL(2000)...)
	src := openSource(b, dsn)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		cat, err := src.Introspect(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if len(cat.Tables) != 2000 || len(cat.Tables[1].ForeignKeys) != 1 {
			b.Fatalf("got %d tables", len(cat.Tables))
		}
	}
}

func benchmarkQuery(b *testing.B, sql string, rows int) {
	sourcetest.BenchQuery(b, openSource(b, dbtest.Postgres(b)), sql, rows)
}

func BenchmarkQuery1Row(b *testing.B) {
	benchmarkQuery(b, "SELECT 1 AS one, 'a' AS letter", 1)
}

func BenchmarkQuery10000Rows(b *testing.B) {
	benchmarkQuery(b, `SELECT g AS id, 'customer ' || g AS name, (g * 1.25)::numeric(10,2) AS amount,
  date '2024-01-01' + g % 365 AS day FROM generate_series(1, 10000) g`, 10000)
}
