package mcpserver

import (
	"context"
	"fmt"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/pipeline"
	"github.com/askdb/askdb/internal/retrieve"
	"github.com/askdb/askdb/internal/route"
	"github.com/askdb/askdb/internal/schema"
	"github.com/askdb/askdb/internal/source"
)

// ListSourcesInput takes no arguments.
type ListSourcesInput struct{}

// SourceInfo describes one configured source.
type SourceInfo struct {
	Name        string `json:"name" jsonschema:"the name to pass as source to the other tools"`
	Kind        string `json:"kind" jsonschema:"database kind, e.g. postgres, mysql, sqlite"`
	Description string `json:"description,omitempty" jsonschema:"what the source holds"`
	// Domains let an agent route a question itself.
	Domains []string `json:"domains,omitempty" jsonschema:"business domains the source's knowledge files define"`
	Default bool     `json:"default" jsonschema:"true for the source that breaks a routing tie when a tool is called without source"`
}

// ListSourcesOutput lists the sources.
type ListSourcesOutput struct {
	Sources []SourceInfo `json:"sources"`
}

// DescribeSchemaInput asks for a source's schema.
type DescribeSchemaInput struct {
	Source   string   `json:"source,omitempty" jsonschema:"source name from list_sources; omit for the default source"`
	Tables   []string `json:"tables,omitempty" jsonschema:"only these tables (bare or schema-qualified names)"`
	Question string   `json:"question,omitempty" jsonschema:"the user's question; when given only the tables relevant to it are returned"`
}

// DescribeSchemaOutput is a slice of a schema as DDL.
type DescribeSchemaOutput struct {
	Source      string   `json:"source"`
	Dialect     string   `json:"dialect" jsonschema:"SQL dialect to write queries in"`
	Tables      []string `json:"tables" jsonschema:"the tables shown in ddl"`
	TotalTables int      `json:"total_tables" jsonschema:"how many tables the source has in all"`
	DDL         string   `json:"ddl" jsonschema:"CREATE TABLE statements with comments, row counts and foreign keys"`
	Note        string   `json:"note,omitempty"`
}

// QuestionInput is a question in plain language.
type QuestionInput struct {
	Question string `json:"question" jsonschema:"the question in plain language, e.g. 'top 5 customers by revenue in 2024'"`
	Source   string `json:"source,omitempty" jsonschema:"source name from list_sources; omit to let askdb route the question to the source it is about"`
	NoCache  bool   `json:"no_cache,omitempty" jsonschema:"true refuses a cached answer to the same or a similar question and asks the model again"`
}

// ExecuteSQLInput is a query to run.
type ExecuteSQLInput struct {
	SQL    string `json:"sql" jsonschema:"one read-only SELECT (or WITH … SELECT) statement in the source's dialect"`
	Source string `json:"source,omitempty" jsonschema:"source name from list_sources; omit for the default source"`
}

// Guard is the guard's verdict on a query.
type Guard struct {
	Accepted bool     `json:"accepted"`
	Tables   []string `json:"tables,omitempty" jsonschema:"tables the query reads"`
	Limited  bool     `json:"limited,omitempty" jsonschema:"true when a LIMIT was added"`
	Message  string   `json:"message,omitempty"`
}

// GenerateSQLOutput is SQL that passed the guard and EXPLAIN, not run.
type GenerateSQLOutput struct {
	Source      string `json:"source"`
	Dialect     string `json:"dialect"`
	SQL         string `json:"sql"`
	Explanation string `json:"explanation,omitempty"`
	Verified    bool   `json:"verified" jsonschema:"true when the database's EXPLAIN accepted the query"`
	Guard       Guard  `json:"guard"`
	Routed
}

// Routed says how askdb chose the source when the call named none, or
// asks the caller to choose.
type Routed struct {
	Route         *route.Decision         `json:"route,omitempty" jsonschema:"how the source was chosen when none was given: the reason and each candidate's matching tables"`
	Clarification *pipeline.Clarification `json:"clarification,omitempty" jsonschema:"set when several sources match: call again with the question and the chosen source"`
	Message       string                  `json:"message,omitempty"`
}

// Column is one result column.
type Column struct {
	Name string `json:"name"`
	Type string `json:"type" jsonschema:"text, integer, decimal, float, boolean, date, timestamp, …"`
}

