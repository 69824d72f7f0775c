package trinofake

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Error is Trino's QueryError object.
type Error struct {
	Message   string    `json:"message"`
	ErrorCode int       `json:"errorCode"`
	ErrorName string    `json:"errorName"`
	ErrorType string    `json:"errorType"`
	Location  *Location `json:"errorLocation,omitempty"`
	Failure   struct {
		Type    string `json:"type"`
		Message string `json:"message"`
	} `json:"failureInfo"`
}

// Location is where in the statement an error is.
type Location struct {
	Line   int `json:"lineNumber"`
	Column int `json:"columnNumber"`
}

func (e *Error) Error() string { return e.ErrorName + ": " + e.Message }

func trinoError(name string, code int, typ, msg string) *Error {
	e := &Error{Message: msg, ErrorCode: code, ErrorName: name, ErrorType: typ}
	e.Failure.Type, e.Failure.Message = "io.trino.spi.TrinoException", msg
	return e
}

// asError makes any error a Trino error: the fake's own, or an internal one.
func asError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return trinoError("GENERIC_INTERNAL_ERROR", 65536, "INTERNAL_ERROR", err.Error())
}

// column is one entry of QueryResults.columns.
type column struct {
	Name          string    `json:"name"`
	Type          string    `json:"type"`
	TypeSignature signature `json:"typeSignature"`
}

type signature struct {
	RawType   string     `json:"rawType"`
	Arguments []argument `json:"arguments"`
}

type argument struct {
	Kind  string `json:"kind"`
	Value int64  `json:"value"`
}

func scalarColumn(name, typ string) column {
	return column{Name: name, Type: typ, TypeSignature: signature{RawType: typ, Arguments: []argument{}}}
}

func varcharColumn(name string) column {
	return column{Name: name, Type: "varchar", TypeSignature: signature{RawType: "varchar", Arguments: []argument{{"LONG", 2147483647}}}}
}

// trinoColumn types result column i as Trino would: PostgreSQL's type
// names onto Trino's, decimals with their precision and scale (the scale
// read from the values when the type has none, as for sum()).
func trinoColumn(ct *sql.ColumnType, rows [][]any, i int) column {
	switch ct.DatabaseTypeName() {
	case "INT4":
		return scalarColumn(ct.Name(), "integer")
	case "INT8":
		return scalarColumn(ct.Name(), "bigint")
	case "INT2":
		return scalarColumn(ct.Name(), "smallint")
	case "BOOL":
		return scalarColumn(ct.Name(), "boolean")
	case "DATE":
		return scalarColumn(ct.Name(), "date")
	case "FLOAT8":
		return scalarColumn(ct.Name(), "double")
	case "FLOAT4":
		return scalarColumn(ct.Name(), "real")
	case "TIMESTAMP", "TIMESTAMPTZ":
		typ := "timestamp(6)"
		if ct.DatabaseTypeName() == "TIMESTAMPTZ" {
			typ += " with time zone"
		}
		return column{Name: ct.Name(), Type: typ, TypeSignature: signature{RawType: strings.Replace(typ, "(6)", "", 1), Arguments: []argument{{"LONG", 6}}}}
	case "NUMERIC":
		p, sc, ok := ct.DecimalSize()
		if !ok {
			p, sc = 38, valueScale(rows, i)
		}
		return column{Name: ct.Name(), Type: fmt.Sprintf("decimal(%d,%d)", p, sc),
			TypeSignature: signature{RawType: "decimal", Arguments: []argument{{"LONG", p}, {"LONG", sc}}}}
	}
	return varcharColumn(ct.Name())
}

func valueScale(rows [][]any, i int) int64 {
	var scale int64
	for _, r := range rows {
		if s, ok := r[i].(string); ok {
			if _, frac, found := strings.Cut(s, "."); found {
				scale = max(scale, int64(len(frac)))
			}
		}
	}
	return scale
}

// jsonValue is how Trino's JSON encodes a value of the type: decimals and
// temporal values as strings, numbers and booleans as JSON's own.
func jsonValue(pgType string, v any) any {
	switch x := v.(type) {
	case nil, bool, int64, float64, string:
		if pgType == "NUMERIC" && x != nil {
			return fmt.Sprint(x)
		}
		return x
	case int32:
		return int64(x)
	case float32:
		return float64(x)
	case []byte:
		return string(x)
	case time.Time:
		switch pgType {
		case "DATE":
			return x.Format(time.DateOnly)
		case "TIMESTAMPTZ":
			return x.UTC().Format("2006-01-02 15:04:05.000000 UTC")
		}
		return x.Format("2006-01-02 15:04:05.000000")
	}
	return fmt.Sprint(v)
}
