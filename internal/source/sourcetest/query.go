package sourcetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/askdb/askdb/internal/sample"
	"github.com/askdb/askdb/internal/source"
)

var generous = source.Limits{MaxRows: 100_000, MaxBytes: 64 << 20, Timeout: 30 * time.Second}

func query(t *testing.T, src source.Source, sql string) *source.Result {
	t.Helper()
	res, err := src.Query(context.Background(), sql, generous)
	if err != nil {
		t.Fatalf("Query(%q): %v", sql, err)
	}
	return res
}

// scalar runs sql and returns its single value in canonical text form.
func scalar(t *testing.T, src source.Source, sql string) (string, bool) {
	t.Helper()
	res := query(t, src, sql)
	if len(res.Rows) != 1 || len(res.Rows[0]) != 1 {
		t.Fatalf("Query(%q) returned %d rows, want one row with one value", sql, len(res.Rows))
	}
	return canonical(t, res.Rows[0][0])
}

// canonical renders a result value as text so that engines compare by
// value: numbers in their shortest exact decimal form (trailing fractional
// zeros dropped), booleans as true/false. A float64 passes only when its
// shortest form is the exact decimal, so a float artefact such as
// 12345.670000000002 fails. The second result is false for NULL.
func canonical(t *testing.T, v any) (string, bool) {
	t.Helper()
	switch x := v.(type) {
	case nil:
		return "", false
	case string:
		return x, true
	case json.Number:
		return trimDecimal(string(x)), true
	case int64:
		return strconv.FormatInt(x, 10), true
	case float64:
		return trimDecimal(strconv.FormatFloat(x, 'f', -1, 64)), true
	case bool:
		return strconv.FormatBool(x), true
	}
	t.Fatalf("result value %#v has type %T, not one Result allows", v, v)
	return "", false
}

// expected renders a generator value the way canonical renders results.
func expected(v any) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "", false
	case sample.Cents:
		return trimDecimal(x.String()), true
	case time.Time:
		return x.Format(time.DateOnly), true
	case int64:
		return strconv.FormatInt(x, 10), true
	case bool:
		return strconv.FormatBool(x), true
	}
	return fmt.Sprint(v), true
}