// QueryOutput is the result of a query.
type QueryOutput struct {
	Source    string   `json:"source"`
	SQL       string   `json:"sql" jsonschema:"the SQL that ran, with any LIMIT the guard added"`
	Verified  bool     `json:"verified"`
	Columns   []Column `json:"columns"`
	Rows      [][]any  `json:"rows"`
	RowCount  int      `json:"row_count" jsonschema:"rows returned by the database"`
	Truncated bool     `json:"truncated" jsonschema:"true when rows were cut by a row or size cap"`
	Summary   string   `json:"summary,omitempty" jsonschema:"one-line answer"`
	Note      string   `json:"note,omitempty"`
	Routed
}

func (s *Server) addTools() {
	readOnly := &mcp.ToolAnnotations{ReadOnlyHint: true, IdempotentHint: true, OpenWorldHint: ptr(false)}
	mcp.AddTool(s.mcp, &mcp.Tool{
		Name:        "list_sources",
		Title:       "List databases",
		Description: "List the databases (sources) askdb can query, with what each holds. Call this first when you do not know which source to use.",
		Annotations: readOnly,
	}, s.listSources)
	mcp.AddTool(s.mcp, &mcp.Tool{
		Name:  "describe_schema",
		Title: "Describe a schema",
		Description: "Return tables, columns, keys and comments of a source as CREATE TABLE statements. " +
			"Pass question to get only the tables relevant to it (recommended for large databases), or tables to get specific ones.",
		Annotations: readOnly,
	}, s.describeSchema)
	mcp.AddTool(s.mcp, &mcp.Tool{
		Name:  "generate_sql",
		Title: "Write SQL for a question",
		Description: "Write a read-only SQL query answering a question, check it with askdb's guard and the database's EXPLAIN, " +
			"and return it with an explanation without running it. Use execute_sql to run it.",
		Annotations: readOnly,
	}, s.generateSQL)
	mcp.AddTool(s.mcp, &mcp.Tool{
		Name:  "execute_sql",
		Title: "Run a read-only query",
		Description: "Run one read-only SELECT on a source and return the rows (capped). The query is parsed and refused unless it is " +
			"a single read-only statement; writes and DDL always fail. Use describe_schema first to get table and column names right.",
		Annotations: readOnly,
	}, s.executeSQL)
	mcp.AddTool(s.mcp, &mcp.Tool{
		Name:  "ask",
		Title: "Answer a question",
		Description: "Answer a question about the data in plain language: askdb finds the tables, writes SQL, proves it read-only, " +
			"checks it with EXPLAIN, runs it with limits and returns the SQL, the rows and a one-line summary.",
		Annotations: readOnly,
	}, s.ask)
}

func ptr[T any](v T) *T { return &v }

func (s *Server) listSources(_ context.Context, _ *mcp.CallToolRequest, _ ListSourcesInput) (*mcp.CallToolResult, ListSourcesOutput, error) {
	def, _ := s.opts.Sources.Resolve("")
	out := ListSourcesOutput{Sources: []SourceInfo{}}
	for _, name := range s.opts.Sources.Names() {
		cfg := s.opts.Sources.Config(name)
		out.Sources = append(out.Sources, SourceInfo{Name: name, Kind: source.DatabaseOf(cfg.Kind), Description: cfg.Description, Domains: s.opts.Pipeline.SourceDomains(name), Default: name == def})
	}
	return nil, out, nil
}

func (s *Server) describeSchema(ctx context.Context, _ *mcp.CallToolRequest, in DescribeSchemaInput) (*mcp.CallToolResult, DescribeSchemaOutput, error) {
	sch, _, err := s.schema(ctx, in.Source)
	if err != nil {
		return nil, DescribeSchemaOutput{}, classify(err)
	}
	cat := sch.Catalog
	out := DescribeSchemaOutput{Source: sch.Source, Dialect: string(cat.Dialect), TotalTables: len(cat.Tables)}
	want := in.Tables
	if err := checkTables(cat, want); err != nil {
		return nil, out, err
	}
	if len(want) == 0 && strings.TrimSpace(in.Question) != "" && sch.Index != nil {
		// The prompt's own retrieval, synonyms and descriptions included.
		if want = sch.Index.Link(ctx, in.Question, retrieve.Options{}).TableNames(); len(want) == 0 {
			out.Note = "no table matched the question; all tables are shown"
		}
	}
	opts := schema.DDLOptions
	opts.Tables = want
	out.DDL = cat.DDL(opts)
	out.Tables = tableNames(cat, want)
	return nil, out, nil
}

