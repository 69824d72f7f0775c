package sample

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/google/go-cmp/cmp"
)

var testToday = time.Date(2025, 6, 15, 0, 0, 0, 0, time.UTC)

func TestGenerateIsDeterministic(t *testing.T) {
	a := Generate(Options{Seed: 1, Today: testToday})
	b := Generate(Options{Seed: 1, Today: testToday.Add(13 * time.Hour)}) // same date, later time
	if diff := cmp.Diff(a, b); diff != "" {
		t.Fatalf("two generations with the same options differ (-first +second):\n%s", diff)
	}
	c := Generate(Options{Seed: 2, Today: testToday})
	if cmp.Equal(a.Customers, c.Customers) || cmp.Equal(a.Orders, c.Orders) {
		t.Fatal("seed 2 generated the same customers or orders as seed 1")
	}
}

func TestGenerateShape(t *testing.T) {
	d := Generate(Options{Seed: 1, Today: testToday})
	counts := d.RowCounts()
	tests := []struct {
		name     string
		table    string
		min, max int
	}{
		{"customers", "customers", 500, 500},
		{"products", "products", 100, 100},
		{"orders", "orders", 5000, 6500},
		{"employees", "employees", 300, 300},
		{"members", "project_members", 100, 400},
		{"timesheets", "timesheets", 100, 5000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if n := counts[tc.table]; n < tc.min || n > tc.max {
				t.Errorf("%s has %d rows, want %d..%d", tc.table, n, tc.min, tc.max)
			}
		})
	}
	first, last := d.Orders[0].OrderDate, d.Orders[len(d.Orders)-1].OrderDate
	if want := time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC); first.Before(want) {
		t.Errorf("first order on %s, want on or after %s", first, want)
	}
	if !last.Before(testToday) {
		t.Errorf("last order on %s, want before today %s", last, testToday)
	}
	items := map[int64]Cents{}
	for _, it := range d.OrderItems {
		items[it.OrderID] += Cents(it.Quantity) * it.UnitPrice
	}
	for _, o := range d.Orders {
		if items[o.ID] != o.Total {
			t.Fatalf("order %d total %s, items sum to %s", o.ID, o.Total, items[o.ID])
		}
	}
	var before1990, nullCities int
	for _, e := range d.Employees {
		if e.HireDate.Year() < 1990 {
			before1990++
		}
		if e.ManagerID != nil && *e.ManagerID >= e.ID {
			t.Errorf("employee %d reports to later employee %d", e.ID, *e.ManagerID)
		}
	}
	for _, c := range d.Customers {
		if c.City == nil {
			nullCities++
		}
	}
	if before1990 < 5 || nullCities == 0 {
		t.Errorf("got %d employees hired before 1990 and %d customers without a city; want some of each", before1990, nullCities)
	}
}

func TestCentsString(t *testing.T) {
	tests := []struct {
		name string
		in   Cents
		want string
	}{
		{"zero", 0, "0.00"},
		{"cents", 5, "0.05"},
		{"whole", 12300, "123.00"},
		{"mixed", 12345, "123.45"},
		{"negative", -105, "-1.05"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.in.String(); got != tc.want {
				t.Errorf("Cents(%d).String() = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestLoadSQLite(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open("sqlite3", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	opts := Options{Seed: 1, Today: testToday}
	if err := Load(ctx, db, catalog.SQLite, opts); err != nil {
		t.Fatalf("Load: %v", err)
	}
	want := Generate(opts)
	for table, n := range want.RowCounts() {
		var got int
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM "+table).Scan(&got); err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
		if got != n {
			t.Errorf("%s has %d rows, want %d", table, got, n)
		}
	}
	var name, total string
	if err := db.QueryRowContext(ctx, "SELECT name FROM customers WHERE customer_id = 3").Scan(&name); err != nil || name != "北京贸易" {
		t.Errorf("customer 3 = %q, %v; want 北京贸易", name, err)
	}
	if err := db.QueryRowContext(ctx, "SELECT printf('%.2f', sum(total)) FROM orders").Scan(&total); err != nil {
		t.Fatal(err)
	}
	var sum Cents
	for _, o := range want.Orders {
		sum += o.Total
	}
	if total != sum.String() {
		t.Errorf("sum(total) = %s, want %s", total, sum)
	}
	err = Load(ctx, db, catalog.SQLite, opts)
	if err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("second Load: got %v, want an error saying the table already exists", err)
	}
}

func TestEnsureSQLite(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sub", "sample.db")
	opts := Options{Seed: 1, Today: testToday}
	for range 2 { // the second call finds the file and keeps it
		if err := EnsureSQLite(ctx, path, opts); err != nil {
			t.Fatalf("EnsureSQLite: %v", err)
		}
	}
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM employees").Scan(&n); err != nil || n != numEmployees {
		t.Errorf("employees = %d, %v; want %d", n, err, numEmployees)
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "*.tmp-*"))
	if len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}
