package sqlguard

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"
	_ "github.com/mattn/go-sqlite3"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/dbtest"
)

// rfOrders and rfCustomers are the bypass suite's data: the caller may
// see only the rows of their region.
var (
	rfOrders = []struct {
		id, customer int
		region       string
		amount       int
	}{{1, 1, "EMEA", 10}, {2, 1, "EMEA", 20}, {3, 2, "APAC", 3000}, {4, 3, "AMER", 4000}, {5, 2, "APAC", 5000}, {6, 3, "emea", 6000}}
	rfCustomers = []struct {
		id     int
		name   string
		region string
	}{{1, "Ann", "EMEA"}, {2, "Bo", "APAC"}, {3, "Cy", "AMER"}}
)

var rfFilters = []RowFilter{
	{Table: "orders", Where: []string{"region = {{user.region}}"}},
	{Table: "customers", Where: []string{"region = {{user.region}}"}},
}

// rfDB is one engine loaded twice: with all rows, and with only the rows
// the caller may see. A query rewritten with the filters over the full
// data must return what the unfiltered query returns over the permitted
// data.
type rfDB struct {
	dialect          catalog.Dialect
	schema, okSchema string // the schema names of full and permitted
	full, permitted  *sql.DB
}

func rfLoad(t *testing.T, db *sql.DB, d catalog.Dialect, region string, all bool) {
	t.Helper()
	text := "TEXT"
	if d == catalog.MySQL {
		text = "VARCHAR(40) COLLATE utf8mb4_bin"
	}
	stmts := []string{
		"CREATE TABLE orders (id INT, customer_id INT, region " + text + ", amount INT)",
		"CREATE TABLE customers (id INT, name " + text + ", region " + text + ")",
		"CREATE VIEW v_orders AS SELECT * FROM orders",
	}
	for _, o := range rfOrders {
		if all || o.region == region {
			stmts = append(stmts, fmt.Sprintf("INSERT INTO orders VALUES (%d, %d, '%s', %d)", o.id, o.customer, o.region, o.amount))
		}
	}
	for _, c := range rfCustomers {
		if all || c.region == region {
			stmts = append(stmts, fmt.Sprintf("INSERT INTO customers VALUES (%d, '%s', '%s')", c.id, c.name, c.region))
		}
	}
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	// A row whose region is the claim itself, bound by the driver: a
	// hostile claim must match exactly it, so its quoting is proved right
	// and not only harmless.
	ph := func(n int) string {
		if d == catalog.Postgres {
			return fmt.Sprintf("$%d", n)
		}
		return "?"
	}
	if _, err := db.Exec("INSERT INTO orders VALUES (7, 4, "+ph(1)+", 70)", region); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("INSERT INTO customers VALUES (4, 'Dee', "+ph(1)+")", region); err != nil {
		t.Fatal(err)
	}
}

