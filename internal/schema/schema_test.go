package schema_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/knowledge"
	"github.com/askdb/askdb/internal/retrieve"
	"github.com/askdb/askdb/internal/schema"
	"github.com/askdb/askdb/internal/source"
	_ "github.com/askdb/askdb/internal/source/sqlite"
)

// shopDB writes a small SQLite database: customers with a low-cardinality
// country column and a high-cardinality email column, and a secrets table.
func shopDB(t *testing.T, extraTables int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "shop.db")
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	stmts := []string{
		"CREATE TABLE customers (id INTEGER PRIMARY KEY, country TEXT, email TEXT)",
		"CREATE TABLE secrets (id INTEGER PRIMARY KEY, pin TEXT)",
		"INSERT INTO secrets VALUES (1, 'hunter2')",
	}
	for i := range 40 {
		country := []string{"Germany", "France", "France", "Spain"}[i%4]
		stmts = append(stmts, fmt.Sprintf("INSERT INTO customers VALUES (%d, '%s', 'c%d@example.com')", i+1, country, i))
	}
	for i := range extraTables {
		stmts = append(stmts, fmt.Sprintf("CREATE TABLE extra%d (id INTEGER PRIMARY KEY, label TEXT)", i))
	}
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	return path
}

// countingSet counts introspections and queries of the real sources.
type countingSet struct {
	*source.Set
	introspects, queries atomic.Int32
}

func (c *countingSet) Get(ctx context.Context, name string) (source.Source, error) {
	src, err := c.Set.Get(ctx, name)
	if err != nil {
		return nil, err
	}
	return &countingSource{Source: src, set: c}, nil
}

type countingSource struct {
	source.Source
	set *countingSet
}

func (s *countingSource) Introspect(ctx context.Context) (*catalog.Catalog, error) {
	s.set.introspects.Add(1)
	return s.Source.Introspect(ctx)
}

func (s *countingSource) Query(ctx context.Context, q string, lim source.Limits) (*source.Result, error) {
	s.set.queries.Add(1)
	return s.Source.Query(ctx, q, lim)
}

func newSet(t *testing.T, src config.Source) *countingSet {
	t.Helper()
	set := source.NewSet(&config.Config{Sources: map[string]config.Source{"shop": src}}, nil)
	t.Cleanup(func() { set.Close() })
	return &countingSet{Set: set}
}

