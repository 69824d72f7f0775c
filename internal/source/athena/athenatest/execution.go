package athenatest

import (
	"github.com/askdb/askdb/internal/source/glue/gluetest"

	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// execution is one query the fake holds.
type execution struct {
	id, sql, workgroup, output string
	stmtType, subType          string
	state, reason              string
	errCategory, errType       int
	scanned                    int64
	polls                      int
	done                       bool // the SQL has finished on SQLite
	header                     bool
	columns                    []map[string]any
	rows                       [][]*string
	cancel                     context.CancelFunc
}

func (q *execution) headerRow() []*string {
	row := make([]*string, len(q.columns))
	for i, c := range q.columns {
		name := c["Name"].(string)
		row[i] = &name
	}
	return row
}

func (f *Athena) start(w http.ResponseWriter, body []byte) {
	var in struct {
		QueryString           string
		ClientRequestToken    string
		WorkGroup             string
		QueryExecutionContext struct{ Catalog, Database string }
		ResultConfiguration   struct{ OutputLocation string }
	}
	_ = json.Unmarshal(body, &in)
	if id, ok := f.tokens[in.ClientRequestToken]; ok {
		gluetest.WriteJSON(w, map[string]string{"QueryExecutionId": id}) // an idempotent retry
		return
	}
	wgName := or(in.WorkGroup, "primary")
	wg, ok := f.cfg.Workgroups[wgName]
	output := in.ResultConfiguration.OutputLocation
	if wg.Enforce || output == "" {
		output = wg.OutputLocation
	}
	switch {
	case len(in.ClientRequestToken) < 32:
		invalid(w, "ClientRequestToken must be 32 to 128 characters", "")
		return
	case !ok:
		invalid(w, fmt.Sprintf("WorkGroup %s is not found.", wgName), "")
		return
	case output == "":
		invalid(w, "No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input.", "")
		return
	case strings.TrimSpace(in.QueryString) == "":
		invalid(w, "1 validation error detected: Value at 'queryString' failed to satisfy constraint: Member must have length greater than or equal to 1", "")
		return
	}
	q := &execution{id: fmt.Sprintf("%08d-0000-4000-8000-%012d", len(f.queries)+1, time.Now().UnixNano()%1e12),
		sql: in.QueryString, workgroup: wgName, output: output, state: "QUEUED", scanned: f.scanned(in.QueryString)}
	q.stmtType, q.subType = classify(in.QueryString)
	if msg := f.prepare(q); msg != "" {
		invalid(w, msg, "MALFORMED_QUERY")
		return
	}
	f.tokens[in.ClientRequestToken] = q.id
	f.queries[q.id] = q
	ctx, cancel := context.WithCancel(context.Background())
	q.cancel = cancel
	f.wg.Add(1)
	go f.run(ctx, q, wg)
	gluetest.WriteJSON(w, map[string]string{"QueryExecutionId": q.id})
}

// prepare refuses SQL that SQLite cannot parse, as Athena refuses a
// malformed query in StartQueryExecution itself.
func (f *Athena) prepare(q *execution) string {
	if q.stmtType != "DML" || q.subType != "SELECT" {
		return ""
	}
	st, err := f.db.Prepare(q.sql)
	if err != nil {
		if strings.Contains(err.Error(), "syntax error") || strings.Contains(err.Error(), "incomplete input") {
			return "line 1:1: " + err.Error()
		}
		return ""
	}
	st.Close()
	return ""
}

// run executes q on SQLite and settles its end state, which get reports
// once the query has been polled RunningPolls times.
func (f *Athena) run(ctx context.Context, q *execution, wg Workgroup) {
	defer f.wg.Done()
	fail := func(category, typ int, msg string) {
		q.state, q.errCategory, q.errType, q.reason = "FAILED", category, typ, msg
	}
	var cols []map[string]any
	var rows [][]*string
	var err error
	writes := q.stmtType == "DDL" || (q.stmtType == "DML" && q.subType != "SELECT")
	if !writes && !(wg.CutoffBytes > 0 && q.scanned > wg.CutoffBytes) {
		cols, rows, err = f.query(ctx, q)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	q.done = true
	if q.state == "CANCELLED" {
		return
	}
	switch {
	case writes && f.cfg.ReadOnly:
		fail(2, 1004, fmt.Sprintf("Insufficient permissions to execute the query. User: %s is not authorized to perform: glue:UpdateTable on resource because no identity-based policy allows the glue:UpdateTable action", or(f.cfg.Role, "arn:aws:sts::123456789012:assumed-role/askdb-readonly/askdb")))
	case writes:
		fail(2, 1001, "NOT_SUPPORTED: athenatest runs only queries")
	case wg.CutoffBytes > 0 && q.scanned > wg.CutoffBytes:
		fail(2, 1100, "Query cancelled! : Bytes scanned limit was exceeded")
	case err != nil:
		fail(2, 1100, "USER_ERROR: line 1:1: "+err.Error())
	default:
		q.state, q.columns, q.rows, q.header = "SUCCEEDED", cols, rows, q.stmtType == "DML"
	}
}

func (f *Athena) get(w http.ResponseWriter, body []byte) {
	q, ok := f.lookup(w, body)
	if !ok {
		return
	}
	q.polls++
	state := q.state
	switch {
	case state == "CANCELLED":
	case !q.done || q.polls <= f.cfg.RunningPolls:
		state = map[bool]string{true: "QUEUED", false: "RUNNING"}[q.polls == 1 && f.cfg.RunningPolls > 0]
	}
	status := map[string]any{"State": state}
	if state == "FAILED" || state == "CANCELLED" {
		status["StateChangeReason"] = q.reason
	}
	if state == "FAILED" {
		status["AthenaError"] = map[string]any{"ErrorCategory": q.errCategory, "ErrorType": q.errType, "Retryable": false, "ErrorMessage": q.reason}
	}
	exec := map[string]any{
		"QueryExecutionId": q.id, "Query": q.sql, "StatementType": q.stmtType, "SubstatementType": q.subType,
		"WorkGroup": q.workgroup, "ResultConfiguration": map[string]string{"OutputLocation": q.output + q.id + ".csv"},
		"Status": status, "EngineVersion": map[string]string{"EffectiveEngineVersion": "Athena engine version 3"},
	}
	if state == "SUCCEEDED" {
		exec["Statistics"] = map[string]any{"DataScannedInBytes": q.scanned, "EngineExecutionTimeInMillis": 12, "TotalExecutionTimeInMillis": 20}
	}
	gluetest.WriteJSON(w, map[string]any{"QueryExecution": exec})
}

// classify returns Athena's StatementType and SubstatementType for sql.
func classify(sql string) (string, string) {
	word := strings.ToUpper(leadingWord.FindString(sql[len(leadingNoise.FindString(sql)):]))
	switch word {
	case "SELECT", "WITH", "VALUES", "TABLE":
		return "DML", "SELECT"
	case "INSERT", "DELETE", "UPDATE", "MERGE", "UNLOAD":
		return "DML", word
	case "EXPLAIN", "SHOW", "DESCRIBE":
		return "UTILITY", word
	}
	return "DDL", word
}

var (
	leadingNoise = regexp.MustCompile(`^(?s:\s|\(|--[^\n]*(\n|$)|/\*.*?\*/)*`)
	leadingWord  = regexp.MustCompile(`^[A-Za-z_]+`)
)

// scanned is the bytes a query scans: the base, plus each named table's.
func (f *Athena) scanned(sql string) int64 {
	n := f.cfg.ScannedBytes.Base
	lower := strings.ToLower(sql)
	for table, bytes := range f.cfg.ScannedBytes.PerTable {
		if regexp.MustCompile(`\b` + regexp.QuoteMeta(strings.ToLower(table)) + `\b`).MatchString(lower) {
			n += bytes
		}
	}
	return n
}

// query runs q's SQL on SQLite (EXPLAIN as EXPLAIN QUERY PLAN) and
// returns Athena's column info and the values as Athena's text.
func (f *Athena) query(ctx context.Context, q *execution) ([]map[string]any, [][]*string, error) {
	if q.subType == "EXPLAIN" {
		return f.explain(ctx, strings.TrimSpace(q.sql[len("EXPLAIN"):]))
	}
	rows, err := f.db.QueryContext(ctx, q.sql)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	cts, err := rows.ColumnTypes()
	if err != nil {
		return nil, nil, err
	}
	types := make([]string, len(cts))
	for i, ct := range cts {
		types[i] = athenaType(ct.DatabaseTypeName())
	}
	var out [][]*string
	raw := make([]any, len(cts))
	ptrs := make([]any, len(cts))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, nil, err
		}
		row := make([]*string, len(raw))
		for i, v := range raw {
			if types[i] == "" {
				types[i] = inferType(v)
			}
			row[i] = text(v, types[i])
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	cols := make([]map[string]any, len(cts))
	for i, ct := range cts {
		typ := or(types[i], "varchar")
		c := map[string]any{"Name": ct.Name(), "Label": ct.Name(), "Type": typ, "Nullable": "UNKNOWN", "CaseSensitive": typ == "varchar"}
		if typ == "decimal" {
			c["Precision"], c["Scale"] = 10, 2
		}
		cols[i] = c
	}
	return cols, out, nil
}

func (f *Athena) explain(ctx context.Context, stmt string) ([]map[string]any, [][]*string, error) {
	rows, err := f.db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+stmt)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var out [][]*string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			return nil, nil, err
		}
		out = append(out, []*string{&detail})
	}
	cols := []map[string]any{{"Name": "Query Plan", "Label": "Query Plan", "Type": "varchar", "Nullable": "UNKNOWN"}}
	return cols, out, rows.Err()
}

