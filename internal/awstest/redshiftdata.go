package awstest

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// RedshiftDataScript is what a Redshift Data API fake allows and how it
// behaves, read from a testdata JSON file.
type RedshiftDataScript struct {
	Cluster    string   `json:"cluster"`     // the provisioned cluster's identifier
	Workgroup  string   `json:"workgroup"`   // the Serverless workgroup's name
	Database   string   `json:"database"`    // the one database both hold
	DBUsers    []string `json:"db_users"`    // users GetClusterCredentials would issue
	SecretARNs []string `json:"secret_arns"` // secrets the service may read
	// PageSize is how many records one GetStatementResult returns.
	PageSize int `json:"page_size"`
	// RunningPolls is how many DescribeStatement calls see a statement
	// still STARTED, however fast it ran: a client must poll.
	RunningPolls int `json:"running_polls"`
}

// LoadRedshiftDataScript reads a script from a JSON file.
func LoadRedshiftDataScript(t testing.TB, path string) RedshiftDataScript {
	return loadScript[RedshiftDataScript](t, path)
}

// loadScript reads a fake's script from a testdata JSON file.
func loadScript[T any](t testing.TB, path string) T {
	t.Helper()
	var s T
	b, err := os.ReadFile(path)
	if err == nil {
		err = json.Unmarshal(b, &s)
	}
	if err != nil {
		t.Fatalf("fake script %s: %v", path, err)
	}
	return s
}

// RedshiftData speaks the Redshift Data API's JSON protocol
// (ExecuteStatement with sessions, DescribeStatement, GetStatementResult,
// CancelStatement) over a real database: each Data API session is one
// connection of db, and a statement's SQL runs there, so the engine
// itself refuses what a read-only session must.
type RedshiftData struct {
	URL string

	script RedshiftDataScript
	db     *sql.DB

	mu       sync.Mutex
	sessions map[string]*fakeSession
	stmts    map[string]*fakeStatement
	calls    []string
	seq      int
}

// fakeSession is one connection and its backend, which CancelStatement
// signals as Redshift does (pg_cancel_backend), so that the session and
// its settings outlive a cancelled statement.
type fakeSession struct {
	conn *sql.Conn
	pid  int
}

type fakeStatement struct {
	session string
	pid     int
	aborted atomic.Bool
	sql     string
	done    chan struct{}
	cancel  context.CancelFunc
	polls   int
	// set when done is closed
	status string
	err    string
	cols   []map[string]any
	rows   [][]map[string]any
}

// NewRedshiftData starts a fake over db, closed with its sessions when t ends.
func NewRedshiftData(t testing.TB, script RedshiftDataScript, db *sql.DB) *RedshiftData {
	t.Helper()
	f := &RedshiftData{script: script, db: db, sessions: map[string]*fakeSession{}, stmts: map[string]*fakeStatement{}}
	srv := httptest.NewServer(f)
	f.URL = srv.URL
	t.Cleanup(func() {
		srv.Close()
		f.mu.Lock()
		defer f.mu.Unlock()
		for _, s := range f.stmts {
			s.cancel()
		}
		for _, c := range f.sessions {
			c.conn.Close()
		}
	})
	return f
}

// Setenv points the SDK's default configuration at the fake for t.
func (f *RedshiftData) Setenv(t testing.TB) {
	Env(t)
	t.Setenv("AWS_ENDPOINT_URL_REDSHIFT_DATA", f.URL)
}

// Calls returns the operation of every signed call received, in order.
func (f *RedshiftData) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

// apiError is an error response of the JSON protocol.
type apiError struct {
	status int
	typ    string
	msg    string
}

func (e *apiError) Error() string { return e.typ + ": " + e.msg }

func writeJSON(w http.ResponseWriter, v any, err error) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	var ae *apiError
	if errors.As(err, &ae) {
		w.WriteHeader(ae.status)
		_ = json.NewEncoder(w).Encode(map[string]string{"__type": ae.typ, "message": ae.msg})
		return
	}
	_ = json.NewEncoder(w).Encode(v)
}