func trimDecimal(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

func testValues(t *testing.T, src source.Source, want *sample.Data) {
	t.Run("RowCounts", func(t *testing.T) {
		for _, table := range sample.Tables() {
			got, _ := scalar(t, src, "SELECT count(*) FROM "+table)
			if n := strconv.Itoa(want.RowCounts()[table]); got != n {
				t.Errorf("count(*) of %s = %s, want %s", table, got, n)
			}
		}
	})
	t.Run("ExactDecimalSum", func(t *testing.T) {
		var sum sample.Cents
		for _, o := range want.Orders {
			sum += o.Total
		}
		got, _ := scalar(t, src, "SELECT sum(total) FROM orders")
		if w, _ := expected(sum); got != w {
			t.Errorf("sum(total) = %s, want exactly %s", got, w)
		}
	})
	t.Run("Customers", func(t *testing.T) { compareTable(t, src, want, "customers", "customer_id") })
	t.Run("Products", func(t *testing.T) { compareTable(t, src, want, "products", "product_id") })
	t.Run("Employees", func(t *testing.T) { compareTable(t, src, want, "employees", "employee_id") })
}

// compareTable reads a whole table ordered by its key and compares every
// value with the generator's: unicode names, NULLs, dates as YYYY-MM-DD,
// exact decimals.
func compareTable(t *testing.T, src source.Source, want *sample.Data, table, key string) {
	cols, rows := want.Table(table)
	res := query(t, src, fmt.Sprintf("SELECT %s FROM %s ORDER BY %s", strings.Join(cols, ", "), table, key))
	if len(res.Rows) != len(rows) {
		t.Fatalf("%s returned %d rows, want %d", table, len(res.Rows), len(rows))
	}
	var diffs []string
	for i, row := range rows {
		for j, v := range row {
			w, wok := expected(v)
			g, gok := canonical(t, res.Rows[i][j])
			if b, isBool := v.(bool); isBool && g == map[bool]string{true: "1", false: "0"}[b] {
				g = w // engines without a boolean wire type (MySQL) return 1 and 0
			}
			if w != g || wok != gok {
				diffs = append(diffs, fmt.Sprintf("row %d %s: got %#v, want %q (null=%v)", i+1, cols[j], res.Rows[i][j], w, !wok))
			}
		}
	}
	if len(diffs) > 0 {
		t.Errorf("%s differs from the generator in %d values; first ones:\n%s", table, len(diffs), strings.Join(diffs[:min(len(diffs), 10)], "\n"))
	}
}

func testLimits(t *testing.T, src source.Source) {
	t.Run("MaxRows", func(t *testing.T) {
		res, err := src.Query(context.Background(), "SELECT order_id FROM orders ORDER BY order_id", source.Limits{MaxRows: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Rows) != 10 || !res.Truncated || res.TruncatedBy != source.TruncatedByRows {
			t.Errorf("got %d rows, truncated %v by %q; want 10 rows truncated by %q",
				len(res.Rows), res.Truncated, res.TruncatedBy, source.TruncatedByRows)
		}
		if g, _ := canonical(t, res.Rows[9][0]); g != "10" {
			t.Errorf("10th order_id = %s, want 10", g)
		}
	})
	t.Run("MaxBytes", func(t *testing.T) {
		res, err := src.Query(context.Background(), "SELECT name, email FROM customers ORDER BY customer_id", source.Limits{MaxBytes: 2000})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Rows) == 0 || len(res.Rows) >= 100 || !res.Truncated || res.TruncatedBy != source.TruncatedByBytes {
			t.Errorf("got %d rows, truncated %v by %q; want a few rows truncated by %q",
				len(res.Rows), res.Truncated, res.TruncatedBy, source.TruncatedByBytes)
		}
	})
	t.Run("ValueTooLarge", func(t *testing.T) {
		// One value over max_bytes is refused, not returned as an empty
		// truncated result; the limit is named, and the source still works.
		q := "SELECT '" + strings.Repeat("x", 5000) + "' AS v"
		_, err := src.Query(context.Background(), q, source.Limits{MaxBytes: 1000})
		var le *source.LimitError
		if !errors.Is(err, source.ErrValueTooLarge) || !errors.As(err, &le) || le.Limit != 1000 {
			t.Errorf("a 5000-byte value under max_bytes 1000: got %v, want a *source.LimitError wrapping ErrValueTooLarge", err)
		}
		if got, _ := scalar(t, src, q); len(got) != 5000 {
			t.Errorf("the same value under a generous max_bytes: got %d bytes, want 5000", len(got))
		}
	})
	t.Run("NotTruncated", func(t *testing.T) {
		res := query(t, src, "SELECT department_id, name FROM departments ORDER BY department_id")
		if res.Truncated || len(res.Rows) != 9 || len(res.Columns) != 2 || res.Columns[1].Name != "name" {
			t.Errorf("got %d rows, columns %+v, truncated %v; want 9 rows of (department_id, name)", len(res.Rows), res.Columns, res.Truncated)
		}
	})
}

func testTimeout(t *testing.T, src source.Source, h Harness) {
	_, err := src.Query(context.Background(), h.SlowQuery, source.Limits{Timeout: 300 * time.Millisecond})
	if !errors.Is(err, source.ErrTimeout) {
		t.Fatalf("slow query with a 300ms limit: got %v, want an error wrapping source.ErrTimeout", err)
	}
	if !strings.Contains(err.Error(), src.Name()) {
		t.Errorf("timeout error %q does not name the source %q", err, src.Name())
	}
	// The source must still work after an interrupted query.
	if got, _ := scalar(t, src, "SELECT count(*) FROM departments"); got != "9" {
		t.Errorf("count after a timeout = %s, want 9", got)
	}
}

func testCancel(t *testing.T, src source.Source, h Harness) {
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	_, err := src.Query(ctx, h.SlowQuery, source.Limits{Timeout: time.Minute})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled slow query: got %v, want an error wrapping context.Canceled", err)
	}
}

