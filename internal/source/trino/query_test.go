package trino_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/source/trino/trinofake"
)

// queryCase is one line of testdata/queries.txt.
type queryCase struct {
	name, user, sql string
	want            []string
}

func readCases(t *testing.T, path string) []queryCase {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []queryCase
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, " | ")
		if len(parts) != 4 {
			t.Fatalf("%s: %q: want 4 fields separated by \" | \"", path, line)
		}
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
		}
		out = append(out, queryCase{parts[0], parts[1], parts[2], strings.SplitN(parts[3], " ", 3)})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestIntegrationQueries runs testdata/queries.txt: results, refused
// writes under both read-only layers, and engine errors a model can repair.
func TestIntegrationQueries(t *testing.T) {
	l := newLake(t, trinofake.Options{PageSize: 7})
	sources := map[string]source.Source{
		"askdb": open(context.Background(), t, l.dsn("askdb", nil)),
		"admin": open(context.Background(), t, l.dsn("admin", nil)),
	}
	for _, tc := range readCases(t, "testdata/queries.txt") {
		t.Run(tc.name, func(t *testing.T) {
			src, ok := sources[tc.user]
			if !ok {
				t.Fatalf("no source for user %q", tc.user)
			}
			res, err := src.Query(context.Background(), tc.sql, source.Limits{})
			if msg := checkOutcome(tc.want, res, err); msg != "" {
				t.Errorf("Query(%q): %s", tc.sql, msg)
			}
		})
	}
	if n := l.fake.Running(); n != 0 {
		t.Errorf("%d queries still running after the cases", n)
	}
}

// checkOutcome compares a query's outcome with a want of queries.txt.
func checkOutcome(want []string, res *source.Result, err error) string {
	var ee *source.EngineError
	switch want[0] {
	case "rows", "value":
		if err != nil {
			return fmt.Sprintf("got %v, want %s", err, strings.Join(want, " "))
		}
		if want[0] == "rows" {
			if n, _ := strconv.Atoi(want[1]); len(res.Rows) != n || res.Truncated {
				return fmt.Sprintf("got %d rows (truncated %v), want %s", len(res.Rows), res.Truncated, want[1])
			}
			return ""
		}
		if len(res.Rows) != 1 || fmt.Sprint(res.Rows[0][0]) != want[1] {
			return fmt.Sprintf("got rows %v, want one value %s", res.Rows, want[1])
		}
	case "readonly":
		if !errors.Is(err, source.ErrReadOnly) || !errors.As(err, &ee) || ee.Code != want[1] {
			return fmt.Sprintf("got %v, want source.ErrReadOnly from Trino's %s", err, want[1])
		}
	case "engine":
		if !errors.As(err, &ee) || ee.Code != want[1] || !strings.Contains(ee.Message, want[2]) || !source.Repairable(err) {
			return fmt.Sprintf("got %v, want a repairable *source.EngineError %s containing %q", err, want[1], want[2])
		}
	default:
		return fmt.Sprintf("unknown want %q", want)
	}
	return ""
}

// TestIntegrationSession checks what the client sends for askdb: the
// source name, a READ ONLY transaction around every statement, the
// transaction id on the statement, query_max_run_time in Trino's
// duration syntax, and a ROLLBACK after.
func TestIntegrationSession(t *testing.T) {
	l := newLake(t, trinofake.Options{})
	src := open(context.Background(), t, l.dsn("askdb", nil))
	const q = "SELECT count(*) FROM customers"
	if _, err := src.Query(context.Background(), q, source.Limits{Timeout: 90 * time.Second}); err != nil {
		t.Fatal(err)
	}
	var seq []string
	var stmt trinofake.Request
	for _, r := range l.fake.Requests() {
		if r.Method == "POST" {
			seq = append(seq, r.SQL)
			if r.SQL == q {
				stmt = r
			}
		}
	}
	tail := seq[len(seq)-3:]
	if want := []string{"START TRANSACTION READ ONLY", q, "ROLLBACK"}; strings.Join(tail, "; ") != strings.Join(want, "; ") {
		t.Errorf("statements = %q, want them to end with %q", seq, want)
	}
	if stmt.User != "askdb" || stmt.Source != "askdb" {
		t.Errorf("X-Trino-User %q, X-Trino-Source %q; want askdb, askdb", stmt.User, stmt.Source)
	}
	if stmt.Transaction == "" || stmt.Transaction == "NONE" {
		t.Errorf("the statement ran outside the transaction: X-Trino-Transaction-Id %q", stmt.Transaction)
	}
	if !strings.Contains(strings.Join(stmt.Session, ","), "query_max_run_time=90s") {
		t.Errorf("X-Trino-Session = %q, want query_max_run_time=90s", stmt.Session)
	}
}

// TestIntegrationExplainValidatesFirst: EXPLAIN (TYPE VALIDATE) runs
// before EXPLAIN, and a query that does not validate is never planned.
func TestIntegrationExplainValidatesFirst(t *testing.T) {
	l := newLake(t, trinofake.Options{})
	src := open(context.Background(), t, l.dsn("askdb", nil))
	plan, err := src.Explain(context.Background(), "SELECT count(*) FROM orders")
	if err != nil || plan == "" {
		t.Fatalf("Explain = %q, %v", plan, err)
	}
	if _, err := src.Explain(context.Background(), "SELECT nope FROM orders"); !source.Repairable(err) {
		t.Errorf("Explain of a wrong column: %v, want a repairable engine error", err)
	}
	var explains []string
	for _, r := range l.fake.Requests() {
		if r.Method == "POST" && strings.HasPrefix(r.SQL, "EXPLAIN") {
			explains = append(explains, r.SQL)
		}
	}
	want := []string{"EXPLAIN (TYPE VALIDATE) SELECT count(*) FROM orders", "EXPLAIN SELECT count(*) FROM orders", "EXPLAIN (TYPE VALIDATE) SELECT nope FROM orders"}
	if strings.Join(explains, "\n") != strings.Join(want, "\n") {
		t.Errorf("EXPLAIN statements:\n%s\nwant:\n%s", strings.Join(explains, "\n"), strings.Join(want, "\n"))
	}
}

// TestIntegrationStopsQueries: a cancelled query and a result cut at
// max_rows are both DELETEd on the coordinator, so that neither keeps
// running there.
func TestIntegrationStopsQueries(t *testing.T) {
	l := newLake(t, trinofake.Options{PageSize: 5})
	src := open(context.Background(), t, l.dsn("askdb", nil))
	res, err := src.Query(context.Background(), "SELECT order_id FROM orders", source.Limits{MaxRows: 3})
	if err != nil || !res.Truncated {
		t.Fatalf("Query = %+v, %v; want 3 rows truncated", res, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	if _, err := src.Query(ctx, slowQuery, source.Limits{Timeout: time.Minute}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled query: %v", err)
	}
	deletes := 0
	for _, r := range l.fake.Requests() {
		if r.Method == "DELETE" {
			deletes++
		}
	}
	if deletes < 2 {
		t.Errorf("%d DELETE requests, want one for the truncated result and one for the cancelled query", deletes)
	}
	waitIdle(t, l.fake)
}

// waitIdle waits for the coordinator to have no running query.
func waitIdle(t testing.TB, fake *trinofake.Server) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for fake.Running() > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d queries still running on the coordinator", fake.Running())
		}
		time.Sleep(20 * time.Millisecond)
	}
}
