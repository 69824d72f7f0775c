package source

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/askdb/askdb/internal/catalog"
)

// Result is the outcome of one query, ready to be serialised as JSON.
type Result struct {
	Columns []ResultColumn `json:"columns"`
	// Rows hold JSON-friendly values: string, json.Number, int64, float64,
	// bool or nil. Dates are ISO 8601 strings and bytes are base64.
	Rows [][]any `json:"rows"`
	// Truncated is set when a limit stopped reading; TruncatedBy says which.
	Truncated   bool   `json:"truncated"`
	TruncatedBy string `json:"truncated_by,omitempty"`
	// Duration is how long the query took, reading rows included.
	Duration time.Duration `json:"duration_ns"`
	// Note is what the engine reported about the run that the trace
	// should show, such as the bytes Athena scanned; empty for most kinds.
	Note string `json:"note,omitempty"`
}

// ResultColumn describes one result column.
type ResultColumn struct {
	Name   string       `json:"name"`
	DBType string       `json:"db_type,omitempty"`
	Type   catalog.Type `json:"type"`
}

// Truncation reasons.
const (
	TruncatedByRows  = "rows"
	TruncatedByBytes = "bytes"
)

// ReadRows reads at most lim.MaxRows rows (and about lim.MaxBytes bytes)
// from rows into a Result, converting values to JSON-friendly forms. It is
// shared by every database/sql-based source so that all engines agree on
// value formats. A single value larger than lim.MaxBytes is refused with a
// *LimitError (ErrValueTooLarge) before it is converted, so it is never
// copied again; so is a row larger than lim.MaxBytes by itself. It closes
// rows.
func ReadRows(ctx context.Context, rows *sql.Rows, lim Limits) (*Result, error) {
	defer rows.Close()
	lim = lim.WithDefaults()
	cts, err := rows.ColumnTypes()
	if err != nil {
		return nil, fmt.Errorf("read column types: %w", err)
	}
	res := &Result{Columns: make([]ResultColumn, len(cts)), Rows: [][]any{}}
	for i, ct := range cts {
		res.Columns[i] = ResultColumn{Name: ct.Name(), DBType: ct.DatabaseTypeName(), Type: catalog.NormalizeType(ct.DatabaseTypeName())}
	}
	raw := make([]any, len(cts))
	ptrs := make([]any, len(cts))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	var size int64
	for rows.Next() {
		if len(res.Rows) >= lim.MaxRows {
			res.Truncated, res.TruncatedBy = true, TruncatedByRows
			break
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("read row %d: %w", len(res.Rows)+1, err)
		}
		if err := checkValueSizes(raw, lim.MaxBytes); err != nil {
			return nil, err
		}
		row := make([]any, len(raw))
		var rowSize int64
		for i, v := range raw {
			row[i] = JSONValue(v, res.Columns[i].Type)
			raw[i] = nil // the scanned copy is garbage once converted
			rowSize += valueSize(row[i])
		}
		if rowSize > lim.MaxBytes {
			// No limit on rows could return it: say so, not "truncated".
			return nil, &LimitError{Limit: lim.MaxBytes, Err: ErrValueTooLarge}
		}
		if size += rowSize; size > lim.MaxBytes {
			res.Truncated, res.TruncatedBy = true, TruncatedByBytes
			break
		}
		res.Rows = append(res.Rows, row)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	inferTypes(res)
	return res, ctx.Err()
}

// inferTypes fills in types for expression columns the driver could not
// type (SQLite reports no type for count(*)), from the first non-null value.
func inferTypes(res *Result) {
	for c := range res.Columns {
		if res.Columns[c].Type != catalog.TypeOther {
			continue
		}
		for _, row := range res.Rows {
			if t, ok := valueType(row[c]); ok {
				res.Columns[c].Type = t
				break
			}
		}
	}
}

func valueType(v any) (catalog.Type, bool) {
	switch v.(type) {
	case int64:
		return catalog.TypeInteger, true
	case float64:
		return catalog.TypeFloat, true
	case json.Number:
		return catalog.TypeDecimal, true
	case bool:
		return catalog.TypeBoolean, true
	case string:
		return catalog.TypeText, true
	}
	return "", false
}

// JSONValue converts a value scanned by a database/sql driver into a form
// that serialises to JSON without losing meaning, given the column's
// normalised type.
func JSONValue(v any, t catalog.Type) any {
	switch x := v.(type) {
	case nil:
		return nil
	case []byte:
		return bytesValue(x, t)
	case string:
		return stringValue(x, t)
	case time.Time:
		return timeValue(x, t)
	case int64, bool:
		return x
	case int:
		return int64(x)
	case int8:
		return int64(x)
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	case uint8:
		return int64(x)
	case uint16:
		return int64(x)
	case uint32:
		return int64(x)
	case uint64:
		if x <= math.MaxInt64 {
			return int64(x)
		}
		return json.Number(strconv.FormatUint(x, 10))
	case float32:
		return floatValue(float64(x))
	case float64:
		return floatValue(x)
	case fmt.Stringer:
		// DuckDB's DECIMAL and HUGEINT: exact numbers as text.
		return stringValue(x.String(), t)
	}
	return fmt.Sprint(v)
}

func bytesValue(b []byte, t catalog.Type) any {
	if t == catalog.TypeBytes || !utf8.Valid(b) {
		return base64.StdEncoding.EncodeToString(b)
	}
	return stringValue(string(b), t)
}

// stringValue handles drivers that return numbers and dates as text
// (MySQL's text protocol, PostgreSQL numerics): decimals stay exact as
// json.Number, integers become int64.
func stringValue(s string, t catalog.Type) any {
	switch t {
	case catalog.TypeDecimal:
		if isJSONNumber(s) {
			return json.Number(s)
		}
	case catalog.TypeInteger:
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n
		}
		if isJSONNumber(s) {
			return json.Number(s)
		}
	case catalog.TypeFloat:
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return floatValue(f)
		}
	case catalog.TypeTimestamp:
		if ts, err := time.Parse("2006-01-02 15:04:05.999999999", s); err == nil {
			return ts.Format("2006-01-02T15:04:05.999999999")
		}
	}
	return s
}

