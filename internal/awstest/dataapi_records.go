package awstest

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
)

// queryRecords runs one statement on conn and returns its result as the
// data APIs spell it: column metadata, and records of typed fields
// (stringValue, longValue, doubleValue, booleanValue, blobValue, isNull).
// A statement without columns (SET, a write) has nil metadata.
func queryRecords(ctx context.Context, conn *sql.Conn, query string) ([]map[string]any, [][]map[string]any, error) {
	rows, err := conn.QueryContext(ctx, query)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	cts, err := rows.ColumnTypes()
	if err != nil {
		return nil, nil, err
	}
	var cols []map[string]any
	for _, ct := range cts {
		nullable, _ := ct.Nullable()
		cols = append(cols, map[string]any{"name": ct.Name(), "label": ct.Name(),
			"typeName": strings.ToLower(ct.DatabaseTypeName()), "nullable": map[bool]int{true: 1}[nullable]})
	}
	records := [][]map[string]any{}
	vals := make([]any, len(cts))
	ptrs := make([]any, len(cts))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, nil, err
		}
		rec := make([]map[string]any, len(vals))
		for i, v := range vals {
			rec[i] = field(v, strings.ToLower(cts[i].DatabaseTypeName()))
		}
		records = append(records, rec)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	if len(cols) == 0 {
		return nil, nil, nil
	}
	return cols, records, nil
}

// field is one value as a data API field.
func field(v any, typeName string) map[string]any {
	switch x := v.(type) {
	case nil:
		return map[string]any{"isNull": true}
	case int64:
		return map[string]any{"longValue": x}
	case float64:
		return map[string]any{"doubleValue": x}
	case bool:
		return map[string]any{"booleanValue": x}
	case []byte:
		// MySQL's text protocol sends every value as text; the APIs type it.
		switch typeName {
		case "tinyint", "smallint", "mediumint", "int", "integer", "bigint":
			if n, err := strconv.ParseInt(string(x), 10, 64); err == nil {
				return map[string]any{"longValue": n}
			}
		case "double", "float", "real":
			if v, err := strconv.ParseFloat(string(x), 64); err == nil {
				return map[string]any{"doubleValue": v}
			}
		}
		if utf8.Valid(x) {
			return map[string]any{"stringValue": string(x)}
		}
		return map[string]any{"blobValue": base64.StdEncoding.EncodeToString(x)}
	case time.Time:
		if typeName == "date" {
			return map[string]any{"stringValue": x.Format(time.DateOnly)}
		}
		return map[string]any{"stringValue": x.Format("2006-01-02 15:04:05.999999")}
	case string:
		return map[string]any{"stringValue": x}
	}
	return map[string]any{"stringValue": ""}
}

// engineMessage is the engine's own message in err, as the data APIs
// report a failed statement.
func engineMessage(err error) string {
	var pe *pgconn.PgError
	var me *mysql.MySQLError
	switch {
	case errors.As(err, &pe):
		return pe.Message
	case errors.As(err, &me):
		return me.Message
	}
	return err.Error()
}
