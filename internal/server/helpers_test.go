package server

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/knowledge"
	"github.com/askdb/askdb/internal/llm"
	"github.com/askdb/askdb/internal/llm/llmtest"
	_ "github.com/askdb/askdb/internal/llm/openai"
	"github.com/askdb/askdb/internal/pipeline"
	"github.com/askdb/askdb/internal/sample"
	"github.com/askdb/askdb/internal/source"
	_ "github.com/askdb/askdb/internal/source/postgres"
	"github.com/askdb/askdb/internal/source/sourcetest"
	_ "github.com/askdb/askdb/internal/source/sqlite"
	"github.com/askdb/askdb/internal/store"
)

// samplePath is the sample database shared by the package's tests
// (read-only: every query runs in a read-only transaction).
var samplePath string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "askdb-server-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	samplePath = filepath.Join(dir, "sample.db")
	if err := sample.EnsureSQLite(context.Background(), samplePath, sourcetest.Options()); err != nil {
		fmt.Fprintln(os.Stderr, "sample database:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// env is a real server over the SQLite sample, a real SQLite store and a
// scripted OpenAI-compatible model server.
type env struct {
	t     testing.TB
	ts    *httptest.Server
	srv   *Server
	model *llmtest.Server
	store store.Store
	key   string
}

type envOption func(*Options, *config.Config)

func withServer(f func(*config.Server)) envOption {
	return func(o *Options, _ *config.Config) { f(&o.Config) }
}

// sqlReply is a model reply holding one SQL block.
func sqlReply(sql string) llmtest.Reply {
	return llmtest.Text("```sql\n"+sql+"\n```", 10, 5)
}

func newEnv(t testing.TB, replies []llmtest.Reply, opts ...envOption) *env {
	t.Helper()
	ctx := context.Background()
	model := llmtest.NewOpenAI(t, replies...)
	cfg := &config.Config{
		Sources: map[string]config.Source{"sample": {Kind: "sqlite", Path: samplePath, Description: "the sample"}},
		Models:  map[string]config.Model{"sql": {Kind: "openai", Model: "m", BaseURL: model.BaseURL()}},
	}
	st, err := store.OpenSQLite(ctx, filepath.Join(t.TempDir(), "store.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	o := Options{Store: st}
	for _, f := range opts {
		f(&o, cfg)
	}
	m, err := llm.Open(ctx, "sql", cfg.Models["sql"], llm.Options{RetryBaseDelay: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	set := source.NewSet(cfg, nil)
	t.Cleanup(func() { set.Close() })
	summary := false
	var pst store.Store = st
	if wrapped, ok := o.Store.(store.Store); ok {
		pst = wrapped // an option wrapped the store: the pipeline uses it too
	}
	popts := pipeline.Options{Sources: set, SQLModel: m, Summary: summary, RepairAttempts: 1, Store: pst, Access: cfg.Access}
	if on := cfg.Ask.Cache.Enabled; on != nil && *on { // off unless a test turns it on
		popts.Cache = pipeline.OptionsFromConfig(cfg).Cache
	}
	if files := cfg.Sources["sample"].Knowledge; len(files) > 0 {
		k, err := knowledge.Load(files...)
		if err != nil {
			t.Fatal(err)
		}
		popts.Knowledge = map[string]*knowledge.Knowledge{"sample": k}
	}
	o.Pipeline, o.Sources = pipeline.New(popts), set
	srv, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	e := &env{t: t, ts: ts, srv: srv, model: model, store: st}
	if len(o.Config.APIKeys) > 0 {
		e.key = o.Config.APIKeys[0]
	}
	return e
}

// do sends a request and returns the response with its body read.
func (e *env) do(method, path, body string, header ...string) (*http.Response, []byte) {
	e.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.ts.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if e.key != "" {
		req.Header.Set("Authorization", "Bearer "+e.key)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := e.ts.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp, b
}

// answerJSON is the part of an answer the tests look at.
type answerJSON struct {
	ID        string `json:"id"`
	Outcome   string `json:"outcome"`
	Message   string `json:"message"`
	SQL       string `json:"sql"`
	Verified  bool   `json:"verified"`
	RowCount  int    `json:"row_count"`
	Truncated bool   `json:"truncated"`
	Rows      [][]any
	Columns   []struct{ Name string }
	Steps     []struct{ Name string }
	Chart     struct {
		Kind string
		X    string
		Y    []string
	}
	ConversationID string `json:"conversation_id"`
}

func decodeAs[T any](t testing.TB, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decode %q: %v", b, err)
	}
	return v
}

type errorJSON struct {
	Error struct {
		Code, Message string
		AnswerID      string `json:"answer_id"`
	}
}

// sseEvent is one parsed server-sent event; comments are kept apart.
type sseEvent struct {
	name, data string
}

// readSSE parses an event stream strictly: every field line is "event:",
// "data:" or a comment, and events end with a blank line.
func readSSE(t testing.TB, r io.Reader) (events []sseEvent, comments int) {
	t.Helper()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	var cur sseEvent
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if cur.name != "" || cur.data != "" {
				events = append(events, cur)
			}
			cur = sseEvent{}
		case strings.HasPrefix(line, ":"):
			comments++
		case strings.HasPrefix(line, "event: "):
			cur.name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			if cur.data != "" {
				t.Errorf("event %q has several data lines", cur.name)
			}
			cur.data = strings.TrimPrefix(line, "data: ")
		default:
			t.Errorf("unexpected SSE line %q", line)
		}
	}
	if cur.name != "" || cur.data != "" {
		t.Errorf("stream ended inside event %q", cur.name)
	}
	return events, comments
}

// coreSteps are the steps every answered question passes, in order; the
// pipeline may add others between them.
var coreSteps = []string{"input", "retrieve", "generate", "guard", "verify", "execute", "summary"}

// subsequence reports whether want appears in got in order.
func subsequence(want, got []string) bool {
	i := 0
	for _, g := range got {
		if i < len(want) && g == want[i] {
			i++
		}
	}
	return i == len(want)
}
