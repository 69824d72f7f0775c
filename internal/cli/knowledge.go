package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/knowledge"
	"github.com/askdb/askdb/internal/sample"
)

func init() { extraCommands = append(extraCommands, newKnowledgeCmd) }

func newKnowledgeCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "knowledge",
		Short: "Work with a source's knowledge files (descriptions, domains, metrics, examples)",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newKnowledgeCheckCmd(a))
	return cmd
}

func newKnowledgeCheckCmd(a *app) *cobra.Command {
	var srcName string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "check [--source S] [--json]",
		Short: "Check knowledge files against the live database",
		Long: `Check the knowledge files of a source (askdb.yaml: sources.<name>.knowledge)
against the live database: every table and column must exist, and every metric
and verified example must pass the SQL guard and the database's EXPLAIN.
Prints one problem per line as file:line and exits 1 when there is any.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			name, err := a.sources.Resolve(srcName)
			if err != nil {
				return &usageError{err}
			}
			k, paths, err := a.knowledge(name)
			if err != nil {
				return err
			}
			if len(paths) == 0 {
				return &usageError{fmt.Errorf("source %q has no knowledge files: list them under sources.%s.knowledge in askdb.yaml (see examples/sample-knowledge.yaml)", name, name)}
			}
			src, err := a.source(ctx, name)
			if err != nil {
				return err
			}
			cat, err := src.Introspect(ctx)
			if err != nil {
				return err
			}
			verify := func(ctx context.Context, sql string) error {
				v, err := a.guardWith(src, sql, 0, cat)
				if err != nil {
					return err
				}
				_, err = src.Explain(ctx, v)
				return err
			}
			problems := knowledge.Check(ctx, k, cat, verify)
			if asJSON {
				if err := writeJSON(a.stdout, struct {
					Source   string              `json:"source"`
					Files    []string            `json:"files"`
					Problems []knowledge.Problem `json:"problems"`
				}{name, paths, append([]knowledge.Problem{}, problems...)}); err != nil {
					return err
				}
			} else {
				for _, p := range problems {
					fmt.Fprintln(a.stdout, p.String())
				}
			}
			if len(problems) > 0 {
				fmt.Fprintf(a.stderr, "askdb: %s in the knowledge of source %q\n", counted(len(problems), "problem"), name)
				return &exitError{code: ExitError}
			}
			if !asJSON {
				fmt.Fprintf(a.stdout, "knowledge of source %q is consistent with the database: %s, %s, %s, %s (%s)\n",
					name, counted(len(k.Tables()), "table"), counted(len(k.Domains()), "domain"), counted(len(k.AllMetrics()), "metric"), counted(len(k.Examples()), "example"), strings.Join(paths, ", "))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&srcName, "source", "", "source name from askdb.yaml")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the problems as JSON")
	return cmd
}

// knowledge loads the knowledge files of the named (resolved) source, with
// paths relative to askdb.yaml. It returns the resolved paths too. The
// built-in sample database with no files listed has its own.
func (a *app) knowledge(name string) (*knowledge.Knowledge, []string, error) {
	var paths []string
	src := a.cfg.Sources[name]
	for _, p := range src.Knowledge {
		paths = append(paths, a.cfg.ResolvePath(p))
	}
	if len(paths) == 0 && src.Kind == config.SampleKind {
		k, err := knowledge.Parse(sample.KnowledgeName, sample.Knowledge)
		return k, []string{sample.KnowledgeName}, err
	}
	k, err := knowledge.Load(paths...)
	if err != nil {
		return nil, nil, fmt.Errorf("source %q: %w", name, err)
	}
	return k, paths, nil
}
