package enrich_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"path/filepath"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/dbtest"
	"github.com/askdb/askdb/internal/enrich"
	"github.com/askdb/askdb/internal/sample"
	"github.com/askdb/askdb/internal/schema"
	"github.com/askdb/askdb/internal/source"
	_ "github.com/askdb/askdb/internal/source/mysql"
	_ "github.com/askdb/askdb/internal/source/postgres"
	"github.com/askdb/askdb/internal/source/sqlite"
	"github.com/askdb/askdb/internal/store"
)

var today = time.Date(2025, 6, 15, 0, 0, 0, 0, time.UTC)

func openSample(t *testing.T) *sqlite.Source { return openSampleTB(t) }

func openSampleTB(t testing.TB) *sqlite.Source {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sample.db")
	if err := sample.EnsureSQLite(ctx, path, sample.Options{Seed: 1, Today: today}); err != nil {
		t.Fatal(err)
	}
	src, err := sqlite.Open(ctx, "sample", path, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Close() })
	return src
}

// scalar runs a query the test trusts to compare statistics with.
func scalar(t *testing.T, src source.Source, query string) any {
	t.Helper()
	res, err := src.Query(context.Background(), query, source.Limits{MaxRows: 1})
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return res.Rows[0][0]
}

func TestEnrichSample(t *testing.T) {
	checkSample(t, openSample(t))
}

func TestIntegrationPostgres(t *testing.T) {
	dsn := dbtest.Postgres(t)
	loadSample(t, "pgx", dsn, catalog.Postgres)
	checkSample(t, openKind(t, config.Source{Kind: "postgres", DSN: dsn}))
}

func TestIntegrationMySQL(t *testing.T) {
	dsn := dbtest.MySQL(t)
	loadSample(t, "mysql", dsn, catalog.MySQL)
	checkSample(t, openKind(t, config.Source{Kind: "mysql", DSN: dsn}))
}

func loadSample(t *testing.T, driver, dsn string, d catalog.Dialect) {
	t.Helper()
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := sample.Load(context.Background(), db, d, sample.Options{Seed: 1, Today: today}); err != nil {
		t.Fatalf("load sample: %v", err)
	}
}

func openKind(t *testing.T, cfg config.Source) source.Source {
	t.Helper()
	src, err := source.Open(context.Background(), "sample", cfg, source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Close() })
	return src
}

// checkSample enriches the sample database in src and compares the
// statistics with direct queries.
func checkSample(t *testing.T, src source.Source) {
	t.Helper()
	snap, err := enrich.Enrich(context.Background(), src, enrich.Options{SampleRows: 1_000_000})
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Stats.Tables) != 9 || len(snap.Catalog.Tables) != 9 {
		t.Fatalf("snapshot has %d table stats and %d tables, want 9", len(snap.Stats.Tables), len(snap.Catalog.Tables))
	}
	for _, ts := range snap.Stats.Tables {
		if ts.Error != "" {
			t.Errorf("table %s: %s", ts.Table, ts.Error)
		}
	}
	orders, ok := snap.Stats.Table("orders")
	if !ok {
		t.Fatal("no statistics for orders")
	}
	if want := count(t, src, "SELECT COUNT(*) FROM orders"); orders.RowCount != want || !orders.RowCountExact || orders.Sampled {
		t.Errorf("orders row count = %d (exact %v, sampled %v), want %v exact", orders.RowCount, orders.RowCountExact, orders.Sampled, want)
	}
	status, _ := orders.Column("status")
	got := status.Values()
	sort.Strings(got)
	if diff := cmp.Diff([]string{"cancelled", "delivered", "pending", "returned", "shipped"}, got); diff != "" {
		t.Errorf("orders.status values (-want +got):\n%s", diff)
	}
	var sum int64
	for _, v := range status.Top {
		sum += v.Count
	}
	if sum != orders.RowCount {
		t.Errorf("orders.status counts sum to %d, want the row count %d", sum, orders.RowCount)
	}
	date, _ := orders.Column("order_date")
	if want := scalar(t, src, "SELECT MIN(order_date) FROM orders"); date.Min != want {
		t.Errorf("orders.order_date min = %q, want %v", date.Min, want)
	}
	if want := scalar(t, src, "SELECT MAX(order_date) FROM orders"); date.Max != want {
		t.Errorf("orders.order_date max = %q, want %v", date.Max, want)
	}
	if date.Min == "" || date.Max > "2025-06-15" {
		t.Errorf("orders.order_date range [%q, %q] is empty or ends after the sample's today", date.Min, date.Max)
	}

	customers, _ := snap.Stats.Table("customers")
	country, _ := customers.Column("country")
	if !slices.Contains(country.Values(), "Germany") {
		t.Errorf("customers.country top values %v miss Germany", country.Values())
	}
	if len(country.Top) > enrich.DefaultTopK {
		t.Errorf("customers.country has %d top values, want at most %d", len(country.Top), enrich.DefaultTopK)
	}
	for i := 1; i < len(country.Top); i++ {
		if country.Top[i].Count > country.Top[i-1].Count {
			t.Errorf("top values not in descending frequency: %v", country.Top)
		}
	}
	email, _ := customers.Column("email")
	if len(email.Top) != 0 || email.Distinct != customers.RowCount {
		t.Errorf("customers.email (unique) got top values %v, distinct %d; want none and %d", email.Top, email.Distinct, customers.RowCount)
	}
	city, _ := customers.Column("city")
	withCity := count(t, src, "SELECT COUNT(city) FROM customers")
	wantNull := math.Round((1-float64(withCity)/float64(customers.RowCount))*10000) / 10000
	if city.NullRate <= 0 || city.NullRate != wantNull {
		t.Errorf("customers.city null rate = %v, want %v (> 0)", city.NullRate, wantNull)
	}

	// The catalog carries the values for prompts and retrieval.
	ct, _ := snap.Catalog.Table("orders")
	sc, _ := ct.Column("status")
	if len(sc.Samples) != 5 || ct.RowCount != orders.RowCount {
		t.Errorf("catalog orders.status samples %v, row count %d", sc.Samples, ct.RowCount)
	}
}

