package sqlguard

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/askdb/askdb/internal/catalog"
)

// TestAttacksRefused runs testdata/attacks/<dialect>.sql, one statement per
// line: hand-written attacks beyond the shared payload lists (writes and side
// effects hidden in subqueries, ORDER BY, HAVING, LATERAL, table functions,
// executable comments, quoted and upper-case names, system catalogs, utility
// statements). Every line must be refused, with a rule and a message. The
// PostgreSQL file also runs as DuckDB, whose first layer is the same, and
// duckdb.sql holds what only DuckDB reads as an attack.
func TestAttacksRefused(t *testing.T) {
	files := []struct {
		d    catalog.Dialect
		file string
		min  int
	}{
		{catalog.Postgres, "postgres.sql", 30}, {catalog.DuckDB, "postgres.sql", 30}, {catalog.DuckDB, "duckdb.sql", 5},
		{catalog.MySQL, "mysql.sql", 30}, {catalog.SQLite, "sqlite.sql", 30}, {catalog.Trino, "trino.sql", 60},
	}
	for _, tf := range files {
		d, file := tf.d, tf.file
		f, err := os.Open(filepath.Join("testdata", "attacks", file))
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		n, lines := 0, 0
		for sc.Scan() {
			n++
			sql := strings.TrimSpace(sc.Text())
			if sql == "" || strings.HasPrefix(sql, "#") {
				continue
			}
			lines++
			v := Check(sql, Options{Dialect: d, MaxRows: 100})
			if v.Accepted {
				t.Errorf("%s:%d (%s) accepted: %s", file, n, d, sql)
			} else if v.Rule == "" || v.Message == "" {
				t.Errorf("%s:%d (%s) refused without rule or message: %+v", file, n, d, v)
			}
		}
		f.Close()
		if lines < tf.min {
			t.Errorf("%s: only %d attacks read", file, lines)
		}
	}
}
