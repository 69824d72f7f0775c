package cli

import (
	"fmt"
	"net/http"

	"github.com/spf13/cobra"

	"github.com/askdb/askdb/internal/server"
)

func init() { extraCommands = append(extraCommands, newServeCmd) }

func newServeCmd(a *app) *cobra.Command {
	var addr, model string
	cmd := &cobra.Command{
		Use:   "serve [--addr host:port] [--model M]",
		Short: "Serve the web UI and the JSON API",
		Long: `Serve the web UI and the JSON API (see /api/openapi.json) until interrupted.
It listens on 127.0.0.1:8080 unless --addr or server.addr says otherwise; set
server.api_keys before listening beyond this machine. Every answer is saved to
the store (the audit log). SIGINT or SIGTERM drains requests in flight. The MCP server is mounted at
/mcp (streamable HTTP, stateless).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			st, err := a.openStore(ctx)
			if err != nil {
				return err
			}
			defer func() {
				if err := st.Close(); err != nil {
					a.logger.Warn("close store", "err", err)
				}
			}()
			p, err := a.newPipeline(ctx, model, st)
			if err != nil {
				return err
			}
			scfg := a.cfg.Server
			if addr != "" {
				scfg.Addr = addr
			}
			// /mcp sits behind the server's auth, which names the caller.
			mcp := a.newMCPServer(p, true, server.UserFrom)
			srv, err := server.New(server.Options{
				Pipeline: p, Sources: a.sources, Store: st, Config: scfg, Logger: a.logger,
				Mounts: map[string]http.Handler{"/mcp": mcp.Handler()},
			})
			if err != nil {
				return err
			}
			return srv.ListenAndServe(ctx, func(url string) {
				fmt.Fprintf(a.stdout, "askdb is serving on %s (Ctrl-C to stop)\n", url)
			})
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "", "listen address (default server.addr, else "+server.DefaultAddr+")")
	cmd.Flags().StringVar(&model, "model", "", "model name from askdb.yaml, or kind:model-id")
	return cmd
}
