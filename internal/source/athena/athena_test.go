package athena_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsathena "github.com/aws/aws-sdk-go-v2/service/athena"

	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/source/athena"
)

// TestPollsUntilDone: the fake keeps a query RUNNING for its first three
// polls; the source polls on (four GetQueryExecution calls) and reads
// the result only once it has SUCCEEDED, in the workgroup, catalog and
// database of its DSN.
func TestPollsUntilDone(t *testing.T) {
	f := newFakes(t)
	src := f.open(t, dsn("askdb"))
	res, err := src.Query(context.Background(), "SELECT count(*) AS n FROM departments", source.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 1 || res.Rows[0][0] != int64(9) || res.Columns[0].Name != "n" || res.Columns[0].DBType != "bigint" {
		t.Errorf("got columns %+v rows %v, want n bigint = 9 (and no header row)", res.Columns, res.Rows)
	}
	if n := f.athena.Count("GetQueryExecution"); n != 4 {
		t.Errorf("GetQueryExecution called %d times, want 4 (3 while RUNNING, then SUCCEEDED)", n)
	}
	var start struct {
		WorkGroup             string
		ClientRequestToken    string
		QueryExecutionContext struct{ Catalog, Database string }
	}
	for _, c := range f.athena.Calls() {
		if c.Target == "AmazonAthena.StartQueryExecution" {
			_ = json.Unmarshal(c.Body, &start)
		}
	}
	if start.WorkGroup != "askdb" || start.QueryExecutionContext.Catalog != "AwsDataCatalog" || start.QueryExecutionContext.Database != "askdb_sample" {
		t.Errorf("StartQueryExecution sent %+v, want workgroup askdb in AwsDataCatalog.askdb_sample", start)
	}
}

// TestPaging reads 2500 of the sample's orders: three GetQueryResults
// pages of at most 1000 rows, the header row dropped from the first.
func TestPaging(t *testing.T) {
	f := newFakes(t)
	src := f.open(t, dsn("askdb"))
	res, err := src.Query(context.Background(), "SELECT order_id, status, total, order_date FROM orders ORDER BY order_id", source.Limits{MaxRows: 2500, MaxBytes: 64 << 20})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 2500 || !res.Truncated || res.TruncatedBy != source.TruncatedByRows {
		t.Fatalf("got %d rows, truncated %v by %q; want 2500 truncated by rows", len(res.Rows), res.Truncated, res.TruncatedBy)
	}
	for i, row := range res.Rows {
		if row[0] != int64(i+1) {
			t.Fatalf("row %d order_id = %#v, want %d: a header row or a page was lost", i, row[0], i+1)
		}
	}
	if _, ok := res.Rows[0][2].(json.Number); !ok {
		t.Errorf("total = %#v, want an exact json.Number from a decimal column", res.Rows[0][2])
	}
	if d, ok := res.Rows[0][3].(string); !ok || len(d) != len("2006-01-02") {
		t.Errorf("order_date = %#v, want YYYY-MM-DD", res.Rows[0][3])
	}
	if n := f.athena.Count("GetQueryResults"); n != 3 {
		t.Errorf("GetQueryResults called %d times, want 3 pages", n)
	}
}

// TestCostGuard: max_scanned_bytes refuses a query that scanned more
// (orders scans 50 MiB in the fake); a smaller one passes with what it
// scanned in the note the trace shows.
func TestCostGuard(t *testing.T) {
	f := newFakes(t)
	d := dsn("askdb")
	d.MaxScannedBytes = 10 << 20
	src := f.open(t, d)
	_, err := src.Query(context.Background(), "SELECT count(*) FROM orders", source.Limits{})
	var le *source.LimitError
	if !errors.Is(err, source.ErrScanLimit) || !errors.As(err, &le) || le.Limit != 10<<20 || !strings.Contains(err.Error(), "scanned 50.0 MiB") {
		t.Errorf("a 50 MiB scan under max_scanned_bytes 10 MiB: got %v, want a LimitError wrapping ErrScanLimit naming 50 MiB", err)
	}
	if n := f.athena.Count("GetQueryResults"); n != 0 {
		t.Errorf("GetQueryResults called %d times for a refused query, want 0", n)
	}
	res, err := src.Query(context.Background(), "SELECT count(*) FROM departments", source.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if want := "Athena scanned 1 KiB of max_scanned_bytes 10 MiB"; res.Note != want {
		t.Errorf("note %q, want %q", res.Note, want)
	}
}

// TestWorkgroupCutoff: a workgroup with BytesScannedCutoffPerQuery stops
// the query in Athena; the failure is the same ErrScanLimit, with the
// workgroup's cutoff.
func TestWorkgroupCutoff(t *testing.T) {
	f := newFakes(t)
	src := f.open(t, dsn("capped"))
	_, err := src.Query(context.Background(), "SELECT count(*) FROM order_items", source.Limits{})
	var le *source.LimitError
	if !errors.Is(err, source.ErrScanLimit) || !errors.As(err, &le) || le.Limit != 10<<20 || !strings.Contains(err.Error(), "Bytes scanned limit was exceeded") {
		t.Errorf("got %v, want ErrScanLimit at the workgroup's 10 MiB cutoff with Athena's message", err)
	}
	res, err := src.Query(context.Background(), "SELECT count(*) FROM departments", source.Limits{})
	if err != nil || !strings.Contains(res.Note, "workgroup cutoff 10 MiB") {
		t.Errorf("a small query in the capped workgroup: %v, note %q; want the cutoff in the note", err, res.Note)
	}
}

// TestCancelStopsTheQuery: when the caller gives up, the source sends
// StopQueryExecution, and Athena's query ends CANCELLED rather than
// scanning on.
func TestCancelStopsTheQuery(t *testing.T) {
	f := newFakes(t)
	src := f.open(t, dsn("askdb"))
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	_, err := src.Query(ctx, slowQuery, source.Limits{Timeout: time.Minute})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	var stop struct{ QueryExecutionId string }
	for _, c := range f.athena.Calls() {
		if c.Target == "AmazonAthena.StopQueryExecution" {
			_ = json.Unmarshal(c.Body, &stop)
		}
	}
	if stop.QueryExecutionId == "" || f.athena.State(stop.QueryExecutionId) != "CANCELLED" {
		t.Errorf("StopQueryExecution for %q, state %q; want the query stopped and CANCELLED", stop.QueryExecutionId, f.athena.State(stop.QueryExecutionId))
	}
}

// TestWritesNeverSent: the source's own read-only layer refuses writes
// before Athena sees them, EXPLAIN ANALYZE (which runs its statement)
// included; reads behind comments and parentheses pass.
func TestWritesNeverSent(t *testing.T) {
	f := newFakes(t)
	src := f.open(t, dsn("askdb"))
	for _, q := range []string{
		"INSERT INTO departments VALUES (99, 'x', 'y', 1)",
		"CREATE TABLE t AS SELECT * FROM orders",
		"UNLOAD (SELECT * FROM orders) TO 's3://elsewhere/' WITH (format = 'PARQUET')",
		"EXPLAIN ANALYZE INSERT INTO departments SELECT * FROM departments",
		"EXPLAIN (TYPE DISTRIBUTED) DELETE FROM orders",
		"/* SELECT */ DROP TABLE orders",
		"-- SELECT\nMSCK REPAIR TABLE orders",
	} {
		if _, err := src.Query(context.Background(), q, source.Limits{}); !errors.Is(err, source.ErrReadOnly) {
			t.Errorf("Query(%q): got %v, want ErrReadOnly", q, err)
		}
		if _, err := src.Explain(context.Background(), q); !errors.Is(err, source.ErrReadOnly) {
			t.Errorf("Explain(%q): got %v, want ErrReadOnly", q, err)
		}
	}
	if got := f.athena.Queries(); len(got) != 0 {
		t.Errorf("Athena received %q, want no query at all", got)
	}
	for _, q := range []string{"/* a note */ WITH x AS (SELECT 1 AS a) SELECT a FROM x", "-- top\nVALUES (1)"} {
		if _, err := src.Query(context.Background(), q, source.Limits{}); err != nil {
			t.Errorf("Query(%q): %v, want it to run", q, err)
		}
	}
}

// TestReadOnlyRole drives the fake with the bare SDK client, past the
// source's own check, to show that the fake refuses a write as a
// read-only role does: StartQueryExecution succeeds, the query FAILS.
func TestReadOnlyRole(t *testing.T) {
	f := newFakes(t)
	c := f.athena.Client()
	ctx := context.Background()
	out, err := c.StartQueryExecution(ctx, &awsathena.StartQueryExecutionInput{QueryString: aws.String("DROP TABLE departments"), WorkGroup: aws.String("askdb")})
	if err != nil {
		t.Fatal(err)
	}
	var state, reason string
	for range 10 {
		qe, err := c.GetQueryExecution(ctx, &awsathena.GetQueryExecutionInput{QueryExecutionId: out.QueryExecutionId})
		if err != nil {
			t.Fatal(err)
		}
		if state = string(qe.QueryExecution.Status.State); state == "FAILED" || state == "SUCCEEDED" {
			reason = aws.ToString(qe.QueryExecution.Status.AthenaError.ErrorMessage)
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if state != "FAILED" || !strings.Contains(reason, "Insufficient permissions") {
		t.Errorf("DROP TABLE under the read-only role: state %s (%q), want FAILED for lack of permission", state, reason)
	}
	var n int
	if err := openSQLite(t).QueryRow("SELECT count(*) FROM departments").Scan(&n); err != nil || n != 9 {
		t.Errorf("departments after the refused DROP: %d rows, %v; want 9", n, err)
	}
}

func TestQueryErrors(t *testing.T) {
	f := newFakes(t)
	tests := []struct {
		name, workgroup, sql string
		check                func(error) bool
		want                 string
	}{
		{"malformed", "askdb", "SELECT FROM WHERE", isEngine, "syntax error"},
		{"unknown column", "askdb", "SELECT nope_col FROM orders", isEngine, "nope_col"},
		{"no output location", "no-output", "SELECT 1", notEngine, "No output location provided"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := f.open(t, dsn(tc.workgroup))
			_, err := src.Query(context.Background(), tc.sql, source.Limits{})
			if err == nil || !tc.check(err) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), `"lake"`) {
				t.Errorf("got %v, want an error naming the source and containing %q", err, tc.want)
			}
		})
	}
}

func isEngine(err error) bool { return source.Repairable(err) }
func notEngine(err error) bool {
	var ee *source.EngineError
	return !errors.As(err, &ee)
}

func TestOpenErrors(t *testing.T) {
	f := newFakes(t)
	tests := []struct {
		name      string
		workgroup string
		client    *awsathena.Client
		want      error
		substr    string
	}{
		{"unknown workgroup", "nope", f.athena.Client(), nil, "WorkGroup nope is not found"},
		{"disabled workgroup", "retired", f.athena.Client(), source.ErrUnreachable, "disabled"},
		{"unsigned", "askdb", awsathena.New(awsathena.Options{Region: "us-east-1", BaseEndpoint: aws.String(f.athena.URL), Credentials: aws.AnonymousCredentials{}}), source.ErrAuth, "MissingAuthenticationToken"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := athena.New(context.Background(), "lake", dsn(tc.workgroup), nil, tc.client, f.glue.Client(), nil)
			if err == nil || (tc.want != nil && !errors.Is(err, tc.want)) || !strings.Contains(err.Error(), tc.substr) {
				t.Errorf("got %v, want an error wrapping %v containing %q", err, tc.want, tc.substr)
			}
		})
	}
}
