package trinofake

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// statement is one submitted statement and its session.
type statement struct {
	sql, user, catalog, schema, txn string
	readOnly                        bool
	maxRunTime                      string // query_max_run_time as sent
	runTime                         time.Duration
}

// sessionProperties are the system session properties the fake knows;
// Trino refuses any other name. Durations are checked for Trino's syntax.
var sessionProperties = map[string]bool{
	"query_max_run_time": true, "query_max_execution_time": true, "query_max_planning_time": true,
	"query_priority": false, "join_distribution_type": false, "time_zone_id": false,
}

// durationRE is io.airlift.units.Duration's syntax: "1.5s", "300ms", "10m".
var durationRE = regexp.MustCompile(`^\s*(\d+(?:\.\d+)?)\s*(ns|us|ms|s|m|h|d)\s*$`)

var durationUnits = map[string]time.Duration{
	"ns": time.Nanosecond, "us": time.Microsecond, "ms": time.Millisecond, "s": time.Second,
	"m": time.Minute, "h": time.Hour, "d": 24 * time.Hour,
}

// parseSession reads X-Trino-Session headers ("name=value", comma-separated).
func (st *statement) parseSession(values []string) error {
	for _, v := range values {
		for _, kv := range strings.Split(v, ",") {
			name, value, ok := strings.Cut(strings.TrimSpace(kv), "=")
			isDuration, known := sessionProperties[name]
			if !ok || !known {
				return trinoError("INVALID_SESSION_PROPERTY", 14, "USER_ERROR", fmt.Sprintf("Session property '%s' does not exist", name))
			}
			if !isDuration {
				continue
			}
			m := durationRE.FindStringSubmatch(value)
			if m == nil {
				return trinoError("INVALID_SESSION_PROPERTY", 14, "USER_ERROR", fmt.Sprintf("%s is invalid: %s", name, value))
			}
			f, _ := strconv.ParseFloat(m[1], 64)
			if name == "query_max_run_time" {
				st.maxRunTime, st.runTime = value, time.Duration(f*float64(durationUnits[m[2]]))
			}
		}
	}
	return nil
}

var (
	explainRE = regexp.MustCompile(`(?is)^\s*EXPLAIN\s*(?:\(([^)]*)\))?\s*(.*)$`)
	versionRE = regexp.MustCompile(`(?i)\bversion\(\)`)
)

// explained returns the statement an EXPLAIN explains, or sql itself.
func explained(sql string) string {
	if m := explainRE.FindStringSubmatch(sql); m != nil {
		return m[2]
	}
	return sql
}

// rewrite maps Trino names onto the backing database: the catalog's
// information_schema and system.metadata.table_comments onto the views of
// meta.sql, catalog.schema.table onto schema.table, version() onto the
// fake's version.
func (s *Server) rewrite(sql string) string {
	cat := regexp.QuoteMeta(s.opts.Catalog)
	sql = regexp.MustCompile(`(?i)(?:"?`+cat+`"?\.)?information_schema\.`).ReplaceAllString(sql, "trino_meta.")
	sql = regexp.MustCompile(`(?i)system\.metadata\.table_comments`).ReplaceAllString(sql, "trino_meta.table_comments")
	sql = regexp.MustCompile(`(?i)"?`+cat+`"?\.("?\w+"?\.)`).ReplaceAllString(sql, "$1")
	return versionRE.ReplaceAllString(sql, "'"+Version+"'")
}

// execute runs st on the backing database in a transaction of its own:
// READ ONLY when the Trino transaction is, with query_max_run_time as
// statement_timeout and the session schema as the only search path.
func (s *Server) execute(ctx context.Context, st statement) ([]column, [][]any, error) {
	tx, err := s.opts.DB.BeginTx(ctx, &sql.TxOptions{ReadOnly: st.readOnly})
	if err != nil {
		return nil, nil, err
	}
	defer tx.Rollback() //nolint:errcheck // committed below when it wrote
	settings := []string{"trinofake.catalog", s.opts.Catalog, "search_path", st.schema}
	if st.runTime > 0 {
		settings = append(settings, "statement_timeout", strconv.FormatInt(max(st.runTime.Milliseconds(), 1), 10))
	}
	for i := 0; i < len(settings); i += 2 {
		if _, err := tx.ExecContext(ctx, "SELECT set_config($1, $2, true)", settings[i], settings[i+1]); err != nil {
			return nil, nil, err
		}
	}
	query := s.rewrite(st.sql)
	m := explainRE.FindStringSubmatch(query)
	if m != nil && !strings.HasPrefix(strings.ToUpper(strings.TrimSpace(m[2])), "ANALYZE") {
		return explain(ctx, tx, m[1], m[2], st)
	}
	cols, rows, err := collect(ctx, tx, query)
	if err != nil {
		return nil, nil, mapError(err, st)
	}
	if _, writes := classify(query, st.schema); writes {
		if err := tx.Commit(); err != nil {
			return nil, nil, mapError(err, st)
		}
	}
	return cols, rows, nil
}

