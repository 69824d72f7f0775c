package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/askdb/askdb/internal/eval"
)

// newEvalPromptCmd measures the SQL prompts the pipeline would send.
func newEvalPromptCmd(a *app) *cobra.Command {
	var dataset, dir string
	var samples int
	var opts eval.PromptOptions
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "prompt --dataset spider|bird [--data DIR] [--limit N] [--no-examples] [--json]",
		Short: "Measure the SQL prompt: gold tables, columns, values and examples it holds, and its tokens",
		Long: `Build, for every question of a dataset, the exact SQL prompt the pipeline would send
to the model (no model is called), and score it against the gold SQL as the SQL
guard's parser reads it:
  table_recall, column_recall  gold tables and columns shown in the prompt's schema
  value_recall                 gold constants compared with a column that the prompt
                               shows on that column's line (strings and numbers)
  example_hit                  whether the most similar verified example (the other
                               questions of the database, leave-one-out) is shown
  prompt_tokens                estimated tokens of the whole prompt (mean, p90)
For BIRD the question is followed by its evidence hint, and values come from the
annotated DDL (schema only). --data defaults to ../shared/datasets/spider-dev or
../shared/datasets/bird-minidev.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ds, err := loadEvalDataset(cmd.Context(), dataset, dir, samples)
			if err != nil {
				return err
			}
			rep, err := eval.EvaluatePrompts(cmd.Context(), ds, opts)
			if err != nil {
				return err
			}
			return a.printReport(rep, rep.Summary(), asJSON)
		},
	}
	f := cmd.Flags()
	f.StringVar(&dataset, "dataset", "", "dataset: spider or bird")
	f.StringVar(&dir, "data", "", "dataset folder (default ../shared/datasets/<spider-dev|bird-minidev>)")
	f.IntVar(&opts.Limit, "limit", 0, "evaluate only the first N questions")
	f.IntVar(&samples, "samples", 20, "Spider: load up to N frequent values per text column from the databases, as the pipeline samples a source (0: none)")
	f.BoolVar(&opts.NoExamples, "no-examples", false, "zero-shot prompts: no verified examples")
	f.BoolVar(&opts.Misses, "misses", false, "list what each prompt lacks (with --json)")
	f.BoolVar(&asJSON, "json", false, "print the report as JSON")
	_ = cmd.MarkFlagRequired("dataset")
	return cmd
}

// loadEvalDataset loads a dataset by name from dir (default: the shared
// datasets beside the checkout). Spider gets up to samples frequent values
// per text column from its SQLite files, as a source's sampling would.
func loadEvalDataset(ctx context.Context, dataset, dir string, samples int) (*eval.Dataset, error) {
	load, ok := map[string]func(string) (*eval.Dataset, error){
		"spider": func(dir string) (*eval.Dataset, error) {
			return eval.LoadSpiderWith(ctx, dir, eval.LoadOptions{Samples: samples})
		},
		"bird": eval.LoadBIRD,
	}[dataset]
	if !ok {
		return nil, &usageError{fmt.Errorf("--dataset %q: must be spider or bird", dataset)}
	}
	if dir == "" {
		dir = defaultDatasetDirs[dataset]
	}
	ds, err := load(dir)
	if err != nil {
		return nil, fmt.Errorf("dataset %q: %w", dataset, err)
	}
	return ds, nil
}

// printReport writes an evaluation report to stdout: as JSON, or as its
// text for a terminal.
func (a *app) printReport(rep any, text string, asJSON bool) error {
	if asJSON {
		return writeJSON(a.stdout, rep)
	}
	_, err := fmt.Fprint(a.stdout, text)
	return err
}
