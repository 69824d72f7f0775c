package trino_test

import (
	"context"
	"database/sql"
	"net/url"
	"testing"
	"time"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/dbtest"
	"github.com/askdb/askdb/internal/sample"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/source/sourcetest"
	_ "github.com/askdb/askdb/internal/source/trino"
	"github.com/askdb/askdb/internal/source/trino/trinofake"
)

// fakeCatalog is the Trino catalog the fake serves; PostgreSQL's public
// schema is its schema.
const fakeCatalog = "sales"

// lake is a fake coordinator over a PostgreSQL database holding the sample.
type lake struct {
	fake  *trinofake.Server
	admin *sql.DB
}

// newLake loads the sample into a fresh PostgreSQL database and starts a
// fake coordinator over it with the access rules of testdata/rules.json.
func newLake(t testing.TB, opts trinofake.Options) *lake {
	t.Helper()
	dsn := dbtest.Postgres(t)
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	if err := sample.Load(context.Background(), admin, catalog.Postgres, sourcetest.Options()); err != nil {
		t.Fatalf("load sample: %v", err)
	}
	rules, err := trinofake.LoadRules("testdata/rules.json")
	if err != nil {
		t.Fatal(err)
	}
	opts.DB, opts.Catalog, opts.Rules = admin, fakeCatalog, rules
	return &lake{fake: trinofake.New(t, opts), admin: admin}
}

// dsn is a DSN for user against the fake, with extra parameters.
func (l *lake) dsn(user string, params url.Values) string {
	u, _ := url.Parse(l.fake.URL)
	u.User = url.User(user)
	q := url.Values{"catalog": {fakeCatalog}, "schema": {"public"}}
	for k, v := range params {
		q[k] = v
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// open opens a trino source on dsn as askdb would, through the registry.
func open(ctx context.Context, t testing.TB, dsn string) source.Source {
	t.Helper()
	cfg := config.Source{Kind: "trino", DSN: dsn, QueryTimeout: config.Duration(20 * time.Second), ConnectTimeout: config.Duration(5 * time.Second)}
	src, err := source.Open(ctx, "lake", cfg, source.Options{})
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	t.Cleanup(func() { src.Close() })
	return src
}
