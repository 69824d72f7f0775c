package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
)

func newSourcesCmd(a *app) *cobra.Command {
	var check bool
	cmd := &cobra.Command{
		Use:   "sources",
		Short: "List the configured sources",
		Long: `List the configured sources. With --check, connect to each (within its
connect_timeout) and add a STATUS column saying whether it is reachable; the
exit status is 1 when one is not.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			// STATUS shows only when it was checked: a column of "-" told
			// nothing and looked like every source was down.
			if check {
				fmt.Fprintln(tw, "NAME\tKIND\tSTATUS\tDESCRIPTION")
			} else {
				fmt.Fprintln(tw, "NAME\tKIND\tDESCRIPTION")
			}
			failed := 0
			for _, name := range a.cfg.SourceNames() {
				s := a.cfg.Sources[name]
				def := ""
				if name == a.cfg.DefaultSource {
					def = " (default)"
				}
				if !check {
					fmt.Fprintf(tw, "%s%s\t%s\t%s\n", name, def, s.Kind, s.Description)
					continue
				}
				status := a.checkSource(cmd.Context(), name)
				if status != "ok" {
					failed++
				}
				fmt.Fprintf(tw, "%s%s\t%s\t%s\t%s\n", name, def, s.Kind, status, s.Description)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			if failed > 0 {
				return &exitError{code: ExitError, err: fmt.Errorf("%d %s unreachable", failed, plural(failed, "source is", "sources are"))}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&check, "check", false, "connect to each source and report its status")
	return cmd
}

func (a *app) checkSource(ctx context.Context, name string) string {
	ctx, cancel := context.WithTimeout(ctx, a.cfg.Sources[name].EffectiveConnectTimeout()+time.Second)
	defer cancel()
	src, err := a.source(ctx, name)
	if err == nil {
		err = src.Ping(ctx)
	}
	if err != nil {
		return "error: " + strings.ReplaceAll(err.Error(), "\n", " ")
	}
	return "ok"
}