func rfOpen(t *testing.T, driver, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func rfEngines(t *testing.T, region string) []rfDB {
	dir := t.TempDir()
	lite := rfDB{dialect: catalog.SQLite, schema: "main", okSchema: "main",
		full: rfOpen(t, "sqlite3", filepath.Join(dir, "full.db")), permitted: rfOpen(t, "sqlite3", filepath.Join(dir, "ok.db"))}
	out := []rfDB{lite}
	pgFull, pgOK := dbtest.Postgres(t), dbtest.Postgres(t)
	out = append(out, rfDB{dialect: catalog.Postgres, schema: "public", okSchema: "public", full: rfOpen(t, "pgx", pgFull), permitted: rfOpen(t, "pgx", pgOK)})
	myFull, myOK := dbtest.MySQL(t), dbtest.MySQL(t)
	cfg, _ := mysql.ParseDSN(myFull)
	okCfg, _ := mysql.ParseDSN(myOK)
	out = append(out, rfDB{dialect: catalog.MySQL, schema: cfg.DBName, okSchema: okCfg.DBName, full: rfOpen(t, "mysql", myFull), permitted: rfOpen(t, "mysql", myOK)})
	for _, e := range out {
		rfLoad(t, e.full, e.dialect, region, true)
		rfLoad(t, e.permitted, e.dialect, region, false)
	}
	return out
}

func rfRows(db *sql.DB, query string) ([]string, error) {
	rows, err := db.Query(query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		var b strings.Builder
		for _, v := range vals {
			if bs, ok := v.([]byte); ok {
				v = string(bs)
			}
			fmt.Fprintf(&b, "%v|", v)
		}
		out = append(out, b.String())
	}
	slices.Sort(out)
	return out, rows.Err()
}

// rfCatalog marks v_orders as a view, as introspection does.
func rfCatalog(schema string) *catalog.Catalog {
	cols := func(names ...string) []catalog.Column {
		var c []catalog.Column
		for _, n := range names {
			c = append(c, catalog.Column{Name: n})
		}
		return c
	}
	return &catalog.Catalog{Tables: []catalog.Table{
		{Schema: schema, Name: "orders", Kind: catalog.KindTable, Columns: cols("id", "customer_id", "region", "amount")},
		{Schema: schema, Name: "customers", Kind: catalog.KindTable, Columns: cols("id", "name", "region")},
		{Schema: schema, Name: "v_orders", Kind: catalog.KindView, Columns: cols("id", "customer_id", "region", "amount")},
	}}
}

// rfQueries try to reach other regions' rows. {s} is the schema name.
var rfQueries = []struct {
	name     string
	sql      string
	dialects []catalog.Dialect // nil: all
	refused  bool              // must be refused on every engine
	runs     bool              // must be accepted and run on every engine
}{
	{name: "plain", sql: "SELECT * FROM orders", runs: true},
	{name: "alias", sql: "SELECT o.id, o.amount FROM orders o WHERE o.amount > 0", runs: true},
	{name: "alias with AS", sql: "SELECT x.* FROM orders AS x"},
	{name: "alias named like the other table", sql: "SELECT customers.id FROM orders AS customers"},
	{name: "self-join", sql: "SELECT a.id, b.id FROM orders a JOIN orders b ON a.customer_id = b.customer_id", runs: true},
	{name: "comma join", sql: "SELECT a.id, b.id FROM orders a, orders b"},
	{name: "left join", sql: "SELECT c.name, o.amount FROM customers c LEFT JOIN orders o ON o.customer_id = c.id"},
	{name: "natural join", sql: "SELECT * FROM orders NATURAL JOIN customers"},
	{name: "CTE", sql: "WITH x AS (SELECT * FROM orders) SELECT * FROM x", runs: true},
	{name: "nested CTEs", sql: "WITH x AS (SELECT * FROM orders), y AS (SELECT id FROM x) SELECT * FROM y"},
	{name: "CTE named like the table", sql: "WITH orders AS (SELECT * FROM orders) SELECT * FROM orders", refused: true},
	{name: "CTE named like the table, case variant", sql: "WITH Orders AS (SELECT 1 AS id) SELECT * FROM orders", refused: true},
	{name: "recursive CTE joined", sql: "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT n, id FROM r, orders"},
	{name: "UNION", sql: "SELECT id FROM orders UNION ALL SELECT id FROM customers", runs: true},
	{name: "UNION of the table with itself", sql: "SELECT id, region FROM orders UNION SELECT id, region FROM orders"},
	{name: "EXCEPT", sql: "SELECT id FROM orders EXCEPT SELECT id FROM orders WHERE amount > 100000", dialects: []catalog.Dialect{catalog.SQLite, catalog.Postgres}},
	{name: "subquery in SELECT", sql: "SELECT (SELECT count(*) FROM orders) AS n", runs: true},
	{name: "subquery in SELECT, max", sql: "SELECT (SELECT max(amount) FROM orders) AS m"},
	{name: "subquery in WHERE", sql: "SELECT name FROM customers WHERE id IN (SELECT customer_id FROM orders)", runs: true},
	{name: "subquery in WHERE over the other table", sql: "SELECT count(*) FROM orders WHERE customer_id IN (SELECT id FROM customers)"},
	{name: "correlated subquery", sql: "SELECT c.name, (SELECT sum(o.amount) FROM orders o WHERE o.customer_id = c.id) AS total FROM customers c", runs: true},
	{name: "EXISTS", sql: "SELECT count(*) FROM customers c WHERE EXISTS (SELECT 1 FROM orders WHERE orders.customer_id = c.id)", runs: true},
	{name: "NOT EXISTS", sql: "SELECT count(*) AS n FROM orders o WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = o.customer_id)"},
	{name: "subquery in FROM", sql: "SELECT t.amount FROM (SELECT * FROM orders) t"},
	{name: "subquery in JOIN", sql: "SELECT c.id, o.customer_id FROM customers c JOIN (SELECT customer_id FROM orders) o ON o.customer_id = c.id"},
	{name: "subquery in ORDER BY", sql: "SELECT id FROM customers ORDER BY (SELECT max(amount) FROM orders)"},
	{name: "subquery in HAVING", sql: "SELECT region, count(*) FROM customers GROUP BY region HAVING count(*) <= (SELECT count(*) FROM orders)"},
	{name: "window function", sql: "SELECT id, sum(amount) OVER () AS total, count(*) OVER () AS n FROM orders", runs: true},
	{name: "window partition", sql: "SELECT id, row_number() OVER (PARTITION BY customer_id ORDER BY id) AS rn FROM orders"},
	{name: "group by region", sql: "SELECT region, count(*), sum(amount) FROM orders GROUP BY region", runs: true},
	{name: "LATERAL", sql: "SELECT c.id, x.id FROM customers c, LATERAL (SELECT id FROM orders o WHERE o.customer_id = c.id) x", dialects: []catalog.Dialect{catalog.Postgres, catalog.MySQL}},
	{name: "LATERAL join", sql: "SELECT c.id, x.n FROM customers c CROSS JOIN LATERAL (SELECT count(*) AS n FROM orders o WHERE o.customer_id = c.id) x", dialects: []catalog.Dialect{catalog.Postgres}},
	{name: "upper-case name", sql: "SELECT * FROM ORDERS"},
	{name: "mixed-case name", sql: "SELECT id FROM Orders"},
	{name: "double-quoted name", sql: `SELECT * FROM "orders"`, dialects: []catalog.Dialect{catalog.SQLite, catalog.Postgres}},
	{name: "backquoted name", sql: "SELECT * FROM `orders`", dialects: []catalog.Dialect{catalog.SQLite, catalog.MySQL}},
	{name: "bracketed name", sql: "SELECT * FROM [orders]", dialects: []catalog.Dialect{catalog.SQLite}},
	{name: "schema-qualified", sql: "SELECT * FROM {s}.orders", runs: true},
	{name: "schema-qualified with alias", sql: "SELECT o.id FROM {s}.orders o JOIN {s}.customers c ON c.id = o.customer_id"},
	{name: "comment before the name", sql: "SELECT * FROM /* x */ orders"},
	{name: "parenthesised join", sql: "SELECT o.id FROM (orders o JOIN customers c ON c.id = o.customer_id)", dialects: []catalog.Dialect{catalog.Postgres, catalog.MySQL}},
	{name: "TABLE", sql: "TABLE orders", dialects: []catalog.Dialect{catalog.Postgres}},
	{name: "ONLY", sql: "SELECT * FROM ONLY orders", dialects: []catalog.Dialect{catalog.Postgres}},
	{name: "whole-row reference", sql: "SELECT row_to_json(o)::text FROM orders o", dialects: []catalog.Dialect{catalog.Postgres}},
	{name: "column alias list", sql: "SELECT a, d FROM orders AS o(a, b, c, d)", dialects: []catalog.Dialect{catalog.Postgres}},
	{name: "view", sql: "SELECT * FROM v_orders", refused: true},
	{name: "view in a subquery", sql: "SELECT count(*) FROM customers WHERE id IN (SELECT customer_id FROM v_orders)", refused: true},
}

// TestIntegrationRowFilterBypasses runs each query, rewritten with the
// caller's row filters, against real SQLite, PostgreSQL and MariaDB
// holding every row, and the unrewritten query against the same engine
// holding only the permitted rows: the answers must match, or the query
// must be refused (or fail on both). Hostile claim values must match
// nothing, and never break out of their literal.
func TestIntegrationRowFilterBypasses(t *testing.T) {
	for _, region := range []string{"EMEA", "x' OR 'a'='a", `\' OR 1=1 -- `, `EMEA\`} {
		t.Run(region, func(t *testing.T) {
			engines := rfEngines(t, region)
			bind := func(claim string) (string, bool) { return region, claim == "region" }
			for _, e := range engines {
				for _, q := range rfQueries {
					if q.dialects != nil && !slices.Contains(q.dialects, e.dialect) {
						continue
					}
					t.Run(string(e.dialect)+"/"+q.name, func(t *testing.T) {
						text := strings.ReplaceAll(q.sql, "{s}", e.schema)
						okText := strings.ReplaceAll(q.sql, "{s}", e.okSchema)
						opts := Options{Dialect: e.dialect, MaxRows: 1000, Catalog: rfCatalog(e.schema), RowFilters: rfFilters, Bind: bind}
						v := Check(text, opts)
						if q.refused {
							if v.Accepted {
								t.Fatalf("accepted, want refused:\n%s", v.SQL)
							}
							return
						}
						if !v.Accepted {
							if q.runs {
								t.Errorf("refused (%s): %s", v.Rule, v.Message)
							}
							return
						}
						got, err := rfRows(e.full, v.SQL)
						if err != nil {
							if q.runs {
								t.Errorf("rewritten query fails: %v\n%s", err, v.SQL)
							}
							return
						}
						plain := Check(okText, Options{Dialect: e.dialect, MaxRows: 1000})
						want, err := rfRows(e.permitted, plain.SQL)
						if err != nil {
							t.Fatalf("rewritten query runs but the reference does not (%v):\n%s", err, v.SQL)
						}
						if !slices.Equal(got, want) {
							t.Errorf("rows differ from the permitted data\n got %v\nwant %v\nSQL: %s", got, want, v.SQL)
						}
						if !strings.Contains(v.SQL, "WHERE") || len(v.Filtered) == 0 {
							t.Errorf("no filter applied: %s", v.SQL)
						}
					})
				}
			}
		})
	}
}
