package athena_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/source/athena"
	"github.com/askdb/askdb/internal/source/athena/athenatest"
	"github.com/askdb/askdb/internal/source/glue/gluetest"
	"github.com/askdb/askdb/internal/source/sourcetest"
)

// slowQuery runs for minutes on SQLite, and is Trino SQL too.
const slowQuery = `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) SELECT count(*) FROM c`

// fakes is an Athena fake over the sample and a Glue fake over its catalog.
type fakes struct {
	athena *athenatest.Athena
	glue   *gluetest.Glue
}

func newFakes(t *testing.T, mutate ...func(*athenatest.Config)) fakes {
	t.Helper()
	cfg := athenatest.ReadConfig(t, "testdata/fake.json")
	for _, m := range mutate {
		m(&cfg)
	}
	return fakes{athena: athenatest.New(t, cfg, openSQLite(t)), glue: gluetest.New(t, "testdata/glue-sample.json")}
}

// dsn is the source's settings against the fakes: the sample's Glue
// database in workgroup askdb, polling every 2 ms.
func dsn(workgroup string) athena.DSN {
	return athena.DSN{Region: "us-east-1", Database: "askdb_sample", Catalog: athena.DefaultCatalog,
		Workgroup: workgroup, PollInterval: 2 * time.Millisecond}
}

func (f fakes) open(t *testing.T, d athena.DSN) *athena.Source {
	t.Helper()
	src, err := athena.New(context.Background(), "lake", d, nil, f.athena.Client(), f.glue.Client(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Close() })
	return src
}

// TestConformance runs the shared suite through the real SDK clients
// against the fakes. Glue declares no keys, defaults or NOT NULL, so the
// suite runs as for a file-backed source.
func TestConformance(t *testing.T) {
	f := newFakes(t)
	sourcetest.Run(t, sourcetest.Harness{
		Open:      func(t *testing.T) source.Source { return f.open(t, dsn("askdb")) },
		Admin:     func(t *testing.T) *sql.DB { return openSQLite(t) },
		SlowQuery: slowQuery,
		Dialect:   catalog.Trino,
		// Glue tables are data files: no keys, defaults or NOT NULL.
		FileBacked: true,
	})
}