// explain answers EXPLAIN (TYPE VALIDATE) with Trino's one boolean
// column, and any other EXPLAIN with one "Query Plan" text.
func explain(ctx context.Context, tx *sql.Tx, options, query string, st statement) ([]column, [][]any, error) {
	_, plan, err := collect(ctx, tx, "EXPLAIN "+query)
	if err != nil {
		return nil, nil, mapError(err, st)
	}
	if strings.Contains(strings.ToUpper(options), "VALIDATE") {
		return []column{scalarColumn("Valid", "boolean")}, [][]any{{true}}, nil
	}
	lines := make([]string, len(plan))
	for i, r := range plan {
		lines[i] = fmt.Sprint(r[0])
	}
	return []column{varcharColumn("Query Plan")}, [][]any{{strings.Join(lines, "\n")}}, nil
}

// collect runs query and converts its rows to Trino's JSON values.
func collect(ctx context.Context, tx *sql.Tx, query string) ([]column, [][]any, error) {
	rows, err := tx.QueryContext(ctx, query)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	cts, err := rows.ColumnTypes()
	if err != nil {
		return nil, nil, err
	}
	out := [][]any{}
	for rows.Next() {
		raw := make([]any, len(cts))
		ptrs := make([]any, len(cts))
		for i := range raw {
			ptrs[i] = &raw[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, nil, err
		}
		for i, v := range raw {
			raw[i] = jsonValue(cts[i].DatabaseTypeName(), v)
		}
		out = append(out, raw)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	cols := make([]column, len(cts))
	for i, ct := range cts {
		cols[i] = trinoColumn(ct, out, i)
	}
	return cols, out, nil
}

// mapError turns a PostgreSQL error into the error Trino reports for the
// same fault, with its line and column.
func mapError(err error, st statement) error {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return err
	}
	loc := ""
	line, col := 1, int(pe.Position)
	if col > 0 {
		before := st.sql[:min(col-1, len(st.sql))]
		line = strings.Count(before, "\n") + 1
		col = col - strings.LastIndex(before, "\n") - 1
		loc = fmt.Sprintf("line %d:%d: ", line, col)
	}
	quoted := regexp.MustCompile(`"([^"]+)"`).FindStringSubmatch(pe.Message)
	name := ""
	if quoted != nil {
		name = quoted[1]
	}
	var e *Error
	switch pe.Code {
	case "42703":
		e = trinoError("COLUMN_NOT_FOUND", 47, "USER_ERROR", fmt.Sprintf("%sColumn '%s' cannot be resolved", loc, name))
	case "42P01":
		e = trinoError("TABLE_NOT_FOUND", 46, "USER_ERROR", fmt.Sprintf("%sTable '%s.%s.%s' does not exist", loc, st.catalog, st.schema, name))
	case "42883":
		e = trinoError("FUNCTION_NOT_FOUND", 6, "USER_ERROR", loc+pe.Message)
	case "42601":
		e = trinoError("SYNTAX_ERROR", 1, "USER_ERROR", loc+pe.Message)
	case "25006":
		e = trinoError("READ_ONLY_VIOLATION", 23, "USER_ERROR", "Cannot execute write in a read-only transaction")
	case "57014":
		if strings.Contains(pe.Message, "statement timeout") {
			e = trinoError("EXCEEDED_TIME_LIMIT", 131075, "INSUFFICIENT_RESOURCES", "Query exceeded maximum time limit of "+st.maxRunTime)
		} else {
			e = trinoError("USER_CANCELED", 3, "USER_ERROR", "Query was canceled")
		}
	case "22012":
		e = trinoError("DIVISION_BY_ZERO", 8, "USER_ERROR", "Division by zero")
	default:
		e = trinoError("GENERIC_USER_ERROR", 0, "USER_ERROR", loc+pe.Message)
	}
	if col > 0 {
		e.Location = &Location{Line: line, Column: col}
	}
	return e
}