func count(t *testing.T, src source.Source, query string) int64 {
	t.Helper()
	switch v := scalar(t, src, query).(type) {
	case int64:
		return v
	case json.Number:
		n, err := v.Int64()
		if err != nil {
			t.Fatal(err)
		}
		return n
	default:
		t.Fatalf("%s returned %v (%T)", query, v, v)
	}
	return 0
}

func TestEnrichIsBounded(t *testing.T) {
	src := openSample(t)
	opts := enrich.Options{SampleRows: 20, CountLimit: 50, TopK: 2, MaxDistinct: 5}
	snap, err := enrich.Enrich(context.Background(), src, opts)
	if err != nil {
		t.Fatal(err)
	}
	orders, _ := snap.Stats.Table("orders")
	if orders.RowCountExact || orders.RowCount < 50 || !orders.Sampled || orders.SampleRows != 20 {
		t.Errorf("orders stats = count %d exact %v sampled %v sample %d; want a lower bound >= 50 from 20 sampled rows",
			orders.RowCount, orders.RowCountExact, orders.Sampled, orders.SampleRows)
	}
	status, _ := orders.Column("status")
	var sum int64
	for _, v := range status.Top {
		sum += v.Count
	}
	if len(status.Top) > 2 || sum > 20 {
		t.Errorf("orders.status top %v: want at most 2 values counted within the 20-row sample", status.Top)
	}
	customers, _ := snap.Stats.Table("customers")
	if country, _ := customers.Column("country"); country.Distinct > 5 && len(country.Top) > 0 {
		t.Errorf("customers.country has %d distinct values (> MaxDistinct 5) but lists %v", country.Distinct, country.Top)
	}
}

func TestSaveLoad(t *testing.T) {
	ctx := context.Background()
	src := openSample(t)
	st := openStore(t)
	if _, err := enrich.Load(ctx, st, "sample"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Load before enrich error = %v, want ErrNotFound", err)
	}
	snap, err := enrich.Enrich(ctx, src, enrich.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := enrich.Save(ctx, st, snap); err != nil {
		t.Fatal(err)
	}
	got, err := enrich.Load(ctx, st, "sample")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(snap, got); diff != "" {
		t.Errorf("Load after Save (-want +got):\n%s", diff)
	}
}

// TestSnapshotsFeedTheValuesIndex checks that a stored snapshot gives the
// schema cache every distinct city (not only the frequent ones) and the
// ranges, which the prompt matches questions against.
func TestSnapshotsFeedTheValuesIndex(t *testing.T) {
	ctx := context.Background()
	src := openSample(t)
	st := openStore(t)
	snap, err := enrich.Enrich(ctx, src, enrich.Options{SampleRows: 1_000_000})
	if err != nil {
		t.Fatal(err)
	}
	if err := enrich.Save(ctx, st, snap); err != nil {
		t.Fatal(err)
	}
	got, err := enrich.Snapshots(st)(ctx, "sample")
	if err != nil || got == nil {
		t.Fatalf("Snapshots = %v, %v", got, err)
	}
	cities := got.Values[schema.ColumnKey{Table: "customers", Column: "city"}]
	want := count(t, src, "SELECT COUNT(DISTINCT city) FROM customers WHERE city IS NOT NULL AND city <> ''")
	if int64(len(cities)) != want || want <= enrich.DefaultTopK {
		t.Errorf("%d distinct cities in the snapshot's values, want all %d (more than the %d frequent ones)", len(cities), want, enrich.DefaultTopK)
	}
	r, ok := got.Ranges[schema.ColumnKey{Table: "orders", Column: "total"}]
	if lo := fmt.Sprint(scalar(t, src, "SELECT MIN(total) FROM orders")); !ok || r.Min != lo {
		t.Errorf("orders.total range = %+v, %v; want min %s", r, ok, lo)
	}
}

// openStore opens an empty store in the test's folder.
func openStore(t *testing.T) store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), config.Store{Path: filepath.Join(t.TempDir(), "askdb.db")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}
