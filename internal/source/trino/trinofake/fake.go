package trinofake

import (
	"context"
	"crypto/rand"
	"database/sql"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

//go:embed meta.sql
var metaSQL string

// Options configure a fake coordinator.
type Options struct {
	// DB is the PostgreSQL database that holds the catalog's schemas.
	// New installs the metadata views (schema trino_meta) into it.
	DB *sql.DB
	// Catalog is the name of the one catalog the fake serves.
	Catalog string
	// Rules is the file-based access control; nil allows everything.
	Rules *Rules
	// Passwords, when set, makes the fake a TLS server that requires HTTP
	// Basic authentication with one of these user/password pairs.
	Passwords map[string]string
	// PageSize is the most rows one response carries (default 20), so that
	// results of more rows page through nextUri.
	PageSize int
	// Wait is how long a GET waits for a running query before it answers
	// RUNNING with a next URI (default 50ms; Trino waits up to a second).
	Wait time.Duration
}

// Request is one HTTP request the fake received, for tests to inspect.
type Request struct {
	Method, Path string
	User         string
	Session      []string // X-Trino-Session values
	Transaction  string   // X-Trino-Transaction-Id
	Source       string   // X-Trino-Source
	SQL          string   // the statement, on POST
}

// Server is a running fake coordinator.
type Server struct {
	URL  string
	HTTP *httptest.Server
	opts Options

	mu       sync.Mutex
	queries  map[string]*query
	txns     map[string]bool // transaction id: read only
	requests []Request
}

// New starts a fake coordinator over opts.DB and stops it in t.Cleanup.
func New(t testing.TB, opts Options) *Server {
	t.Helper()
	if opts.PageSize <= 0 {
		opts.PageSize = 20
	}
	if opts.Wait <= 0 {
		opts.Wait = 50 * time.Millisecond
	}
	if _, err := opts.DB.Exec(metaSQL); err != nil {
		t.Fatalf("trinofake: install metadata views: %v", err)
	}
	s := &Server{opts: opts, queries: map[string]*query{}, txns: map[string]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/statement", s.submit)
	mux.HandleFunc("HEAD /v1/statement", s.head)
	mux.HandleFunc("GET /v1/info", s.info)
	mux.HandleFunc("GET /v1/statement/executing/{id}/{slug}/{token}", s.next)
	mux.HandleFunc("DELETE /v1/statement/executing/{id}/{slug}/{token}", s.cancel)
	mux.HandleFunc("DELETE /v1/query/{id}", s.cancel)
	h := s.record(mux)
	if opts.Passwords != nil {
		s.HTTP = httptest.NewTLSServer(h)
	} else {
		s.HTTP = httptest.NewServer(h)
	}
	s.URL = s.HTTP.URL
	t.Cleanup(s.Close)
	return s
}

// Close cancels every query and stops the server.
func (s *Server) Close() {
	s.mu.Lock()
	for _, q := range s.queries {
		q.stop()
	}
	s.mu.Unlock()
	s.HTTP.Close()
}

// Requests returns the requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Running returns how many queries are still executing on the backing
// database: a cancelled or abandoned query must not stay running.
func (s *Server) Running() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, q := range s.queries {
		select {
		case <-q.done:
		default:
			n++
		}
	}
	return n
}

func (s *Server) record(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req := Request{
			Method: r.Method, Path: r.URL.Path, User: r.Header.Get("X-Trino-User"),
			Session: r.Header.Values("X-Trino-Session"), Transaction: r.Header.Get("X-Trino-Transaction-Id"),
			Source: r.Header.Get("X-Trino-Source"),
		}
		if r.Method == http.MethodPost {
			b, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			req.SQL = string(b)
			r.Body = io.NopCloser(strings.NewReader(req.SQL))
		}
		s.mu.Lock()
		s.requests = append(s.requests, req)
		s.mu.Unlock()
		h.ServeHTTP(w, r)
	})
}

// authenticate answers 401 or 400 as Trino does and returns false when the
// request may not submit a statement.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) bool {
	if s.opts.Passwords != nil {
		user, pass, ok := r.BasicAuth()
		if want, known := s.opts.Passwords[user]; !ok || !known || want != pass {
			w.Header().Set("WWW-Authenticate", `Basic realm="Trino"`)
			http.Error(w, "Unauthorized", http.StatusUnauthorized)
			return false
		}
		if u := r.Header.Get("X-Trino-User"); u != "" && u != user {
			http.Error(w, fmt.Sprintf("Access Denied: User %s cannot impersonate user %s", user, u), http.StatusForbidden)
			return false
		}
	}
	if r.Header.Get("X-Trino-User") == "" {
		http.Error(w, "Error 400 Bad Request: User must be set", http.StatusBadRequest)
		return false
	}
	return true
}

// info is GET /v1/info, which Trino answers without authentication.
func (s *Server) info(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, map[string]any{"nodeVersion": map[string]string{"version": Version}, "environment": "trinofake",
		"coordinator": true, "starting": false, "uptime": "1.00m"})
}

// head is HEAD /v1/statement, which Trino (469 and later) answers 200 to
// an authenticated user without starting a query.
func (s *Server) head(w http.ResponseWriter, r *http.Request) {
	if s.authenticate(w, r) {
		w.WriteHeader(http.StatusOK)
	}
}

// Version is the version the fake reports, at /v1/info and as version().
const Version = "476-trinofake"

