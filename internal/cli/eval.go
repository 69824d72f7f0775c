package cli

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/askdb/askdb/internal/eval"
)

func init() { extraCommands = append(extraCommands, newEvalCmd) }

// newEvalCmd is the parent of the evaluation commands, so that later
// ones (execution accuracy) sit beside "linking".
func newEvalCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "eval",
		Short: "Measure askdb against public text-to-SQL datasets",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newEvalLinkingCmd(a), newEvalExecCmd(a), newEvalPromptCmd(a), newEvalRouteCmd(a))
	return cmd
}

// defaultDatasetDirs are where the shared datasets live next to a checkout.
var defaultDatasetDirs = map[string]string{
	"spider": filepath.Join("..", "shared", "datasets", "spider-dev"),
	"bird":   filepath.Join("..", "shared", "datasets", "bird-minidev"),
}

func newEvalLinkingCmd(a *app) *cobra.Command {
	var dataset, dir string
	var samples int
	var opts eval.LinkingOptions
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "linking --dataset spider|bird [--data DIR] [--budget TOKENS] [--limit N] [--json]",
		Short: "Score schema linking: table, column and strict recall, and prompt tokens",
		Long: `Link every question of a dataset to tables with askdb's retriever (no model call)
and compare with the tables and columns of the gold SQL. For BIRD the linker sees
the question followed by its evidence hint, as BIRD's protocol gives both.
--data defaults to ../shared/datasets/spider-dev or ../shared/datasets/bird-minidev.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			// Like askdb enrich on a real source: frequent values of text
			// columns, read from the dataset's SQLite files.
			ds, err := loadEvalDataset(cmd.Context(), dataset, dir, samples)
			if err != nil {
				return fmt.Errorf("eval linking: %w", err)
			}
			rep, err := eval.EvaluateLinking(cmd.Context(), ds, opts)
			if err != nil {
				return err
			}
			return a.printReport(rep, rep.Summary(), asJSON)
		},
	}
	f := cmd.Flags()
	f.StringVar(&dataset, "dataset", "", "dataset: spider or bird")
	f.StringVar(&dir, "data", "", "dataset folder (default ../shared/datasets/<spider-dev|bird-minidev>)")
	f.IntVar(&opts.Budget, "budget", 0, "token budget for the schema slice (default 2000)")
	f.IntVar(&opts.MaxTables, "max-tables", 0, "most tables per question (default 8)")
	f.IntVar(&opts.Limit, "limit", 0, "evaluate only the first N questions")
	f.IntVar(&samples, "samples", 50, "Spider: load up to N frequent values per text column from the databases, as askdb enrich does (0: none)")
	f.BoolVar(&opts.Misses, "misses", false, "list questions whose link misses a gold table (with --json)")
	f.BoolVar(&asJSON, "json", false, "print the report as JSON")
	_ = cmd.MarkFlagRequired("dataset")
	return cmd
}