func badRequest(typ, format string, args ...any) error {
	return &apiError{status: http.StatusBadRequest, typ: typ, msg: fmt.Sprintf(format, args...)}
}

// ServeHTTP implements http.Handler.
func (f *RedshiftData) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if _, err := checkSigV4DataAPI(r, body, "redshift-data"); err != nil {
		writeJSON(w, nil, &apiError{status: http.StatusForbidden, typ: "InvalidSignatureException", msg: err.Error()})
		return
	}
	op := r.Header.Get("X-Amz-Target")
	f.mu.Lock()
	f.calls = append(f.calls, op)
	f.mu.Unlock()
	var in struct {
		Sql, SessionId, ClusterIdentifier, WorkgroupName, Database, DbUser, SecretArn, Id string
		NextToken                                                                         string
		SessionKeepAliveSeconds                                                           int
	}
	if err := json.Unmarshal(body, &in); err != nil {
		writeJSON(w, nil, badRequest("SerializationException", "%v", err))
		return
	}
	var out any
	var err error
	switch op {
	case "RedshiftData.ExecuteStatement":
		out, err = f.execute(in.Sql, in.SessionId, in.ClusterIdentifier, in.WorkgroupName, in.Database, in.DbUser, in.SecretArn, in.SessionKeepAliveSeconds)
	case "RedshiftData.DescribeStatement":
		out, err = f.describe(in.Id)
	case "RedshiftData.GetStatementResult":
		out, err = f.result(in.Id, in.NextToken)
	case "RedshiftData.CancelStatement":
		out, err = f.cancelStatement(in.Id)
	default:
		err = badRequest("UnknownOperationException", "operation %q is not supported by this fake", op)
	}
	writeJSON(w, out, err)
}

