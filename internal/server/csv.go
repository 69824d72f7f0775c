package server

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/store"
)

// writeCSV writes a stored answer's rows as CSV. Cells that a spreadsheet
// would run as a formula are prefixed with a quote (CSV injection).
func (s *Server) writeCSV(w http.ResponseWriter, rec store.AnswerRecord) {
	var body struct {
		Columns []source.ResultColumn `json:"columns"`
		Rows    [][]any               `json:"rows"`
	}
	dec := json.NewDecoder(bytes.NewReader(rec.Payload))
	dec.UseNumber()
	if err := dec.Decode(&body); err != nil || len(body.Columns) == 0 {
		writeError(w, http.StatusNotFound, "no_rows", fmt.Sprintf("answer %q has no rows to download", rec.ID))
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="askdb-%s.csv"`, rec.ID))
	cw := csv.NewWriter(w)
	head := make([]string, len(body.Columns))
	for i, c := range body.Columns {
		head[i] = safeCell(c.Name)
	}
	_ = cw.Write(head)
	line := make([]string, len(body.Columns))
	for _, row := range body.Rows {
		for i := range line {
			line[i] = ""
			if i < len(row) && row[i] != nil {
				line[i] = safeCell(fmt.Sprint(row[i]))
			}
		}
		_ = cw.Write(line)
	}
	cw.Flush()
}

func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		if _, err := json.Number(s).Float64(); err == nil {
			return s // a negative number, not a formula
		}
		return "'" + s
	}
	return s
}
