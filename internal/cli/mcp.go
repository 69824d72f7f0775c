package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/askdb/askdb/internal/knowledge"
	"github.com/askdb/askdb/internal/mcpserver"
	"github.com/askdb/askdb/internal/pipeline"
	"github.com/askdb/askdb/internal/store"
)

func init() { extraCommands = append(extraCommands, newMCPCmd) }

func newMCPCmd(a *app) *cobra.Command {
	var addr, model string
	var stateless bool
	cmd := &cobra.Command{
		Use:   "mcp [--http ADDR]",
		Short: "Serve askdb's tools to AI assistants over the Model Context Protocol",
		Long: `Serve askdb as an MCP server: tools list_sources, describe_schema, generate_sql,
execute_sql and ask, and each source's schema and the metrics dictionary as
resources. It speaks stdio by default (for Claude Desktop and other local
clients); --http ADDR serves streamable HTTP at http://ADDR/mcp instead.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			st := a.optionalStore(ctx)
			if st != nil {
				defer st.Close()
			}
			srv, err := a.mcpServer(ctx, model, stateless, st)
			if err != nil {
				return err
			}
			if addr == "" {
				return srv.RunStdio(ctx)
			}
			return a.serveMCPHTTP(ctx, addr, srv.Handler())
		},
	}
	cmd.Flags().StringVar(&addr, "http", "", "serve streamable HTTP on this address (e.g. 127.0.0.1:8081) instead of stdio")
	cmd.Flags().StringVar(&model, "model", "", "model name from askdb.yaml, or kind:model-id")
	cmd.Flags().BoolVar(&stateless, "stateless", false, "with --http: keep no sessions (for several replicas behind a load balancer)")
	return cmd
}

// mcpServer builds the MCP server over the app's sources, models and
// store (the audit log and question bank), or none when st is nil.
func (a *app) mcpServer(ctx context.Context, model string, stateless bool, st store.Store) (*mcpserver.Server, error) {
	p, err := a.newPipeline(ctx, model, st)
	if err != nil {
		return nil, err
	}
	return a.newMCPServer(p, stateless, nil), nil
}

// newMCPServer serves p's abilities as MCP tools; user names the caller
// for the audit log (nil: none).
func (a *app) newMCPServer(p *pipeline.Pipeline, stateless bool, user func(context.Context) string) *mcpserver.Server {
	return mcpserver.New(mcpserver.Options{
		Pipeline:  p,
		Sources:   a.sources,
		Metrics:   a.allMetrics(),
		Stateless: stateless,
		Version:   Version,
		Logger:    a.logger,
		User:      user,
	})
}

func (a *app) serveMCPHTTP(ctx context.Context, addr string, h http.Handler) error {
	if !loopbackAddr(addr) {
		return &usageError{fmt.Errorf("mcp --http %q: askdb mcp serves without authentication, so it listens only on a loopback address (127.0.0.1:PORT, [::1]:PORT, localhost:PORT); to serve MCP on a network, use askdb serve, which mounts /mcp behind server.api_keys", addr)}
	}
	mux := http.NewServeMux()
	mux.Handle("/mcp", h)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("mcp: listen on %q: %w", addr, err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(a.stderr, "askdb: MCP server on http://%s/mcp\n", ln.Addr())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("mcp: serve: %w", err)
	case <-ctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	err = srv.Shutdown(shutCtx)
	if serr := <-done; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}

// allMetrics serves the metrics dictionaries of every source as one list,
// each metric naming its source.
func (a *app) allMetrics() func(ctx context.Context) (any, error) {
	type sourcedMetric struct {
		Source string `json:"source"`
		knowledge.Metric
	}
	return func(context.Context) (any, error) {
		out := []sourcedMetric{}
		for _, name := range a.cfg.SourceNames() {
			if len(a.cfg.Sources[name].Knowledge) == 0 {
				continue
			}
			k, _, err := a.knowledge(name)
			if err != nil {
				return nil, err
			}
			for _, m := range k.AllMetrics() {
				out = append(out, sourcedMetric{Source: name, Metric: m})
			}
		}
		return out, nil
	}
}

// loopbackAddr reports whether a listen address names a loopback host
// (an empty host listens on every interface).
func loopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}