func loadKnowledge(t *testing.T, yaml string) *knowledge.Knowledge {
	t.Helper()
	path := filepath.Join(t.TempDir(), "k.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	k, err := knowledge.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func column(t *testing.T, cat *catalog.Catalog, table, col string) catalog.Column {
	t.Helper()
	tab, ok := cat.Table(table)
	if !ok {
		t.Fatalf("no table %q", table)
	}
	c, ok := tab.Column(col)
	if !ok {
		t.Fatalf("no column %q.%q", table, col)
	}
	return *c
}

func TestPolicyHidesEverywhere(t *testing.T) {
	set := newSet(t, config.Source{Kind: "sqlite", Path: shopDB(t, 0), Policy: config.Policy{Deny: []string{"secrets", "customers.email"}}})
	s, err := schema.NewCache(schema.Options{Sources: set}).Get(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	for name, cat := range map[string]*catalog.Catalog{"Catalog": s.Catalog, "ValueCatalog": s.ValueCatalog()} {
		if _, ok := cat.Table("secrets"); ok {
			t.Errorf("%s has the denied table secrets", name)
		}
		tab, _ := cat.Table("customers")
		if _, ok := tab.Column("email"); ok {
			t.Errorf("%s has the denied column customers.email", name)
		}
	}
	if strings.Contains(s.DDL, "secrets") || strings.Contains(s.DDL, "email") {
		t.Errorf("DDL shows what the policy hides:\n%s", s.DDL)
	}
	if got := s.Index.Link(t.Context(), "what is the secret pin?", retrieve.Options{}).TableNames(); strings.Contains(strings.Join(got, ","), "secrets") {
		t.Errorf("index links to a hidden table: %v", got)
	}
	if _, ok := s.Literals["hunter2"]; ok {
		t.Error("a hidden table's value became a literal")
	}
}

func TestDescriptionsAndSynonyms(t *testing.T) {
	set := newSet(t, config.Source{Kind: "sqlite", Path: shopDB(t, 0)})
	k := loadKnowledge(t, `
tables:
  customers:
    description: Every customer account.
    synonyms: [patrons]
    columns:
      country:
        description: Billing country.
`)
	s, err := schema.NewCache(schema.Options{Sources: set, Knowledge: map[string]*knowledge.Knowledge{"shop": k}}).Get(t.Context(), "shop")
	if err != nil {
		t.Fatal(err)
	}
	tab, _ := s.Catalog.Table("customers")
	if tab.Comment != "Every customer account." || column(t, s.Catalog, "customers", "country").Comment != "Billing country." {
		t.Errorf("comments = %q, %q; want the knowledge descriptions", tab.Comment, column(t, s.Catalog, "customers", "country").Comment)
	}
	if !strings.Contains(s.DDL, "Every customer account.") {
		t.Errorf("DDL lacks the description:\n%s", s.DDL)
	}
	if got := s.Index.Link(t.Context(), "how many patrons?", retrieve.Options{}).TableNames(); len(got) == 0 || got[0] != "customers" {
		t.Errorf("link of a synonym = %v, want customers first", got)
	}
}

func TestBoundedValues(t *testing.T) {
	set := newSet(t, config.Source{Kind: "sqlite", Path: shopDB(t, 0)})
	s, err := schema.NewCache(schema.Options{Sources: set}).Get(t.Context(), "shop")
	if err != nil {
		t.Fatal(err)
	}
	// country has 3 values: all known, most frequent first.
	if diff := cmp.Diff([]string{"France", "Germany", "Spain"}, column(t, s.ValueCatalog(), "customers", "country").Samples); diff != "" {
		t.Errorf("country values (-want +got):\n%s", diff)
	}
	// email has 40: the prompt gets FrequentValues, the value list is not complete.
	if got := column(t, s.Catalog, "customers", "email").Samples; len(got) != schema.FrequentValues {
		t.Errorf("email samples = %d, want %d", len(got), schema.FrequentValues)
	}
	if got := column(t, s.ValueCatalog(), "customers", "email").Samples; len(got) != schema.FrequentValues {
		t.Errorf("email values = %d, want the %d samples (not a complete list)", len(got), schema.FrequentValues)
	}
	if diff := cmp.Diff(map[string]string{"france": "France", "germany": "Germany", "spain": "Spain", "hunter2": "hunter2"}, onlyWords(s.Literals)); diff != "" {
		t.Errorf("literals (-want +got):\n%s", diff)
	}
}

// onlyWords drops the e-mail addresses, which the test does not list.
func onlyWords(m map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		if !strings.Contains(k, "@") {
			out[k] = v
		}
	}
	return out
}

func TestLargeCatalogIsNotSampled(t *testing.T) {
	set := newSet(t, config.Source{Kind: "sqlite", Path: shopDB(t, schema.SampleMaxTables)})
	s, err := schema.NewCache(schema.Options{Sources: set}).Get(t.Context(), "shop")
	if err != nil {
		t.Fatal(err)
	}
	if n := set.queries.Load(); n != 0 {
		t.Errorf("%d sample queries on a catalog of %d tables, want none", n, len(s.Catalog.Tables))
	}
}

func TestSchemaOnlyPrivacy(t *testing.T) {
	set := newSet(t, config.Source{Kind: "sqlite", Path: shopDB(t, 0)})
	s, err := schema.NewCache(schema.Options{Sources: set, SchemaOnly: true}).Get(t.Context(), "shop")
	if err != nil {
		t.Fatal(err)
	}
	for _, tab := range s.Catalog.Tables {
		for _, c := range tab.Columns {
			if len(c.Samples) > 0 {
				t.Errorf("%s.%s has samples %v in schema-only mode", tab.Name, c.Name, c.Samples)
			}
		}
	}
	if strings.Contains(s.DDL, "France") || len(s.Literals) > 0 {
		t.Errorf("a value reached the prompt: literals %v", s.Literals)
	}
	if got := column(t, s.ValueCatalog(), "customers", "country").Samples; len(got) != 3 {
		t.Errorf("offline values of country = %v, want all 3", got)
	}
	if got := column(t, s.ValueCatalog(), "customers", "email").Samples; len(got) != 0 {
		t.Errorf("email values = %v, want none in schema-only mode", got)
	}
}

func TestConcurrentFirstBuildIntrospectsOnce(t *testing.T) {
	set := newSet(t, config.Source{Kind: "sqlite", Path: shopDB(t, 0)})
	cache := schema.NewCache(schema.Options{Sources: set})
	var wg sync.WaitGroup
	got := make([]*schema.Schema, 8)
	for i := range got {
		wg.Go(func() {
			s, err := cache.Get(t.Context(), "shop")
			if err != nil {
				t.Error(err)
			}
			got[i] = s
		})
	}
	wg.Wait()
	if n := set.introspects.Load(); n != 1 {
		t.Errorf("%d introspections for 8 concurrent first calls, want 1", n)
	}
	for _, s := range got[1:] {
		if s != got[0] {
			t.Fatal("callers got different schemas")
		}
	}
	cache.Invalidate("shop")
	if s, _ := cache.Get(t.Context(), "shop"); s == got[0] || set.introspects.Load() != 2 {
		t.Errorf("after Invalidate: same schema %v, %d introspections; want a new build", s == got[0], set.introspects.Load())
	}
}

func TestNewSnapshotRebuilds(t *testing.T) {
	set := newSet(t, config.Source{Kind: "sqlite", Path: shopDB(t, 0)})
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	snap := &schema.Snapshot{Taken: now, Catalog: &catalog.Catalog{Tables: []catalog.Table{{Name: "customers", RowCount: 1234,
		Columns: []catalog.Column{{Name: "country", Samples: []string{"Narnia"}}}}}}}
	cache := schema.NewCache(schema.Options{Sources: set, Recheck: time.Minute,
		Now: func() time.Time { mu.Lock(); defer mu.Unlock(); return now },
		Snapshots: func(context.Context, string) (*schema.Snapshot, error) {
			mu.Lock()
			defer mu.Unlock()
			c := *snap
			return &c, nil
		}})
	first, err := cache.Get(t.Context(), "shop")
	if err != nil {
		t.Fatal(err)
	}
	if got := column(t, first.Catalog, "customers", "country").Samples; !cmp.Equal(got, []string{"Narnia"}) {
		t.Errorf("samples = %v, want the snapshot's", got)
	}
	if tab, _ := first.Catalog.Table("customers"); tab.RowCount != 1234 {
		t.Errorf("row count = %d, want the snapshot's 1234", tab.RowCount)
	}
	if set.queries.Load() != 0 {
		t.Errorf("%d sample queries on an enriched source, want none", set.queries.Load())
	}
	mu.Lock()
	snap.Taken, now = now.Add(time.Hour), now.Add(30*time.Second)
	mu.Unlock()
	if s, _ := cache.Get(t.Context(), "shop"); s != first {
		t.Error("rebuilt before Recheck elapsed")
	}
	mu.Lock()
	now = now.Add(time.Minute)
	mu.Unlock()
	if s, _ := cache.Get(t.Context(), "shop"); s == first {
		t.Error("a newer snapshot did not rebuild the schema")
	}
	if s, _ := cache.Get(t.Context(), "shop"); set.introspects.Load() != 2 || s == nil {
		t.Errorf("%d introspections, want 2 (one per snapshot)", set.introspects.Load())
	}
}

func TestAll(t *testing.T) {
	set := source.NewSet(&config.Config{Sources: map[string]config.Source{
		"a":      {Kind: "sqlite", Path: shopDB(t, 0)},
		"b":      {Kind: "sqlite", Path: shopDB(t, 1)},
		"broken": {Kind: "sqlite", Path: filepath.Join(t.TempDir(), "missing", "x.db")},
	}}, nil)
	t.Cleanup(func() { set.Close() })
	all, err := schema.NewCache(schema.Options{Sources: set}).All(t.Context())
	if err == nil || !strings.Contains(err.Error(), "broken") {
		t.Errorf("err = %v, want the broken source named", err)
	}
	if len(all) != 2 || all["a"] == nil || len(all["b"].Catalog.Tables) != 3 {
		t.Errorf("All = %v, want a and b (3 tables)", all)
	}
}
