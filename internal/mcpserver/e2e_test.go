package mcpserver_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/askdb/askdb/internal/llm/llmtest"
)

const countSQL = "SELECT count(*) FROM employees"

// progressLog collects progress notifications a client receives.
type progressLog struct {
	mu   sync.Mutex
	msgs []string
}

func (p *progressLog) add(_ context.Context, req *mcp.ProgressNotificationClientRequest) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.msgs = append(p.msgs, req.Params.Message)
}

// waitFor returns the progress messages once one starts with step (or
// after two seconds): notifications may arrive after the tool's result.
func (p *progressLog) waitFor(step string) []string {
	for range 200 {
		p.mu.Lock()
		got := slices.Clone(p.msgs)
		p.mu.Unlock()
		if slices.ContainsFunc(got, func(m string) bool { return strings.HasPrefix(m, step) }) {
			return got
		}
		time.Sleep(10 * time.Millisecond)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.msgs)
}

func modelEnv(t *testing.T) map[string]string {
	srv := llmtest.NewOpenAI(t, llmtest.Text("```sql\n"+countSQL+"\n```", 10, 5))
	return map[string]string{"ASKDB_MODEL": "openai:m", "OPENAI_BASE_URL": srv.BaseURL(), "OPENAI_API_KEY": "test"}
}

func TestStdioEndToEnd(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := askdbCmd(t, modelEnv(t), "mcp")
	progress := &progressLog{}
	client := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "1"}, &mcp.ClientOptions{ProgressNotificationHandler: progress.add})
	cs, err := client.Connect(ctx, &mcp.CommandTransport{Command: cmd}, nil)
	if err != nil {
		t.Fatalf("connect over stdio: %v", err)
	}
	defer cs.Close()
	exercise(ctx, t, cs, progress)
}

func TestHTTPEndToEnd(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := askdbCmd(t, modelEnv(t), "mcp", "--http", "127.0.0.1:0")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start askdb mcp --http: %v", err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	endpoint := waitForURL(t, stderr)

	progress := &progressLog{}
	client := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "1"}, &mcp.ClientOptions{ProgressNotificationHandler: progress.add})
	cs, err := client.Connect(ctx, &mcp.StreamableClientTransport{Endpoint: endpoint}, nil)
	if err != nil {
		t.Fatalf("connect over streamable HTTP: %v", err)
	}
	defer cs.Close()
	exercise(ctx, t, cs, progress)
}

var urlRE = regexp.MustCompile(`http://\S+/mcp`)

func waitForURL(t *testing.T, r io.Reader) string {
	t.Helper()
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			if u := urlRE.FindString(sc.Text()); u != "" {
				found <- u
				break
			}
		}
		_, _ = io.Copy(io.Discard, r)
	}()
	select {
	case u := <-found:
		return u
	case <-time.After(30 * time.Second):
		t.Fatal("askdb mcp --http did not print its address")
	}
	return ""
}

