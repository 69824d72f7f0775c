package athenatest

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awsathena "github.com/aws/aws-sdk-go-v2/service/athena"

	"github.com/askdb/askdb/internal/source/glue/gluetest"
)

// Athena is the fake. Its fields are set before the first request.
type Athena struct {
	URL string

	cfg Config
	db  *sql.DB

	mu      sync.Mutex
	calls   []gluetest.Call
	queries map[string]*execution
	tokens  map[string]string // ClientRequestToken → query id
	pages   map[string]int    // NextToken → row offset
	wg      sync.WaitGroup
}

// New starts a fake that runs queries on db, closed (after its running
// queries end) when t ends.
func New(t testing.TB, cfg Config, db *sql.DB) *Athena {
	t.Helper()
	f := &Athena{cfg: cfg, db: db, queries: map[string]*execution{}, tokens: map[string]string{}, pages: map[string]int{}}
	srv := httptest.NewServer(f)
	t.Cleanup(func() {
		srv.Close()
		f.stopAll()
		f.wg.Wait()
	})
	f.URL = srv.URL
	return f
}

// Client returns a real SDK client pointed at the fake, with static credentials.
func (f *Athena) Client() *awsathena.Client {
	return awsathena.New(awsathena.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(f.URL),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", ""),
	})
}

// Setenv points the SDK's default config loading at the fake for t.
func (f *Athena) Setenv(t testing.TB) { t.Setenv("AWS_ENDPOINT_URL_ATHENA", f.URL) }

// Calls returns every call received, in order.
func (f *Athena) Calls() []gluetest.Call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]gluetest.Call(nil), f.calls...)
}

// Count returns how many calls of op ("StartQueryExecution") were received.
func (f *Athena) Count(op string) int {
	n := 0
	for _, c := range f.Calls() {
		if c.Target == "AmazonAthena."+op {
			n++
		}
	}
	return n
}

// Queries returns the SQL of every query started, in order.
func (f *Athena) Queries() []string {
	var out []string
	for _, c := range f.Calls() {
		if c.Target == "AmazonAthena.StartQueryExecution" {
			var in struct{ QueryString string }
			_ = json.Unmarshal(c.Body, &in)
			out = append(out, in.QueryString)
		}
	}
	return out
}

// State returns the state of the query with id, as the fake holds it.
func (f *Athena) State(id string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if q := f.queries[id]; q != nil {
		return q.state
	}
	return ""
}

// ServeHTTP implements http.Handler.
func (f *Athena) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	op, body, ok := gluetest.Read(w, r, "AmazonAthena.", "athena")
	if !ok {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, gluetest.Call{Target: "AmazonAthena." + op, Body: body})
	switch op {
	case "StartQueryExecution":
		f.start(w, body)
	case "GetQueryExecution":
		f.get(w, body)
	case "GetQueryResults":
		f.results(w, body)
	case "StopQueryExecution":
		f.stopQuery(w, body)
	case "GetWorkGroup":
		f.workgroup(w, body)
	default:
		gluetest.WriteError(w, http.StatusBadRequest, "UnknownOperationException", "athenatest does not serve "+op)
	}
}

func invalid(w http.ResponseWriter, msg, athenaCode string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-ErrorType", "InvalidRequestException")
	w.WriteHeader(http.StatusBadRequest)
	out := map[string]string{"__type": "InvalidRequestException", "Message": msg}
	if athenaCode != "" {
		out["AthenaErrorCode"] = athenaCode
	}
	_ = json.NewEncoder(w).Encode(out)
}

func (f *Athena) workgroup(w http.ResponseWriter, body []byte) {
	var in struct{ WorkGroup string }
	_ = json.Unmarshal(body, &in)
	wg, ok := f.cfg.Workgroups[in.WorkGroup]
	if !ok {
		invalid(w, fmt.Sprintf("WorkGroup %s is not found.", in.WorkGroup), "")
		return
	}
	conf := map[string]any{
		"EnforceWorkGroupConfiguration": wg.Enforce,
		"EngineVersion":                 map[string]string{"SelectedEngineVersion": "AUTO", "EffectiveEngineVersion": or(wg.EngineVersion, "Athena engine version 3")},
	}
	if wg.OutputLocation != "" {
		conf["ResultConfiguration"] = map[string]string{"OutputLocation": wg.OutputLocation}
	}
	if wg.CutoffBytes > 0 {
		conf["BytesScannedCutoffPerQuery"] = wg.CutoffBytes
	}
	gluetest.WriteJSON(w, map[string]any{"WorkGroup": map[string]any{"Name": in.WorkGroup, "State": or(wg.State, "ENABLED"), "Configuration": conf}})
}

func (f *Athena) stopQuery(w http.ResponseWriter, body []byte) {
	q, ok := f.lookup(w, body)
	if !ok {
		return
	}
	if q.state == "QUEUED" || q.state == "RUNNING" {
		q.state, q.reason = "CANCELLED", "Query was cancelled by the user"
	}
	q.cancel()
	gluetest.WriteJSON(w, map[string]any{})
}

// lookup finds the query a request's QueryExecutionId names, or writes
// Athena's error for an unknown one.
func (f *Athena) lookup(w http.ResponseWriter, body []byte) (*execution, bool) {
	var in struct{ QueryExecutionId string }
	_ = json.Unmarshal(body, &in)
	q, ok := f.queries[in.QueryExecutionId]
	if !ok {
		invalid(w, "QueryExecution "+in.QueryExecutionId+" was not found", "")
	}
	return q, ok
}

func (f *Athena) stopAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, q := range f.queries {
		q.cancel()
	}
}

func (f *Athena) results(w http.ResponseWriter, body []byte) {
	var in struct {
		QueryExecutionId string
		NextToken        string
		MaxResults       int
	}
	_ = json.Unmarshal(body, &in)
	q, ok := f.lookup(w, body)
	switch {
	case !ok:
		return
	case q.state != "SUCCEEDED":
		invalid(w, "Query has not yet finished. Current state: "+q.state, "")
		return
	case in.MaxResults > 1000:
		invalid(w, "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000", "")
		return
	}
	size := in.MaxResults
	if size <= 0 {
		size = 1000
	}
	from := 0
	if in.NextToken != "" {
		off, ok := f.pages[in.QueryExecutionId+"/"+in.NextToken]
		if !ok {
			invalid(w, "The NextToken is not valid for this query.", "")
			return
		}
		from = off
	}
	rows := q.rows
	if q.header {
		rows = append([][]*string{q.headerRow()}, rows...)
	}
	to := min(from+size, len(rows))
	out := map[string]any{"UpdateCount": 0, "ResultSet": map[string]any{"Rows": encodeRows(rows[from:to]), "ResultSetMetadata": map[string]any{"ColumnInfo": q.columns}}}
	if to < len(rows) {
		token := "page-" + strconv.Itoa(len(f.pages)+1)
		f.pages[in.QueryExecutionId+"/"+token] = to
		out["NextToken"] = token
	}
	gluetest.WriteJSON(w, out)
}

func encodeRows(rows [][]*string) []any {
	out := make([]any, len(rows))
	for i, row := range rows {
		data := make([]any, len(row))
		for j, v := range row {
			if v == nil {
				data[j] = map[string]any{} // Athena leaves VarCharValue out for NULL
			} else {
				data[j] = map[string]any{"VarCharValue": *v}
			}
		}
		out[i] = map[string]any{"Data": data}
	}
	return out
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
