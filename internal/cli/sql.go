package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/askdb/askdb/internal/source"
)

func newSQLCmd(a *app) *cobra.Command {
	var srcName, format string
	var maxRows int
	cmd := &cobra.Command{
		Use:   `sql [--source S] [--format table|csv|json] "SQL"`,
		Short: "Run one read-only SQL query through the guard and print the rows",
		Long: `Run one SQL query against a source. The query is checked by the SQL guard
(one read-only statement, allowed functions only, LIMIT added) and then runs in a
read-only transaction with a timeout and a row cap. Use "-" to read the SQL from
standard input.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			text := args[0]
			if text == "-" {
				b, err := io.ReadAll(io.LimitReader(a.stdin, maxSQLBytes+1))
				if err != nil {
					return fmt.Errorf("read SQL from stdin: %w", err)
				}
				text = string(b)
			}
			if len(text) > maxSQLBytes {
				return &usageError{fmt.Errorf("SQL is %d bytes; the limit is %d", len(text), maxSQLBytes)}
			}
			if strings.TrimSpace(text) == "" {
				return &usageError{source.ErrEmptyQuery}
			}
			if format != "table" && format != "csv" && format != "json" {
				return &usageError{fmt.Errorf("--format %q: must be table, csv or json", format)}
			}
			src, err := a.source(cmd.Context(), srcName)
			if err != nil {
				return err
			}
			lim := source.LimitsFor(a.cfg.Sources[src.Name()])
			if maxRows > 0 {
				lim.MaxRows = min(maxRows, lim.MaxRows)
			}
			// One row past the cap lets the source tell a truncated result.
			text, err = a.guard(cmd.Context(), src, text, lim.MaxRows+1)
			if err != nil {
				return err
			}
			res, err := src.Query(cmd.Context(), text, lim)
			if err != nil {
				return err
			}
			return writeResult(a.stdout, format, res)
		},
	}
	cmd.Flags().StringVar(&srcName, "source", "", "source name from askdb.yaml")
	cmd.Flags().StringVar(&format, "format", "table", "output format: table, csv or json")
	cmd.Flags().IntVar(&maxRows, "max-rows", 0, "return at most this many rows (capped by the source's max_rows)")
	return cmd
}

// maxSQLBytes bounds a statement given on the command line or stdin.
const maxSQLBytes = 1 << 20
