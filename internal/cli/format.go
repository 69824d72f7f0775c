package cli

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/askdb/askdb/internal/display"
	"github.com/askdb/askdb/internal/pipeline"
	"github.com/askdb/askdb/internal/source"
)

// maxCellWidth bounds a table cell so one long value cannot wreck the layout.
const maxCellWidth = 48

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// cellText renders one JSON-friendly value for a text table or CSV.
func cellText(v any) string { return source.FormatValue(v) }

func writeCSV(w io.Writer, res *source.Result) error {
	cw := csv.NewWriter(w)
	header := make([]string, len(res.Columns))
	for i, c := range res.Columns {
		header[i] = c.Name
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	rec := make([]string, len(res.Columns))
	for _, row := range res.Rows {
		for i, v := range row {
			rec[i] = cellText(v)
			if v == nil {
				rec[i] = ""
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeTable prints an aligned text table, like psql's, followed by a
// row count and a note when a limit truncated the result. Numbers take
// one scale per column (display.Cells) and wide characters two columns.
func writeTable(w io.Writer, res *source.Result) error {
	cells := make([][]string, 0, len(res.Rows)+1)
	header := make([]string, len(res.Columns))
	for i, c := range res.Columns {
		header[i] = c.Name
	}
	cells = append(cells, header)
	for _, line := range display.Cells(res) {
		for i, c := range line {
			line[i] = display.Clip(strings.ReplaceAll(c, "\n", " "), maxCellWidth)
		}
		cells = append(cells, line)
	}
	widths := make([]int, len(header))
	for _, line := range cells {
		for i, c := range line {
			widths[i] = max(widths[i], display.Width(c))
		}
	}
	var b strings.Builder
	for n, line := range cells {
		for i, c := range line {
			if i > 0 {
				b.WriteString(" | ")
			}
			if i < len(line)-1 {
				c = display.Pad(c, widths[i])
			}
			b.WriteString(c)
		}
		b.WriteByte('\n')
		if n == 0 {
			for i, wd := range widths {
				if i > 0 {
					b.WriteString("-+-")
				}
				b.WriteString(strings.Repeat("-", wd))
			}
			b.WriteByte('\n')
		}
	}
	fmt.Fprintf(&b, "(%d %s)\n", len(res.Rows), plural(len(res.Rows), "row", "rows"))
	if res.Truncated {
		fmt.Fprintf(&b, "note: result truncated by the %s limit; more rows exist\n", res.TruncatedBy)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// counted and plural are display.Count and display.Plural: every count a
// person reads goes through them, so none says "1 tables".
func counted(n int, noun string) string { return display.Count(n, noun) }

func plural(n int, one, many string) string { return display.Plural(n, one, many) }

func writeResult(w io.Writer, format string, res *source.Result) error {
	switch format {
	case "table":
		return writeTable(w, res)
	case "csv":
		return writeCSV(w, res)
	case "json":
		return writeJSON(w, res)
	}
	return &usageError{fmt.Errorf("--format %q: must be table, csv or json", format)}
}

func writeJSONLine(w io.Writer, v any) error {
	return json.NewEncoder(w).Encode(v)
}

// safeBadge is the one claim askdb checks about a query: that it is one
// read-only query the database could plan. It never says the query is
// right; chosenByLine says how it was chosen.
func safeBadge(ans *pipeline.Answer) string {
	switch {
	case ans.Verified:
		return pipeline.SafeClaim
	case ans.Verdict != nil && ans.Verdict.Accepted:
		return "read-only query, EXPLAIN not run"
	}
	return "refused"
}

// chosenByLine says how the SQL was chosen: "chosen by: metric: headcount
// (hr): employees who still work here".
func chosenByLine(ans *pipeline.Answer) string {
	if ans.ChosenBy == nil || ans.ChosenBy.Label == "" {
		return ""
	}
	return "chosen by: " + ans.ChosenBy.Label
}