// athenaType maps a SQLite declared type onto the name Athena reports.
func athenaType(decl string) string {
	d := strings.ToUpper(decl)
	switch {
	case d == "":
		return ""
	case strings.HasPrefix(d, "DECIMAL"), strings.HasPrefix(d, "NUMERIC"):
		return "decimal"
	case strings.Contains(d, "INT"):
		return "bigint"
	case d == "BOOLEAN":
		return "boolean"
	case d == "DATE":
		return "date"
	case strings.HasPrefix(d, "TIMESTAMP"), d == "DATETIME":
		return "timestamp"
	case strings.Contains(d, "REAL"), strings.Contains(d, "DOUB"), strings.Contains(d, "FLOA"):
		return "double"
	}
	return "varchar"
}

func inferType(v any) string {
	switch v.(type) {
	case int64:
		return "bigint"
	case float64:
		return "double"
	case nil:
		return ""
	}
	return "varchar"
}

// text renders a SQLite value as Athena's VarCharValue for its type.
func text(v any, typ string) *string {
	var s string
	switch x := v.(type) {
	case nil:
		return nil
	case time.Time:
		s = x.Format(map[bool]string{true: "2006-01-02", false: "2006-01-02 15:04:05.000"}[typ == "date"])
	case bool:
		s = strconv.FormatBool(x)
	case int64:
		s = strconv.FormatInt(x, 10)
		if typ == "boolean" {
			s = strconv.FormatBool(x != 0)
		} else if typ == "decimal" {
			s += ".00"
		}
	case float64:
		s = strconv.FormatFloat(x, 'f', -1, 64)
		if typ == "decimal" {
			s = strconv.FormatFloat(math.Round(x*100)/100, 'f', 2, 64)
		}
	case []byte:
		s = string(x)
	default:
		s = fmt.Sprint(x)
	}
	return &s
}