// checkTables reports requested tables the catalog does not have.
func checkTables(cat *catalog.Catalog, names []string) error {
	var unknown []string
	for _, n := range names {
		if _, ok := cat.Table(n); !ok {
			unknown = append(unknown, fmt.Sprintf("%q", n))
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	return &toolError{msg: fmt.Sprintf("unknown table %s in source %q. Available tables: %s. Call describe_schema without tables to see them all.",
		strings.Join(unknown, ", "), cat.Source, strings.Join(tableNames(cat, nil), ", "))}
}

func tableNames(cat *catalog.Catalog, only []string) []string {
	want := map[string]bool{}
	for _, n := range only {
		want[strings.ToLower(n)] = true
	}
	names := []string{}
	for i := range cat.Tables {
		t := &cat.Tables[i]
		if len(want) == 0 || want[strings.ToLower(t.QualifiedName())] || want[strings.ToLower(t.Name)] {
			names = append(names, t.QualifiedName())
		}
	}
	return names
}

func (s *Server) generateSQL(ctx context.Context, req *mcp.CallToolRequest, in QuestionInput) (*mcp.CallToolResult, GenerateSQLOutput, error) {
	ans, err := s.opts.Pipeline.Ask(ctx, pipeline.Request{Question: in.Question, Source: in.Source, DryRun: true, Observer: s.progress(ctx, req), User: s.user(ctx), NoCache: in.NoCache})
	if err := answerError(ans, err, pipeline.Generated, pipeline.Answered, pipeline.Clarify); err != nil {
		return nil, GenerateSQLOutput{}, err
	}
	out := GenerateSQLOutput{Source: ans.Source, Dialect: string(ans.Dialect), SQL: ans.SQL, Explanation: ans.Explanation, Verified: ans.Verified, Routed: routed(ans)}
	if v := ans.Verdict; v != nil {
		out.Guard = Guard{Accepted: v.Accepted, Tables: v.Tables, Limited: v.Limited, Message: v.Message}
	}
	return nil, out, nil
}

func (s *Server) executeSQL(ctx context.Context, req *mcp.CallToolRequest, in ExecuteSQLInput) (*mcp.CallToolResult, QueryOutput, error) {
	if strings.TrimSpace(in.SQL) == "" {
		return nil, QueryOutput{}, &toolError{msg: "sql is empty: pass one read-only SELECT statement"}
	}
	ans, err := s.opts.Pipeline.RunSQLFor(ctx, pipeline.SQLRequest{Source: in.Source, SQL: in.SQL, Observer: s.progress(ctx, req), User: s.user(ctx)})
	if err := answerError(ans, err, pipeline.Answered); err != nil {
		return nil, QueryOutput{}, err
	}
	return nil, s.queryOutput(ans), nil
}

func (s *Server) ask(ctx context.Context, req *mcp.CallToolRequest, in QuestionInput) (*mcp.CallToolResult, QueryOutput, error) {
	ans, err := s.opts.Pipeline.Ask(ctx, pipeline.Request{Question: in.Question, Source: in.Source, Observer: s.progress(ctx, req), User: s.user(ctx), NoCache: in.NoCache})
	if err := answerError(ans, err, pipeline.Answered, pipeline.Clarify); err != nil {
		return nil, QueryOutput{}, err
	}
	out := s.queryOutput(ans)
	out.Routed = routed(ans)
	return nil, out, nil
}

// routed carries the routing decision, and the clarification of a close
// call, which is a normal result: the caller chooses and calls again.
func routed(ans *pipeline.Answer) Routed {
	r := Routed{Route: ans.Route}
	if ans.Outcome == pipeline.Clarify {
		r.Clarification, r.Message = ans.Clarification, ans.Message
	}
	return r
}

// queryOutput shapes an answer for a model: rows capped at MaxRows.
func (s *Server) queryOutput(ans *pipeline.Answer) QueryOutput {
	out := QueryOutput{
		Source: ans.Source, SQL: ans.SQL, Verified: ans.Verified, Columns: []Column{}, Rows: ans.Rows,
		RowCount: ans.RowCount, Truncated: ans.Truncated, Summary: ans.Summary,
	}
	for _, c := range ans.Columns {
		out.Columns = append(out.Columns, Column{Name: c.Name, Type: string(c.Type)})
	}
	if out.Rows == nil {
		out.Rows = [][]any{}
	}
	if len(out.Rows) > s.opts.MaxRows {
		out.Rows, out.Truncated = out.Rows[:s.opts.MaxRows], true
		out.Note = fmt.Sprintf("showing the first %d of %d rows; aggregate or filter in SQL to see less", s.opts.MaxRows, ans.RowCount)
	} else if ans.Truncated {
		out.Note = fmt.Sprintf("the source's row or size cap stopped the result at %d rows; aggregate or filter in SQL", ans.RowCount)
	}
	return out
}

// user names the caller for the audit log.
func (s *Server) user(ctx context.Context) string {
	if s.opts.User == nil {
		return ""
	}
	return s.opts.User(ctx)
}