// Statement is a named SQL statement for RefusesWrites.
type Statement struct{ Name, SQL string }

// RefusesWrites runs each statement through src.Query, bypassing the SQL
// guard, and requires an error wrapping source.ErrReadOnly: the source's
// own read-only layer must stop it.
func RefusesWrites(t *testing.T, src source.Source, stmts []Statement) {
	t.Helper()
	for _, st := range stmts {
		t.Run(st.Name, func(t *testing.T) {
			_, err := src.Query(context.Background(), st.SQL, source.Limits{})
			if !errors.Is(err, source.ErrReadOnly) {
				t.Errorf("Query(%q): got %v, want an error wrapping source.ErrReadOnly", st.SQL, err)
			}
		})
	}
}

func testReadOnly(t *testing.T, src source.Source, h Harness, want *sample.Data) {
	RefusesWrites(t, src, []Statement{
		{"update", "UPDATE customers SET name = 'changed' WHERE customer_id = 1"},
		{"delete", "DELETE FROM order_items WHERE order_id = 1"},
		{"insert", "INSERT INTO departments (department_id, name, location, budget) VALUES (99, 'Intruders', 'Nowhere', 1.00)"},
		// DDL matters separately: MariaDB commits implicitly before DDL,
		// which ends a READ ONLY transaction unless the session is read-only too.
		{"create table", "CREATE TABLE intruders (id INTEGER)"},
		{"drop table", "DROP TABLE timesheets"},
		{"alter table", "ALTER TABLE customers ADD COLUMN intruder INTEGER"},
	})
	admin := h.Admin(t)
	ctx := context.Background()
	var name string
	var items, depts, timesheets int
	if err := admin.QueryRowContext(ctx, "SELECT name FROM customers WHERE customer_id = 1").Scan(&name); err != nil {
		t.Fatal(err)
	}
	if err := admin.QueryRowContext(ctx, "SELECT count(*) FROM order_items WHERE order_id = 1").Scan(&items); err != nil {
		t.Fatal(err)
	}
	if err := admin.QueryRowContext(ctx, "SELECT count(*) FROM departments").Scan(&depts); err != nil {
		t.Fatal(err)
	}
	if err := admin.QueryRowContext(ctx, "SELECT count(*) FROM timesheets").Scan(&timesheets); err != nil {
		t.Fatalf("timesheets after a refused DROP TABLE: %v", err)
	}
	if err := admin.QueryRowContext(ctx, "SELECT count(*) FROM intruders").Scan(new(int)); err == nil {
		t.Error("table intruders exists after a refused CREATE TABLE")
	}
	wantItems := 0
	for _, it := range want.OrderItems {
		if it.OrderID == 1 {
			wantItems++
		}
	}
	got := []any{name, items, depts, timesheets}
	if diff := cmp.Diff([]any{want.Customers[0].Name, wantItems, len(want.Departments), len(want.Timesheets)}, got); diff != "" {
		t.Errorf("data changed after refused writes (-want +got):\n%s", diff)
	}
}

func testExplain(t *testing.T, src source.Source) {
	plan, err := src.Explain(context.Background(), "SELECT count(*) FROM orders WHERE status = 'shipped'")
	if err != nil || strings.TrimSpace(plan) == "" {
		t.Errorf("Explain of a valid query = %q, %v; want a plan", plan, err)
	}
	_, err = src.Explain(context.Background(), "SELECT no_such_column_xyz FROM orders")
	var ee *source.EngineError
	if !errors.As(err, &ee) || !strings.Contains(ee.Message, "no_such_column_xyz") {
		t.Errorf("Explain with a wrong column: got %v, want *source.EngineError naming no_such_column_xyz", err)
	}
}

func testEmpty(t *testing.T, src source.Source) {
	for _, q := range []string{"", "  \n\t "} {
		if _, err := src.Query(context.Background(), q, source.Limits{}); !errors.Is(err, source.ErrEmptyQuery) {
			t.Errorf("Query(%q): got %v, want source.ErrEmptyQuery", q, err)
		}
	}
}