// exercise runs every tool and resource against the sample database.
func exercise(ctx context.Context, t *testing.T, cs *mcp.ClientSession, progress *progressLog) {
	t.Run("tools", func(t *testing.T) { checkTools(ctx, t, cs) })
	t.Run("list_sources", func(t *testing.T) {
		var out struct {
			Sources []struct {
				Name    string `json:"name"`
				Kind    string `json:"kind"`
				Default bool   `json:"default"`
			} `json:"sources"`
		}
		call(ctx, t, cs, "list_sources", map[string]any{}, false, &out)
		if len(out.Sources) != 1 || out.Sources[0].Name != "sample" || out.Sources[0].Kind != "sqlite" || !out.Sources[0].Default {
			t.Errorf("sources = %+v, want the one default sqlite source sample", out.Sources)
		}
	})
	t.Run("describe_schema", func(t *testing.T) { checkDescribe(ctx, t, cs) })
	t.Run("generate_sql", func(t *testing.T) {
		var out struct {
			SQL      string `json:"sql"`
			Dialect  string `json:"dialect"`
			Verified bool   `json:"verified"`
			Guard    struct {
				Accepted bool     `json:"accepted"`
				Tables   []string `json:"tables"`
			} `json:"guard"`
		}
		call(ctx, t, cs, "generate_sql", map[string]any{"question": "How many employees are there?"}, false, &out)
		if !strings.Contains(out.SQL, "FROM employees") || !out.Verified || !out.Guard.Accepted || out.Dialect != "sqlite" {
			t.Errorf("generate_sql = %+v, want verified, accepted SQL on employees", out)
		}
	})
	t.Run("execute_sql", func(t *testing.T) {
		var out queryOut
		call(ctx, t, cs, "execute_sql", map[string]any{"sql": "SELECT count(*) AS n FROM departments"}, false, &out)
		if diff := cmp.Diff([][]any{{float64(9)}}, out.Rows); diff != "" || out.RowCount != 1 || out.Columns[0].Name != "n" {
			t.Errorf("execute_sql = %+v; rows diff (-want +got):\n%s", out, diff)
		}
	})
	t.Run("execute_sql refuses a write", func(t *testing.T) {
		text := call(ctx, t, cs, "execute_sql", map[string]any{"sql": "DELETE FROM customers"}, true, nil)
		if !strings.Contains(text, "refused") || !strings.Contains(text, "read-only") {
			t.Errorf("refusal text = %q, want it to say the query was refused and why", text)
		}
		var out queryOut
		call(ctx, t, cs, "execute_sql", map[string]any{"sql": "SELECT count(*) FROM customers"}, false, &out)
		if diff := cmp.Diff([][]any{{float64(500)}}, out.Rows); diff != "" {
			t.Errorf("customers after the refused DELETE (-want +got):\n%s", diff)
		}
	})
	t.Run("ask with progress", func(t *testing.T) {
		params := &mcp.CallToolParams{Name: "ask", Arguments: map[string]any{"question": "How many employees are there?"}}
		params.SetProgressToken("tok-1")
		res, err := cs.CallTool(ctx, params)
		if err != nil || res.IsError {
			t.Fatalf("ask: %v %s", err, resultText(res))
		}
		var out queryOut
		decode(t, res, &out)
		if out.SQL == "" || len(out.Rows) != 1 || out.RowCount != 1 {
			t.Errorf("ask = %+v, want one row from the model's SQL", out)
		}
		msgs := progress.waitFor("execute")
		names := []string{}
		for _, m := range msgs {
			names = append(names, strings.SplitN(m, ":", 2)[0])
		}
		for _, want := range []string{"input", "route", "generate", "guard", "execute"} {
			if !slices.Contains(names, want) {
				t.Errorf("progress steps %v lack %q", names, want)
			}
		}
	})
	t.Run("resources", func(t *testing.T) { checkResources(ctx, t, cs) })
}

type queryOut struct {
	SQL     string `json:"sql"`
	Columns []struct {
		Name string `json:"name"`
	} `json:"columns"`
	Rows     [][]any `json:"rows"`
	RowCount int     `json:"row_count"`
}

