package athena

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsathena "github.com/aws/aws-sdk-go-v2/service/athena"
	"github.com/aws/aws-sdk-go-v2/service/athena/types"
	_ "github.com/mattn/go-sqlite3"

	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/source/athena/athenatest"
)

// TestRefusedWriteIsReadOnly: should a write get past the source's own
// check, Athena's refusal under a read-only role (a FAILED query for lack
// of permission, as the fake answers DDL) is source.ErrReadOnly too, not
// an engine message for the model to repair.
func TestRefusedWriteIsReadOnly(t *testing.T) {
	db, err := sql.Open("sqlite3", filepath.Join(t.TempDir(), "empty.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	f := athenatest.New(t, athenatest.ReadConfig(t, "testdata/fake.json"), db)
	s := &Source{name: "lake", athena: f.Client(), dsn: DSN{Workgroup: "askdb", Catalog: DefaultCatalog, Database: "d", PollInterval: time.Millisecond}}
	ctx := context.Background()
	_, err = s.execute(ctx, "DROP TABLE orders")
	var fl *failure
	if !errors.As(err, &fl) || fl.exec.StatementType != types.StatementTypeDdl {
		t.Fatalf("DROP TABLE under the read-only role: got %v, want a failed DDL query", err)
	}
	if err := s.queryError(ctx, "query", err, time.Second); !errors.Is(err, source.ErrReadOnly) || source.Repairable(err) {
		t.Errorf("mapped to %v, want ErrReadOnly, not repairable", err)
	}
	_, err = s.execute(ctx, "SELECT no_such_thing")
	if err := s.queryError(ctx, "query", err, time.Second); !source.Repairable(err) {
		t.Errorf("a failed SELECT mapped to %v, want a repairable engine error", err)
	}
	// A query someone else stopped in the console is not the caller's cancellation.
	out, err := f.Client().StartQueryExecution(ctx, &awsathena.StartQueryExecutionInput{QueryString: aws.String("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"), WorkGroup: aws.String("askdb")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Client().StopQueryExecution(ctx, &awsathena.StopQueryExecutionInput{QueryExecutionId: out.QueryExecutionId}); err != nil {
		t.Fatal(err)
	}
	_, err = s.wait(ctx, aws.ToString(out.QueryExecutionId))
	if err := s.queryError(ctx, "query", err, time.Second); !errors.Is(err, source.ErrUnreachable) || errors.Is(err, context.Canceled) {
		t.Errorf("a query cancelled in Athena mapped to %v, want ErrUnreachable", err)
	}
}
