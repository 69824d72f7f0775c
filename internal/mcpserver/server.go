package mcpserver

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/askdb/askdb/internal/pipeline"
	"github.com/askdb/askdb/internal/schema"
	"github.com/askdb/askdb/internal/source"
)

// Sources is what the server needs from the configured sources;
// *source.Set implements it.
type Sources interface {
	pipeline.Sources
	Names() []string
}

var _ Sources = (*source.Set)(nil)

// Options configure the MCP server.
type Options struct {
	Pipeline *pipeline.Pipeline
	Sources  Sources
	// Metrics returns the metrics dictionary served as askdb://metrics; nil
	// serves an empty list. The value is marshalled as JSON.
	Metrics func(ctx context.Context) (any, error)
	// MaxRows caps the rows a tool result shows; 0 means DefaultMaxRows.
	MaxRows int
	// Stateless makes the HTTP handler keep no session between requests,
	// for several replicas behind a load balancer.
	Stateless bool
	Version   string
	Logger    *slog.Logger
	// User names the caller of a tool for the audit log (over HTTP, the
	// identity the server's auth put in the request's context); nil
	// records no user, as for a local stdio client.
	User func(ctx context.Context) string
}

// DefaultMaxRows is how many rows a tool result shows by default: enough to
// answer, small enough for a model's context.
const DefaultMaxRows = 200

// Server is askdb's MCP server.
type Server struct {
	opts Options
	mcp  *mcp.Server
}

// New returns a Server with askdb's tools and resources registered.
func New(opts Options) *Server {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.MaxRows <= 0 {
		opts.MaxRows = DefaultMaxRows
	}
	if opts.Version == "" {
		opts.Version = "dev"
	}
	impl := &mcp.Implementation{Name: "askdb", Title: "askdb: ask your databases in plain language", Version: opts.Version}
	s := &Server{
		opts: opts,
		mcp: mcp.NewServer(impl, &mcp.ServerOptions{
			Instructions: instructions,
			Logger:       opts.Logger,
		}),
	}
	s.addTools()
	s.addResources()
	return s
}

const instructions = `askdb answers questions about the user's databases with read-only SQL.
Start with list_sources, then describe_schema (pass the question to see only the relevant tables).
Use ask for a complete answer, generate_sql to draft a query without running it, and execute_sql
to run a SELECT you wrote. Every query is checked: only one read-only statement is accepted, and
results are capped. Writes (INSERT, UPDATE, DELETE, DDL) are always refused.`

// RunStdio serves one client over stdin and stdout until ctx ends or the
// client disconnects.
func (s *Server) RunStdio(ctx context.Context) error {
	if err := s.Run(ctx, &mcp.StdioTransport{}); err != nil {
		return fmt.Errorf("mcp stdio: %w", err)
	}
	return nil
}

// Run serves one client over t until ctx ends or the client disconnects.
func (s *Server) Run(ctx context.Context, t mcp.Transport) error {
	if err := s.mcp.Run(ctx, t); err != nil && ctx.Err() == nil {
		return err
	}
	return nil
}

// Handler returns the streamable HTTP handler for s, to mount at /mcp.
func (s *Server) Handler() http.Handler {
	return mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return s.mcp }, &mcp.StreamableHTTPOptions{
		Stateless: s.opts.Stateless,
		Logger:    s.opts.Logger,
	})
}

// schema returns a source's prepared schema, shared with the pipeline,
// as the caller may see it, and its DDL: what the policy and the
// caller's access rules hide is not there, and the knowledge files'
// descriptions are, as in the prompt. A restricted caller's view has no
// sample values and no index.
func (s *Server) schema(ctx context.Context, name string) (*schema.Schema, string, error) {
	return s.opts.Pipeline.CallerSchema(ctx, name)
}
