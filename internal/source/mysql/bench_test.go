package mysql_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/askdb/askdb/internal/dbtest"
	"github.com/askdb/askdb/internal/source/sourcetest"
)

// manyTablesDDL creates n tables of ten columns, each but the first with a
// foreign key to the one before, with a comment on every tenth.
func manyTablesDDL(n int) []string {
	out := make([]string, 0, n)
	for i := range n {
		fk, comment := "", ""
		if i > 0 {
			fk = fmt.Sprintf(", FOREIGN KEY (parent_id) REFERENCES t%04d (id)", i-1)
		}
		if i%10 == 0 {
			comment = fmt.Sprintf(" COMMENT 'table number %d'", i)
		}
		out = append(out, fmt.Sprintf(`CREATE TABLE t%04d (id int PRIMARY KEY, parent_id int,
  name varchar(100) NOT NULL, amount decimal(10,2) DEFAULT 0, created_at datetime DEFAULT CURRENT_TIMESTAMP,
  active boolean, note text, qty int, price double, code char(3)%s)%s`, i, fk, comment))
	}
	return out
}

func BenchmarkIntrospect2000Tables(b *testing.B) {
	dsn := dbtest.MySQL(b)
	execAll(b, openAdmin(b, dsn), manyTablesDDL(2000)...)
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

// digitsSQL yields 10,000 rows from a ten-row table, without recursion
// (MySQL caps recursive CTEs at 1,000 levels by default).
const digitsSQL = `SELECT a.d + 10 * b.d + 100 * c.d + 1000 * e.d AS id,
  concat('customer ', a.d, b.d, c.d, e.d) AS name, CAST((a.d + b.d) * 1.25 AS decimal(10,2)) AS amount,
  DATE '2024-01-01' + INTERVAL (c.d * 10 + e.d) DAY AS day
FROM digits a, digits b, digits c, digits e`

func benchmarkQuery(b *testing.B, sql string, rows int) {
	dsn := dbtest.MySQL(b)
	execAll(b, openAdmin(b, dsn), "CREATE TABLE digits (d int PRIMARY KEY)",
		"INSERT INTO digits VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)")
	sourcetest.BenchQuery(b, openSource(b, dsn), sql, rows)
}

func BenchmarkQuery1Row(b *testing.B) {
	benchmarkQuery(b, "SELECT 1 AS one, 'a' AS letter", 1)
}

func BenchmarkQuery10000Rows(b *testing.B) {
	benchmarkQuery(b, digitsSQL, 10000)
}
