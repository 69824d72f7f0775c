package awslambda

import (
	"fmt"

	"github.com/askdb/askdb/internal/pipeline"
)

// agentBody is an answer shaped for an agent's model.
type agentBody struct {
	Source      string   `json:"source,omitempty"`
	Routed      string   `json:"routed,omitempty"` // why routing chose Source
	SQL         string   `json:"sql,omitempty"`
	Explanation string   `json:"explanation,omitempty"`
	Verified    bool     `json:"verified"`
	Executed    bool     `json:"executed"`
	Columns     []string `json:"columns,omitempty"`
	Rows        [][]any  `json:"rows,omitempty"`
	RowCount    int      `json:"row_count"`
	Truncated   bool     `json:"truncated,omitempty"`
	Summary     string   `json:"summary,omitempty"`
	Note        string   `json:"note,omitempty"`
}

// maxCellRunes bounds one text cell in an agent response.
const maxCellRunes = 200

// compact renders an answer within MaxRows rows and MaxBytes bytes, and
// says in the body when it cut anything.
func (h *Handler) compact(ans *pipeline.Answer) string {
	b := agentBody{
		Source: ans.Source, Routed: routeReason(ans), SQL: ans.SQL, Explanation: ans.Explanation, Verified: ans.Verified,
		Executed: ans.Outcome == pipeline.Answered, RowCount: ans.RowCount, Truncated: ans.Truncated, Summary: ans.Summary,
	}
	for _, c := range ans.Columns {
		b.Columns = append(b.Columns, c.Name)
	}
	rows := make([][]any, 0, min(len(ans.Rows), h.opts.MaxRows))
	for _, r := range ans.Rows[:min(len(ans.Rows), h.opts.MaxRows)] {
		rows = append(rows, shortCells(r))
	}
	if ans.Truncated {
		b.Note = fmt.Sprintf("the database's row or size cap stopped the result at %d rows", ans.RowCount)
	}
	for {
		b.Rows = rows
		if len(rows) < len(ans.Rows) {
			b.Truncated = true
			b.Note = fmt.Sprintf("showing %d of %d rows to fit the agent's response limit; aggregate or filter in SQL for fewer rows", len(rows), ans.RowCount)
		}
		body := mustJSON(b)
		if len(body) <= h.opts.MaxBytes || len(rows) == 0 {
			return body
		}
		rows = rows[:len(rows)/2]
	}
}

func shortCells(row []any) []any {
	out := make([]any, len(row))
	for i, v := range row {
		if s, ok := v.(string); ok {
			if r := []rune(s); len(r) > maxCellRunes {
				v = string(r[:maxCellRunes]) + "…"
			}
		}
		out[i] = v
	}
	return out
}
