package cli

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/askdb/askdb/internal/store"
)

func init() { extraCommands = append(extraCommands, newAuditCmd) }

func newAuditCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Read the audit log",
	}
	cmd.AddCommand(newAuditExportCmd(a))
	return cmd
}

func newAuditExportCmd(a *app) *cobra.Command {
	var since, until, format, user, src, out string
	cmd := &cobra.Command{
		Use:   "export --since DURATION|TIMESTAMP [--until …] [--format jsonl|csv] [--user U] [--source S] [--out FILE]",
		Short: "Export audit records (who asked what, the SQL written and run, the outcome)",
		Long: `Export the audit log's records in a time range, oldest first, as JSON lines
(one object per record) or CSV with a header row. --since and --until take a
duration back from now (15m, 24h, 7d) or a timestamp (RFC 3339 or 2006-01-02).
Answer payloads (result rows) are never exported. See docs/audit.md.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			now := time.Now()
			f := store.AuditFilter{User: user, Source: src}
			var err error
			if f.Since, err = parseAuditTime("--since", since, now); err != nil {
				return &usageError{err}
			}
			if until != "" {
				if f.Until, err = parseAuditTime("--until", until, now); err != nil {
					return &usageError{err}
				}
				if !f.Until.After(f.Since) {
					return &usageError{fmt.Errorf("--until %q is not after --since %q", until, since)}
				}
			}
			enc, err := newAuditEncoder(format)
			if err != nil {
				return &usageError{err}
			}
			ctx := cmd.Context()
			st, err := a.openStore(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			al, ok := st.(store.AuditLog)
			if !ok {
				return fmt.Errorf("store %T cannot export its audit log", st)
			}
			return writeAuditFile(out, a.stdout, func(w io.Writer) error {
				bw := bufio.NewWriter(w)
				write := enc(bw)
				if err := al.EachAnswer(ctx, f, write.record); err != nil {
					return err
				}
				if err := write.flush(); err != nil {
					return err
				}
				return bw.Flush()
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&since, "since", "", "start of the range: a duration back from now (15m, 24h, 7d) or a timestamp (required)")
	fl.StringVar(&until, "until", "", "end of the range, exclusive (default now)")
	fl.StringVar(&format, "format", "jsonl", "output format: jsonl or csv")
	fl.StringVar(&user, "user", "", "only this user's records")
	fl.StringVar(&src, "source", "", "only records about this source")
	fl.StringVarP(&out, "out", "o", "", "write to FILE instead of stdout")
	return cmd
}

// writeAuditFile runs write on path (created 0600: the log names people
// and their questions), or on stdout when path is empty.
func writeAuditFile(path string, stdout io.Writer, write func(io.Writer) error) error {
	if path == "" {
		return write(stdout)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("--out %q: %w", path, err)
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("--out %q: %w", path, err)
	}
	return nil
}

// auditTimeLayouts are the timestamps --since and --until accept.
var auditTimeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02"}

// parseAuditTime reads a duration back from now ("90m", "7d") or a
// timestamp (UTC unless it names a zone).
func parseAuditTime(flag, v string, now time.Time) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, fmt.Errorf("%s is required: give a duration (15m, 24h, 7d) or a timestamp (2025-06-15T10:30:00Z)", flag)
	}
	if d, ok := parseAuditDuration(v); ok {
		if d <= 0 {
			return time.Time{}, fmt.Errorf("%s %q: a duration must be positive (how far back from now)", flag, v)
		}
		return now.Add(-d), nil
	}
	for _, layout := range auditTimeLayouts {
		if t, err := time.ParseInLocation(layout, v, time.UTC); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%s %q: not a duration (15m, 24h, 7d) or a timestamp (RFC 3339 such as 2025-06-15T10:30:00Z, or 2025-06-15)", flag, v)
}

// parseAuditDuration is time.ParseDuration plus whole days ("7d").
func parseAuditDuration(v string) (time.Duration, bool) {
	if days, ok := strings.CutSuffix(v, "d"); ok {
		n, err := strconv.Atoi(days)
		return time.Duration(n) * 24 * time.Hour, err == nil
	}
	d, err := time.ParseDuration(v)
	return d, err == nil
}

// auditWriter writes records in one format; flush ends the output.
type auditWriter struct {
	record func(store.AnswerRecord) error
	flush  func() error
}

// newAuditEncoder returns the constructor of format's writer.
func newAuditEncoder(format string) (func(io.Writer) auditWriter, error) {
	switch strings.ToLower(format) {
	case "jsonl":
		return jsonlAudit, nil
	case "csv":
		return csvAudit, nil
	}
	return nil, fmt.Errorf("--format %q: must be jsonl or csv", format)
}

// auditExport is one exported record: its field names are the stable
// contract of askdb audit export (docs/audit.md).
type auditExport struct {
	Time           string   `json:"time"`
	ID             string   `json:"id"`
	User           string   `json:"user"`
	Groups         []string `json:"groups"`
	Source         string   `json:"source"`
	ConversationID string   `json:"conversation_id"`
	Question       string   `json:"question"`
	SQLWritten     string   `json:"sql_written"`
	SQLRun         string   `json:"sql_run"`
	Verdicts       []string `json:"verdicts"`
	Outcome        string   `json:"outcome"`
	Message        string   `json:"message"`
	Engine         string   `json:"engine"`
	RowCount       int      `json:"row_count"`
	DurationMS     float64  `json:"duration_ms"`
	InputTokens    int      `json:"input_tokens"`
	OutputTokens   int      `json:"output_tokens"`
	ModelCalls     int      `json:"model_calls"`
}

func newAuditExport(a store.AnswerRecord) auditExport {
	nonNil := func(s []string) []string {
		if s == nil {
			return []string{}
		}
		return s
	}
	return auditExport{
		Time: a.CreatedAt.UTC().Format(time.RFC3339Nano), ID: a.ID, User: a.User, Groups: nonNil(a.Groups),
		Source: a.Source, ConversationID: a.ConversationID, Question: a.Question, SQLWritten: a.SQLWritten,
		SQLRun: a.SQL, Verdicts: nonNil(a.Verdicts), Outcome: a.Outcome, Message: a.Message, Engine: a.Engine,
		RowCount: a.RowCount, DurationMS: float64(a.Duration.Microseconds()) / 1000,
		InputTokens: a.InputTokens, OutputTokens: a.OutputTokens, ModelCalls: a.ModelCalls,
	}
}

func jsonlAudit(w io.Writer) auditWriter {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return auditWriter{
		record: func(a store.AnswerRecord) error { return enc.Encode(newAuditExport(a)) },
		flush:  func() error { return nil },
	}
}

// auditCSVHeader is the CSV header, the jsonl field names in their order;
// groups and verdicts are joined with ";".
var auditCSVHeader = []string{"time", "id", "user", "groups", "source", "conversation_id", "question", "sql_written",
	"sql_run", "verdicts", "outcome", "message", "engine", "row_count", "duration_ms", "input_tokens", "output_tokens", "model_calls"}

func csvAudit(w io.Writer) auditWriter {
	cw := csv.NewWriter(w)
	header := false
	writeHeader := func() error {
		if header {
			return nil
		}
		header = true
		return cw.Write(auditCSVHeader)
	}
	return auditWriter{
		record: func(a store.AnswerRecord) error {
			if err := writeHeader(); err != nil {
				return err
			}
			e := newAuditExport(a)
			return cw.Write([]string{e.Time, e.ID, e.User, strings.Join(e.Groups, ";"), e.Source, e.ConversationID,
				e.Question, e.SQLWritten, e.SQLRun, strings.Join(e.Verdicts, ";"), e.Outcome, e.Message, e.Engine,
				strconv.Itoa(e.RowCount), strconv.FormatFloat(e.DurationMS, 'f', -1, 64), strconv.Itoa(e.InputTokens),
				strconv.Itoa(e.OutputTokens), strconv.Itoa(e.ModelCalls)})
		},
		flush: func() error {
			if err := writeHeader(); err != nil {
				return err
			}
			cw.Flush()
			return cw.Error()
		},
	}
}