func (f *RedshiftData) execute(query, session, cluster, workgroup, database, user, secret string, keepAlive int) (any, error) {
	if query == "" {
		return nil, badRequest("ValidationException", "Sql must not be empty")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if session != "" {
		if cluster+workgroup+database+user+secret != "" {
			return nil, badRequest("ValidationException", "a SessionId excludes ClusterIdentifier, WorkgroupName, Database, DbUser and SecretArn")
		}
		if _, ok := f.sessions[session]; !ok {
			return nil, badRequest("ValidationException", "Session %s is not available", session)
		}
		for _, s := range f.stmts {
			if s.session == session && s.status == "" {
				return nil, badRequest("ActiveStatementsExceededException", "the session is running another statement")
			}
		}
		return f.start(session, query), nil
	}
	if err := f.authorize(cluster, workgroup, database, user, secret); err != nil {
		return nil, err
	}
	conn, err := f.db.Conn(context.Background())
	var pid int
	if err == nil {
		err = conn.QueryRowContext(context.Background(), "SELECT pg_backend_pid()").Scan(&pid)
	}
	if err != nil {
		return nil, &apiError{status: http.StatusInternalServerError, typ: "InternalServerException", msg: err.Error()}
	}
	f.seq++
	session = "session-" + strconv.Itoa(f.seq)
	f.sessions[session] = &fakeSession{conn: conn, pid: pid}
	out := f.start(session, query)
	if keepAlive <= 0 {
		delete(out, "SessionId") // no session asked for: the connection serves this statement only
	}
	return out, nil
}

// authorize checks the target and identity as the service would, before
// a statement starts.
func (f *RedshiftData) authorize(cluster, workgroup, database, user, secret string) error {
	switch {
	case (cluster == "") == (workgroup == ""):
		return badRequest("ValidationException", "specify exactly one of ClusterIdentifier or WorkgroupName")
	case cluster != "" && cluster != f.script.Cluster, workgroup != "" && workgroup != f.script.Workgroup:
		return badRequest("ResourceNotFoundException", "cluster or workgroup %q not found", cluster+workgroup)
	case database == "":
		return badRequest("ValidationException", "Database is required")
	case database != f.script.Database:
		return badRequest("ExecuteStatementException", "FATAL: database %q does not exist", database)
	case secret != "" && !slices.Contains(f.script.SecretARNs, secret):
		return &apiError{status: http.StatusBadRequest, typ: "AccessDeniedException", msg: "not authorized to get credentials from secret " + secret}
	case user != "" && (workgroup != "" || !slices.Contains(f.script.DBUsers, user)):
		return &apiError{status: http.StatusBadRequest, typ: "AccessDeniedException", msg: "not authorized to get credentials of user " + user}
	case cluster != "" && user == "" && secret == "":
		return badRequest("ValidationException", "a cluster needs DbUser or SecretArn")
	}
	return nil
}

// start runs query on session's connection in the background. f.mu is held.
func (f *RedshiftData) start(session, query string) map[string]any {
	f.seq++
	id := fmt.Sprintf("%08d-fake-statement", f.seq)
	ctx, cancel := context.WithCancel(context.Background())
	sess := f.sessions[session]
	s := &fakeStatement{session: session, pid: sess.pid, sql: query, done: make(chan struct{}), cancel: cancel}
	f.stmts[id] = s
	go s.run(ctx, sess.conn)
	return map[string]any{"Id": id, "SessionId": session, "CreatedAt": float64(time.Now().Unix()), "Database": f.script.Database}
}

// run executes the statement and records its outcome in the Data API's
// terms: FINISHED with records, FAILED with "ERROR: message", ABORTED.
func (s *fakeStatement) run(ctx context.Context, conn *sql.Conn) {
	defer close(s.done)
	cols, rows, err := queryRecords(ctx, conn, s.sql)
	switch {
	case ctx.Err() != nil || s.aborted.Load():
		s.status = "ABORTED"
	case err != nil:
		s.status, s.err = "FAILED", "ERROR: "+engineMessage(err)
	default:
		s.status, s.cols, s.rows = "FINISHED", cols, rows
	}
}

func (f *RedshiftData) statement(id string) (*fakeStatement, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, ok := f.stmts[id]
	if !ok {
		return nil, badRequest("ResourceNotFoundException", "Query does not exist.")
	}
	return s, nil
}

func (f *RedshiftData) describe(id string) (any, error) {
	s, err := f.statement(id)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	s.polls++
	early := s.polls <= f.script.RunningPolls
	f.mu.Unlock()
	out := map[string]any{"Id": id, "SessionId": s.session, "QueryString": s.sql, "Status": "STARTED"}
	select {
	case <-s.done:
	default:
		return out, nil
	}
	if early {
		return out, nil
	}
	out["Status"] = s.status
	if s.err != "" {
		out["Error"] = s.err
	}
	out["HasResultSet"] = s.cols != nil
	out["ResultRows"] = len(s.rows)
	return out, nil
}

func (f *RedshiftData) result(id, token string) (any, error) {
	s, err := f.statement(id)
	if err != nil {
		return nil, err
	}
	select {
	case <-s.done:
	default:
		return nil, badRequest("ValidationException", "Query has not finished.")
	}
	if s.status != "FINISHED" || s.cols == nil {
		return nil, badRequest("ValidationException", "Query does not have result. Please check query status with DescribeStatement.")
	}
	start := 0
	if token != "" {
		if start, err = strconv.Atoi(token); err != nil || start < 0 || start > len(s.rows) {
			return nil, badRequest("ValidationException", "invalid NextToken")
		}
	}
	size := max(f.script.PageSize, 1)
	end := min(start+size, len(s.rows))
	out := map[string]any{"ColumnMetadata": s.cols, "Records": s.rows[start:end], "TotalNumRows": len(s.rows)}
	if end < len(s.rows) {
		out["NextToken"] = strconv.Itoa(end)
	}
	return out, nil
}

func (f *RedshiftData) cancelStatement(id string) (any, error) {
	s, err := f.statement(id)
	if err != nil {
		return nil, err
	}
	s.aborted.Store(true)
	select {
	case <-s.done:
		return map[string]any{"Status": false}, nil
	default:
	}
	if _, err := f.db.Exec("SELECT pg_cancel_backend($1)", s.pid); err != nil {
		return nil, &apiError{status: http.StatusInternalServerError, typ: "InternalServerException", msg: err.Error()}
	}
	<-s.done
	return map[string]any{"Status": true}, nil
}