func checkTools(ctx context.Context, t *testing.T, cs *mcp.ClientSession) {
	res, err := cs.ListTools(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	required := map[string][]string{}
	for _, tool := range res.Tools {
		if tool.Description == "" || tool.OutputSchema == nil {
			t.Errorf("tool %s lacks a description or output schema", tool.Name)
		}
		schema, _ := json.Marshal(tool.InputSchema)
		var s struct {
			Required []string `json:"required"`
		}
		_ = json.Unmarshal(schema, &s)
		required[tool.Name] = s.Required
	}
	want := map[string][]string{
		"ask": {"question"}, "describe_schema": nil, "execute_sql": {"sql"},
		"generate_sql": {"question"}, "list_sources": nil,
	}
	if diff := cmp.Diff(want, required); diff != "" {
		t.Errorf("tools and required arguments (-want +got):\n%s", diff)
	}
}

func checkDescribe(ctx context.Context, t *testing.T, cs *mcp.ClientSession) {
	var all struct {
		Tables      []string `json:"tables"`
		TotalTables int      `json:"total_tables"`
		DDL         string   `json:"ddl"`
	}
	call(ctx, t, cs, "describe_schema", map[string]any{}, false, &all)
	if all.TotalTables != 9 || len(all.Tables) != 9 || !strings.Contains(all.DDL, "CREATE TABLE employees") {
		t.Errorf("describe_schema{} = %d of %d tables, want all 9 with DDL", len(all.Tables), all.TotalTables)
	}
	var some struct {
		Tables []string `json:"tables"`
		DDL    string   `json:"ddl"`
	}
	call(ctx, t, cs, "describe_schema", map[string]any{"tables": []string{"departments"}}, false, &some)
	if diff := cmp.Diff([]string{"departments"}, some.Tables); diff != "" || strings.Contains(some.DDL, "CREATE TABLE orders") {
		t.Errorf("describe_schema{tables} (-want +got):\n%s", diff)
	}
	call(ctx, t, cs, "describe_schema", map[string]any{"question": "Which products sell best in orders?"}, false, &some)
	if !slices.Contains(some.Tables, "products") || len(some.Tables) >= 9 {
		t.Errorf("describe_schema{question} tables = %v, want a slice with products", some.Tables)
	}
	text := call(ctx, t, cs, "describe_schema", map[string]any{"tables": []string{"salaries"}}, true, nil)
	if !strings.Contains(text, `unknown table "salaries"`) || !strings.Contains(text, "employees") {
		t.Errorf("unknown table text = %q, want the name and the available tables", text)
	}
	text = call(ctx, t, cs, "describe_schema", map[string]any{"source": "warehouse"}, true, nil)
	if !strings.Contains(text, "list_sources") {
		t.Errorf("unknown source text = %q, want a pointer to list_sources", text)
	}
}

func checkResources(ctx context.Context, t *testing.T, cs *mcp.ClientSession) {
	list, err := cs.ListResources(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var uris []string
	for _, r := range list.Resources {
		uris = append(uris, r.URI)
	}
	if diff := cmp.Diff([]string{"askdb://metrics", "askdb://sources/sample/schema"}, uris); diff != "" {
		t.Errorf("resources (-want +got):\n%s", diff)
	}
	schema, err := cs.ReadResource(ctx, &mcp.ReadResourceParams{URI: "askdb://sources/sample/schema"})
	if err != nil || !strings.Contains(schema.Contents[0].Text, "CREATE TABLE orders") {
		t.Errorf("read schema: %v", err)
	}
	metrics, err := cs.ReadResource(ctx, &mcp.ReadResourceParams{URI: "askdb://metrics"})
	if err != nil || !json.Valid([]byte(metrics.Contents[0].Text)) {
		t.Errorf("read metrics: %v", err)
	}
	if _, err := cs.ReadResource(ctx, &mcp.ReadResourceParams{URI: "askdb://sources/nope/schema"}); err == nil {
		t.Error("reading an unknown source's schema succeeded")
	}
}

// call calls a tool, checks isError against wantErr, decodes the structured
// result into out (when not nil) and returns the text content.
func call(ctx context.Context, t *testing.T, cs *mcp.ClientSession, name string, args map[string]any, wantErr bool, out any) string {
	t.Helper()
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		t.Fatalf("%s: protocol error: %v", name, err)
	}
	if res.IsError != wantErr {
		t.Fatalf("%s: isError = %v, want %v: %s", name, res.IsError, wantErr, resultText(res))
	}
	if out != nil {
		decode(t, res, out)
	}
	return resultText(res)
}

func decode(t *testing.T, res *mcp.CallToolResult, out any) {
	t.Helper()
	data, err := json.Marshal(res.StructuredContent)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, out); err != nil {
		t.Fatalf("decode %s: %v", data, err)
	}
}

func resultText(res *mcp.CallToolResult) string {
	if res == nil {
		return ""
	}
	var b strings.Builder
	for _, c := range res.Content {
		if tc, ok := c.(*mcp.TextContent); ok {
			b.WriteString(tc.Text)
		}
	}
	return b.String()
}
