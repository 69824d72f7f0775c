package server

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/llm/llmtest"
	"github.com/askdb/askdb/internal/mcpserver"
	"github.com/askdb/askdb/internal/pipeline"
	"github.com/askdb/askdb/internal/store"
)

// recordingStore is the real store, also noting who each saved answer
// belongs to.
type recordingStore struct {
	store.Store
	mu    sync.Mutex
	users []string
}

func (r *recordingStore) SaveAnswer(ctx context.Context, a store.AnswerRecord) error {
	r.mu.Lock()
	r.users = append(r.users, a.User)
	r.mu.Unlock()
	return r.Store.SaveAnswer(ctx, a)
}

type bearer struct{ key string }

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.key)
	return http.DefaultTransport.RoundTrip(r)
}

// TestMCPCallerInAuditLog: a tool called over /mcp with an API key is
// audited under that key's user, as /api/sql is, not as nobody.
func TestMCPCallerInAuditLog(t *testing.T) {
	var mcpHandler http.Handler
	rec := &recordingStore{}
	e := newEnv(t, []llmtest.Reply{sqlReply("SELECT 1 AS one")}, func(o *Options, c *config.Config) {
		o.Config.APIKeys = []string{"k-mcp"}
		rec.Store = o.Store.(store.Store)
		o.Store = rec
		o.Mounts = map[string]http.Handler{"/mcp": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { mcpHandler.ServeHTTP(w, r) })}
	})
	mcpHandler = mcpserver.New(mcpserver.Options{Pipeline: e.srv.opts.Pipeline.(*pipeline.Pipeline), Sources: e.srv.opts.Sources, Stateless: true, User: UserFrom}).Handler()

	ctx := context.Background()
	client := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "1"}, nil)
	cs, err := client.Connect(ctx, &mcp.StreamableClientTransport{Endpoint: e.ts.URL + "/mcp", HTTPClient: &http.Client{Transport: bearer{"k-mcp"}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "execute_sql", Arguments: map[string]any{"sql": "SELECT 1 AS one", "source": "sample"}})
	if err != nil || res.IsError {
		t.Fatalf("execute_sql: %v %+v", err, res)
	}
	e.do("POST", "/api/sql", `{"sql":"SELECT 2 AS two","source":"sample"}`)
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.users) != 2 || rec.users[0] == "" || rec.users[0] != rec.users[1] {
		t.Errorf("audited users %q: want the API key's user for both the MCP call and /api/sql", rec.users)
	}
}