func timeValue(ts time.Time, t catalog.Type) any {
	switch t {
	case catalog.TypeDate:
		return ts.Format(time.DateOnly)
	case catalog.TypeTime:
		return ts.Format("15:04:05.999999999")
	}
	if ts.Location() == time.UTC && t != catalog.TypeTimestamp {
		return ts.Format(time.RFC3339Nano)
	}
	if t == catalog.TypeTimestamp && ts.Location() == time.UTC {
		// Engines without time zones (SQLite, MySQL DATETIME) hand back UTC;
		// print the wall-clock value they stored, without inventing a zone.
		return ts.Format("2006-01-02T15:04:05.999999999")
	}
	return ts.Format(time.RFC3339Nano)
}

func floatValue(f float64) any {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return f
}

func isJSONNumber(s string) bool {
	var n json.Number
	return json.Unmarshal([]byte(s), &n) == nil
}

// checkValueSizes refuses a scanned row holding one value larger than
// maxBytes: such a value cannot fit any result, and converting it (to a
// string, or to base64) would copy it once more.
func checkValueSizes(raw []any, maxBytes int64) error {
	for _, v := range raw {
		var n int
		switch x := v.(type) {
		case []byte:
			n = len(x)
		case string:
			n = len(x)
		}
		if int64(n) > maxBytes {
			return &LimitError{Limit: maxBytes, Err: ErrValueTooLarge}
		}
	}
	return nil
}

// ValueSize is what a result value counts against max_bytes, for sources
// that read rows without ReadRows.
func ValueSize(v any) int64 { return valueSize(v) }

func valueSize(v any) int64 {
	switch x := v.(type) {
	case string:
		return int64(len(x)) + 2
	case json.Number:
		return int64(len(x))
	case nil:
		return 4
	}
	return 8
}

// FormatValue renders a result value for people: NULL for nil, and
// floats in plain decimal notation (3636828.57, not 3.63682857e+06),
// with no more digits than it takes to read the value back.
func FormatValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case string:
		return x
	case float64:
		if math.Abs(x) >= 1e21 || (x != 0 && math.Abs(x) < 1e-6) {
			return strconv.FormatFloat(x, 'g', -1, 64)
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}
