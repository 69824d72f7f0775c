package redshift_test

import (
	"context"
	"database/sql"
	"net/url"
	"testing"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/dbtest"
	"github.com/askdb/askdb/internal/sample"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/source/sourcetest"
)

// svvFixture creates Redshift's svv_tables and svv_columns, with their
// columns and remarks, as views over a PostgreSQL database's own catalog.
// Redshift keeps them in pg_catalog; here they live in schema rsfixture,
// which the DSN puts on the search_path. only_in_svv is a row the
// information_schema does not have, so a test can tell which path ran.
const svvFixture = `
CREATE SCHEMA rsfixture;
CREATE VIEW rsfixture.svv_tables AS
SELECT table_catalog::text, table_schema::text, table_name::text, table_type::text,
       obj_description(format('%I.%I', table_schema, table_name)::regclass, 'pg_class') AS remarks
FROM information_schema.tables WHERE table_schema <> 'rsfixture'
UNION ALL SELECT current_database(), 'public', 'only_in_svv', 'BASE TABLE', NULL;
CREATE VIEW rsfixture.svv_columns AS
SELECT table_catalog::text, table_schema::text, table_name::text, column_name::text, ordinal_position::int,
       column_default::text, is_nullable::text, data_type::text, character_maximum_length::int,
       numeric_precision::int, numeric_scale::int,
       col_description(format('%I.%I', table_schema, table_name)::regclass, ordinal_position::int) AS remarks
FROM information_schema.columns WHERE table_schema <> 'rsfixture'`

// sampleDB loads the sample and the svv fixture into a fresh database and
// returns its admin DSN and a pool on it.
func sampleDB(t *testing.T) (string, *sql.DB) {
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
	if _, err := admin.Exec(svvFixture); err != nil {
		t.Fatalf("svv fixture: %v", err)
	}
	return dsn, admin
}

// withSVV puts the fixture's svv views on the DSN's search_path.
func withSVV(t testing.TB, dsn string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", "public,rsfixture")
	u.RawQuery = q.Encode()
	return u.String()
}

func open(t testing.TB, cfg config.Source) source.Source {
	t.Helper()
	cfg.Kind = "redshift"
	src, err := source.Open(context.Background(), "rs", cfg, source.Options{})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { src.Close() })
	return src
}
