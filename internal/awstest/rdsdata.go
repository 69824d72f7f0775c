package awstest

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"testing"
)

// RDSDataScript is the cluster an RDS Data API fake serves, read from a
// testdata JSON file.
type RDSDataScript struct {
	ResourceARN string `json:"resource_arn"` // the cluster's ARN
	SecretARN   string `json:"secret_arn"`   // the one secret that opens it
	Database    string `json:"database"`     // the database callers name
	// Engine is "postgres" or "mysql": how BeginTransaction starts a
	// transaction (BEGIN; or autocommit off, so that the caller's SET
	// TRANSACTION applies to the transaction its next statement opens).
	Engine string `json:"engine"`
	// Begin, when set, is what BeginTransaction runs instead (a test of
	// a service that starts MySQL transactions with START TRANSACTION).
	Begin string `json:"begin"`
}

// LoadRDSDataScript reads a script from a JSON file.
func LoadRDSDataScript(t testing.TB, path string) RDSDataScript {
	return loadScript[RDSDataScript](t, path)
}

// RDSData speaks the RDS Data API's REST-JSON protocol (BeginTransaction,
// ExecuteStatement with typed records, CommitTransaction,
// RollbackTransaction) over a real database: a transaction is one
// connection of db, so the engine itself refuses writes in a read-only
// one. Like the service, it has no way to cancel a running statement: a
// caller that gives up leaves it running until the engine's time limit.
type RDSData struct {
	URL string

	script RDSDataScript
	db     *sql.DB

	mu    sync.Mutex
	txs   map[string]*fakeTx
	paths []string
	seq   int
}

type fakeTx struct {
	mu   sync.Mutex // one statement at a time
	conn *sql.Conn
}

// NewRDSData starts a fake over db, closed when t ends.
func NewRDSData(t testing.TB, script RDSDataScript, db *sql.DB) *RDSData {
	t.Helper()
	f := &RDSData{script: script, db: db, txs: map[string]*fakeTx{}}
	srv := httptest.NewServer(f)
	f.URL = srv.URL
	t.Cleanup(srv.Close)
	return f
}

// Setenv points the SDK's default configuration at the fake for t.
func (f *RDSData) Setenv(t testing.TB) {
	Env(t)
	t.Setenv("AWS_ENDPOINT_URL_RDS_DATA", f.URL)
}

// Calls returns the path of every signed call received, in order.
func (f *RDSData) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.paths)
}

// OpenTransactions is how many transactions are neither committed nor
// rolled back.
func (f *RDSData) OpenTransactions() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.txs)
}

func restError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-Errortype", typ)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"message": msg})
}

// ServeHTTP implements http.Handler.
func (f *RDSData) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if _, err := checkSigV4DataAPI(r, body, "rds-data"); err != nil {
		restError(w, http.StatusForbidden, "InvalidSignatureException", err.Error())
		return
	}
	f.mu.Lock()
	f.paths = append(f.paths, r.URL.Path)
	f.mu.Unlock()
	var in struct {
		ResourceArn, SecretArn, Database, Sql, TransactionId string
		IncludeResultMetadata                                bool
	}
	if err := json.Unmarshal(body, &in); err != nil {
		restError(w, http.StatusBadRequest, "BadRequestException", err.Error())
		return
	}
	switch {
	case in.ResourceArn != f.script.ResourceARN:
		restError(w, http.StatusNotFound, "NotFoundException", "cluster "+in.ResourceArn+" not found")
		return
	case in.SecretArn != f.script.SecretARN:
		restError(w, http.StatusForbidden, "ForbiddenException", "not authorized to get the secret "+in.SecretArn)
		return
	}
	var out any
	status, typ, msg := 0, "", ""
	switch r.URL.Path {
	case "/BeginTransaction":
		out, typ, msg = f.begin(in.Database)
	case "/Execute":
		out, typ, msg = f.execute(in.Database, in.Sql, in.TransactionId, in.IncludeResultMetadata)
	case "/RollbackTransaction":
		out, typ, msg = f.end(in.TransactionId, "ROLLBACK", "Rollback Complete")
	case "/CommitTransaction":
		out, typ, msg = f.end(in.TransactionId, "COMMIT", "Transaction Committed")
	default:
		status, typ, msg = http.StatusNotFound, "UnknownOperationException", "operation "+r.URL.Path+" is not supported by this fake"
	}
	if typ != "" {
		restError(w, max(status, http.StatusBadRequest), typ, msg)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

func (f *RDSData) begin(database string) (any, string, string) {
	if database != f.script.Database {
		return nil, "BadRequestException", fmt.Sprintf("Unknown database '%s'", database)
	}
	conn, err := f.db.Conn(context.Background())
	if err == nil {
		start := "BEGIN"
		switch {
		case f.script.Begin != "":
			start = f.script.Begin
		case f.script.Engine == "mysql":
			start = "SET autocommit = 0"
		}
		_, err = conn.ExecContext(context.Background(), start)
	}
	if err != nil {
		return nil, "InternalServerErrorException", err.Error()
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seq++
	id := "tx-" + strconv.Itoa(f.seq)
	f.txs[id] = &fakeTx{conn: conn}
	return map[string]string{"transactionId": id}, "", ""
}

// execute runs sql alone or in its transaction. It runs to its end even
// when the caller goes away, as the service does.
func (f *RDSData) execute(database, query, txID string, metadata bool) (any, string, string) {
	if database != f.script.Database {
		return nil, "BadRequestException", fmt.Sprintf("Unknown database '%s'", database)
	}
	ctx := context.Background()
	var conn *sql.Conn
	if txID != "" {
		f.mu.Lock()
		tx, ok := f.txs[txID]
		f.mu.Unlock()
		if !ok {
			return nil, "BadRequestException", "Transaction " + txID + " is not found"
		}
		tx.mu.Lock()
		defer tx.mu.Unlock()
		conn = tx.conn
	} else {
		c, err := f.db.Conn(ctx)
		if err != nil {
			return nil, "InternalServerErrorException", err.Error()
		}
		defer c.Close()
		conn = c
	}
	cols, records, err := queryRecords(ctx, conn, query)
	if err != nil {
		return nil, "BadRequestException", engineMessage(err)
	}
	out := map[string]any{"numberOfRecordsUpdated": 0}
	if cols != nil {
		out["records"] = records
		if metadata {
			out["columnMetadata"] = cols
		}
	}
	return out, "", ""
}

func (f *RDSData) end(txID, stmt, status string) (any, string, string) {
	f.mu.Lock()
	tx, ok := f.txs[txID]
	delete(f.txs, txID)
	f.mu.Unlock()
	if !ok {
		return nil, "NotFoundException", "Transaction " + txID + " is not found"
	}
	tx.mu.Lock() // waits for a statement still running
	defer tx.mu.Unlock()
	defer tx.conn.Close()
	if _, err := tx.conn.ExecContext(context.Background(), stmt); err != nil {
		return nil, "BadRequestException", engineMessage(err)
	}
	if f.script.Engine == "mysql" {
		_, _ = tx.conn.ExecContext(context.Background(), "SET autocommit = 1")
	}
	return map[string]string{"transactionStatus": status}, "", ""
}