// submit is POST /v1/statement.
func (s *Server) submit(w http.ResponseWriter, r *http.Request) {
	if !s.authenticate(w, r) {
		return
	}
	b, _ := io.ReadAll(r.Body)
	st := statement{
		sql: strings.TrimSpace(string(b)), user: r.Header.Get("X-Trino-User"),
		catalog: r.Header.Get("X-Trino-Catalog"), schema: r.Header.Get("X-Trino-Schema"),
		txn: r.Header.Get("X-Trino-Transaction-Id"),
	}
	q := s.newQuery()
	if err := st.parseSession(r.Header.Values("X-Trino-Session")); err != nil {
		q.finish(nil, nil, err)
	} else if handled := s.transaction(w, q, st); !handled {
		s.start(q, st)
	}
	writeJSON(w, q.response(s.URL, s.opts.PageSize, false))
}

// transaction handles START TRANSACTION, COMMIT and ROLLBACK, and refuses
// statements in an unknown transaction. It reports whether it finished q.
func (s *Server) transaction(w http.ResponseWriter, q *query, st statement) bool {
	word := strings.ToUpper(firstWords(st.sql, 2))
	s.mu.Lock()
	defer s.mu.Unlock()
	_, known := s.txns[st.txn]
	switch {
	case strings.HasPrefix(word, "START TRANSACTION"):
		if st.txn != "NONE" {
			q.finish(nil, nil, trinoError("NOT_SUPPORTED", 13, "USER_ERROR", "Multi-statement transactions are not supported by this client"))
			return true
		}
		id := newID()
		s.txns[id] = strings.Contains(strings.ToUpper(st.sql), "READ ONLY")
		w.Header().Set("X-Trino-Started-Transaction-Id", id)
		q.update("START TRANSACTION")
		return true
	case word == "COMMIT" || word == "ROLLBACK":
		if !known {
			q.finish(nil, nil, trinoError("NOT_IN_TRANSACTION", 21, "USER_ERROR", "No transaction in progress"))
			return true
		}
		delete(s.txns, st.txn)
		w.Header().Set("X-Trino-Clear-Transaction-Id", "true")
		q.update(word)
		return true
	case st.txn != "" && st.txn != "NONE" && !known:
		q.finish(nil, nil, trinoError("UNKNOWN_TRANSACTION", 20, "USER_ERROR", "Unknown transaction ID: "+st.txn+". Possibly expired? Commands ignored until end of transaction block"))
		return true
	}
	st.readOnly = s.txns[st.txn]
	return false
}

// start checks access and runs the statement in the background.
func (s *Server) start(q *query, st statement) {
	s.mu.Lock()
	st.readOnly = s.txns[st.txn]
	s.mu.Unlock()
	if st.catalog != "" && st.catalog != s.opts.Catalog {
		q.finish(nil, nil, trinoError("CATALOG_NOT_FOUND", 44, "USER_ERROR", fmt.Sprintf("Catalog '%s' not found", st.catalog)))
		return
	}
	if msg := s.opts.Rules.Check(st.user, s.opts.Catalog, st.schema, st.sql); msg != "" {
		q.finish(nil, nil, trinoError("PERMISSION_DENIED", 4, "USER_ERROR", msg))
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	q.cancelRun = cancel
	go func() {
		defer cancel()
		cols, rows, err := s.execute(ctx, st)
		if ctx.Err() != nil && err != nil {
			err = trinoError("USER_CANCELED", 3, "USER_ERROR", "Query was canceled")
		}
		q.finish(cols, rows, err)
	}()
}

func (s *Server) newQuery() *query {
	q := &query{id: time.Now().UTC().Format("20060102_150405") + "_" + newID()[:5], slug: "y" + newID()[:8], done: make(chan struct{})}
	s.mu.Lock()
	s.queries[q.id] = q
	s.mu.Unlock()
	return q
}

func (s *Server) lookup(w http.ResponseWriter, r *http.Request) (*query, bool) {
	s.mu.Lock()
	q, ok := s.queries[r.PathValue("id")]
	s.mu.Unlock()
	if !ok || (r.PathValue("slug") != "" && r.PathValue("slug") != q.slug) {
		http.Error(w, "Query not found", http.StatusNotFound)
		return nil, false
	}
	return q, true
}

// next is GET on a nextUri: wait a little for the query, then answer a
// page of data, RUNNING, or the error.
func (s *Server) next(w http.ResponseWriter, r *http.Request) {
	q, ok := s.lookup(w, r)
	if !ok {
		return
	}
	token, err := strconv.Atoi(r.PathValue("token"))
	if err != nil || !q.expect(token) {
		http.Error(w, "Gone: stale token", http.StatusGone)
		return
	}
	select {
	case <-q.done:
	case <-time.After(s.opts.Wait):
	case <-r.Context().Done():
		return
	}
	writeJSON(w, q.response(s.URL, s.opts.PageSize, true))
}

// cancel is DELETE on a nextUri or on /v1/query/{id}.
func (s *Server) cancel(w http.ResponseWriter, r *http.Request) {
	q, ok := s.lookup(w, r)
	if !ok {
		return
	}
	q.stop()
	w.WriteHeader(http.StatusNoContent)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func newID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// firstWords returns the first n words of s, upper or lower as written.
func firstWords(s string, n int) string {
	return strings.Join(strings.Fields(s)[:min(n, len(strings.Fields(s)))], " ")
}
