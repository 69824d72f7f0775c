package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/askdb/askdb/internal/eval"
)

// newEvalRouteCmd scores routing: every database of a dataset is a source.
func newEvalRouteCmd(a *app) *cobra.Command {
	var dataset, dir string
	var samples int
	var opts eval.RouteOptions
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "route --dataset spider|bird [--data DIR] [--limit N] [--json]",
		Short: "Score routing: configure every database as a source and route each question without naming its database",
		Long: `Index every database of a dataset as one source each, route every question
without naming its database, and report top1 and top3 (the gold database ranks
first, or in the first three), clarified (askdb asked the user to choose),
wrong (routed confidently elsewhere) and the p50 routing time. Spider databases
get up to --samples frequent values per text column, as askdb enrich would; BIRD
has annotated DDL without rows. --data defaults to ../shared/datasets/spider-dev
or ../shared/datasets/bird-minidev; a folder with train.json is read too.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ds, err := loadEvalDataset(cmd.Context(), dataset, dir, samples)
			if err != nil {
				return fmt.Errorf("eval route: %w", err)
			}
			rep := eval.EvaluateRoute(cmd.Context(), ds, opts)
			if asJSON {
				return writeJSON(a.stdout, rep)
			}
			_, err = fmt.Fprintf(a.stdout, "%s: %d questions over %d sources (%d tables)\ntop1 %.3f  top3 %.3f  clarified %.3f  wrong %.3f  no match %.3f  split %.3f\np50 %.2f ms  p95 %.2f ms  (index built in %.0f ms)\n",
				rep.Dataset, rep.Questions, rep.Sources, rep.Tables, rep.Top1, rep.Top3, rep.Clarified, rep.Wrong, rep.NoMatch, rep.Split, rep.P50ms, rep.P95ms, rep.BuildMs)
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&dataset, "dataset", "", "dataset: spider or bird")
	f.StringVar(&dir, "data", "", "dataset folder (default ../shared/datasets/<spider-dev|bird-minidev>)")
	f.IntVar(&samples, "samples", 20, "Spider: index up to N frequent values per text column (0: none)")
	f.IntVar(&opts.Limit, "limit", 0, "evaluate only the first N questions")
	f.Float64Var(&opts.Route.MinScore, "min-score", 0, "score below which no source matches (default route.DefaultMinScore)")
	f.Float64Var(&opts.Route.CloseRatio, "close-ratio", 0, "runner-up share of the winner's score that makes a close call (default route.DefaultCloseRatio)")
	f.BoolVar(&opts.Items, "items", false, "list the questions not routed right first time (with --json)")
	f.BoolVar(&asJSON, "json", false, "print the report as JSON")
	_ = cmd.MarkFlagRequired("dataset")
	return cmd
}
