package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/askdb/askdb/internal/eval"
)

// newEvalExecCmd scores execution accuracy of an engine on a dataset.
func newEvalExecCmd(a *app) *cobra.Command {
	var dataset, dir, out, model, split string
	var opts eval.ExecOptions
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "exec --dataset spider|bird --engine offline|model|gold|auto [--data DIR] [--split train|dev] [--db ID] [--limit N] [--json] [--out report.md]",
		Short: "Score execution accuracy: run each question through the pipeline and compare rows with the gold SQL",
		Long: `Run every question of a dataset through askdb's real pipeline (guard, EXPLAIN,
read-only execution) against the dataset's SQLite databases, and compare the rows
with those of the gold SQL run on the same source. Spider compares rows as
multisets (row order only when the gold SQL has ORDER BY); BIRD compares sets.
--engine gold runs the gold SQL itself through the pipeline and must score 1.0.
--data defaults to ../shared/datasets/spider-dev or ../shared/datasets/bird-minidev;
a Spider folder's questions come from --split (train.json or dev.json), or from
whichever of dev.json and train.json it holds; the databases are read from DIR/database/<db>/<db>.sqlite.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			load, ok := map[string]func(string) (*eval.Dataset, error){
				"spider": func(dir string) (*eval.Dataset, error) { return eval.LoadSpiderSplit(dir, split) },
				"bird":   eval.LoadBIRD,
			}[dataset]
			if !ok {
				return &usageError{fmt.Errorf("--dataset %q: must be spider or bird", dataset)}
			}
			switch split {
			case "", eval.SplitTrain, eval.SplitDev:
			default:
				return &usageError{fmt.Errorf("--split %q: must be train or dev", split)}
			}
			switch opts.Engine {
			case eval.ExecOffline, eval.ExecModel, eval.ExecAuto, eval.ExecGold:
			default:
				return &usageError{fmt.Errorf("--engine %q: must be offline, model, auto or gold", opts.Engine)}
			}
			if opts.Engine == eval.ExecModel || opts.Engine == eval.ExecAuto {
				m, _, err := a.models(cmd.Context(), model)
				if err != nil {
					return err
				}
				if m == nil && opts.Engine == eval.ExecModel {
					return &usageError{errors.New("--engine model needs a model: set ASKDB_MODEL, pass --model, or add models: to askdb.yaml (see README: Models)")}
				}
				opts.SQLModel = m
			}
			if dir == "" {
				dir = defaultDatasetDirs[dataset]
			}
			ds, err := load(dir)
			if err != nil {
				return fmt.Errorf("eval exec: dataset %q: %w", dataset, err)
			}
			opts.DatabaseDir = filepath.Join(dir, "database")
			opts.Logger = a.logger
			opts.Progress = a.stderr
			if f, ok := a.stderr.(*os.File); ok {
				if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
					opts.TTY = true
				}
			}
			rep, err := eval.EvaluateExec(cmd.Context(), ds, opts)
			if errors.Is(err, eval.ErrNoDatabases) {
				return fmt.Errorf("eval exec: the %s dataset has no databases in %q (BIRD ships none here; pass --data with a folder holding database/<db>/<db>.sqlite): %w", dataset, opts.DatabaseDir, err)
			}
			if err != nil {
				return err
			}
			if out != "" {
				if err := os.WriteFile(out, []byte(rep.Markdown()), 0o644); err != nil {
					return fmt.Errorf("eval exec: write %q: %w", out, err)
				}
			}
			if asJSON {
				return writeJSON(a.stdout, rep)
			}
			_, err = fmt.Fprint(a.stdout, rep.Markdown())
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&dataset, "dataset", "", "dataset: spider or bird")
	f.StringVar(&dir, "data", "", "dataset folder (default ../shared/datasets/<spider-dev|bird-minidev>)")
	f.StringVar(&split, "split", "", "Spider: read train.json or dev.json (default: whichever DIR holds, dev.json first)")
	f.StringVar(&opts.Engine, "engine", eval.ExecOffline, "engine: offline, model, auto or gold")
	f.StringVar(&model, "model", "", "model for --engine model or auto: a name from askdb.yaml, or kind:model-id")
	f.StringVar(&opts.DB, "db", "", "evaluate only this database")
	f.IntVar(&opts.Limit, "limit", 0, "evaluate only the first N questions")
	f.DurationVar(&opts.Timeout, "timeout", 30*time.Second, "per-question timeout")
	f.BoolVar(&opts.Calibrate, "calibrate", false, "let the offline engine answer at any confidence, to read the reliability table and thresholds")
	f.BoolVar(&opts.Items, "items", false, "include each question's outcome in --json output")
	f.BoolVar(&opts.Route, "route", false, "configure every database as a source and route each question instead of naming its database")
	f.BoolVar(&asJSON, "json", false, "print the report as JSON")
	f.StringVar(&out, "out", "", "also write the Markdown report to this file")
	_ = cmd.MarkFlagRequired("dataset")
	return cmd
}
