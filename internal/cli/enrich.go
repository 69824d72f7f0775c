package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/askdb/askdb/internal/enrich"
	"github.com/askdb/askdb/internal/source"
)

func init() { extraCommands = append(extraCommands, newEnrichCmd) }

func newEnrichCmd(a *app) *cobra.Command {
	var srcName string
	var asJSON bool
	var opts enrich.Options
	cmd := &cobra.Command{
		Use:   "enrich [--source S] [--sample-rows N] [--top-k K]",
		Short: "Compute data statistics of a source and store them",
		Long: `Compute a catalog snapshot with data statistics: row counts, null rates, the
minimum and maximum of numbers and dates, and the most frequent values of
low-cardinality text columns. Every query is read-only and bounded: a table is
sampled with a LIMIT, so a huge table costs a bounded amount. The snapshot is
saved in the store, where questions use it to spell filter values as the data does.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			src, err := a.source(ctx, srcName)
			if err != nil {
				return err
			}
			opts.Logger = a.logger
			opts.Limits = source.LimitsFor(a.cfg.Sources[src.Name()])
			opts.Policy = a.cfg.Sources[src.Name()].Policy
			snap, err := enrich.Enrich(ctx, src, opts)
			if err != nil {
				return err
			}
			st, err := a.openStore(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			if err := enrich.Save(ctx, st, snap); err != nil {
				return err
			}
			if asJSON {
				return writeJSON(a.stdout, snap)
			}
			writeEnrichSummary(a, snap)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&srcName, "source", "", "source name from askdb.yaml")
	f.BoolVar(&asJSON, "json", false, "print the whole snapshot as JSON")
	f.IntVar(&opts.SampleRows, "sample-rows", enrich.DefaultSampleRows, "rows of each table the column statistics read")
	f.IntVar(&opts.CountLimit, "count-limit", enrich.DefaultCountLimit, "count rows exactly up to this many")
	f.IntVar(&opts.TopK, "top-k", enrich.DefaultTopK, "frequent values kept per low-cardinality column")
	f.IntVar(&opts.MaxDistinct, "max-distinct", enrich.DefaultMaxDistinct, "most distinct values a column may have to list its values")
	return cmd
}

func writeEnrichSummary(a *app, snap *enrich.Snapshot) {
	w := a.stdout
	fmt.Fprintf(w, "source %s: %s enriched and saved\n", snap.Source, counted(len(snap.Stats.Tables), "table"))
	for _, t := range snap.Stats.Tables {
		if t.Error != "" {
			fmt.Fprintf(w, "  %s: skipped: %s\n", t.Table, t.Error)
			continue
		}
		rows := counted(int(t.RowCount), "row")
		if !t.RowCountExact {
			rows = "at least " + counted(int(t.RowCount), "row")
		}
		if t.Sampled {
			rows += fmt.Sprintf(", statistics from %d sampled", t.SampleRows)
		}
		var cats []string
		for _, c := range t.Columns {
			if len(c.Top) > 0 {
				cats = append(cats, fmt.Sprintf("%s (%d values)", c.Column, c.Distinct))
			}
		}
		fmt.Fprintf(w, "  %s: %s", t.Table, rows)
		if len(cats) > 0 {
			fmt.Fprintf(w, "; values of %s", strings.Join(cats, ", "))
		}
		fmt.Fprintln(w)
	}
}
