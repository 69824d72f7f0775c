package mcpserver

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/askdb/askdb/internal/fault"
	"github.com/askdb/askdb/internal/pipeline"
	"github.com/askdb/askdb/internal/trace"
)

// toolError is a problem the calling model can act on (a refused query, an
// unknown table or source). The SDK turns it into a result with isError.
type toolError struct{ msg string }

func (e *toolError) Error() string { return e.msg }

// classify sorts err with package fault: what the calling model can act
// on (a bad question, an unknown source, a result too large) becomes a tool
// error, and a fault (a database or model down, a timeout) a JSON-RPC
// internal error, with a retry hint when trying again may help.
func classify(err error) error {
	var te *toolError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &te):
		return err
	}
	c := fault.Classify(err)
	switch {
	case c.Code == fault.CodeBadQuestion:
		return &toolError{msg: "The question was not accepted: " + c.Message}
	case c.Code == fault.CodeUnknownSource, c.Code == fault.CodeSourceRequired:
		return &toolError{msg: c.Message + ". Call list_sources to see the source names."}
	case c.Category == fault.User:
		return &toolError{msg: c.Message}
	}
	msg := "askdb: " + c.Message
	if c.RetryAfter > 0 {
		msg += fmt.Sprintf(" (try again in %s)", c.RetryAfter)
	}
	return &jsonrpc.Error{Code: jsonrpc.CodeInternalError, Message: msg}
}

// answerError maps an answer that did not reach one of the wanted outcomes
// onto an error: a tool error for refusals, a fault otherwise.
func answerError(ans *pipeline.Answer, err error, want ...pipeline.Outcome) error {
	if err != nil {
		return classify(err)
	}
	for _, o := range want {
		if ans.Outcome == o {
			return nil
		}
	}
	var b strings.Builder
	b.WriteString(ans.Message)
	if ans.SQL != "" {
		b.WriteString("\nSQL: " + ans.SQL)
	}
	switch ans.Outcome {
	case pipeline.Refused:
		b.WriteString("\nOnly one read-only SELECT is allowed; askdb never changes data.")
	case pipeline.NoSQL:
		b.WriteString("\nRephrase the question, or write the query yourself with describe_schema and execute_sql.")
	case pipeline.Failed:
		b.WriteString("\nCheck table and column names with describe_schema and try again.")
	}
	return &toolError{msg: b.String()}
}

// progress returns an observer that sends each pipeline step as a
// progress notification, or nil when the client sent no progress token.
func (s *Server) progress(ctx context.Context, req *mcp.CallToolRequest) func(trace.Step) {
	if req == nil || req.Session == nil || req.Params == nil {
		return nil
	}
	token := req.Params.GetProgressToken()
	if token == nil {
		return nil
	}
	var mu sync.Mutex
	n := 0
	return func(st trace.Step) {
		mu.Lock()
		defer mu.Unlock()
		n++
		msg := st.Name
		if st.Decision != "" {
			msg += ": " + st.Decision
		}
		p := &mcp.ProgressNotificationParams{ProgressToken: token, Progress: float64(n), Message: msg}
		if err := req.Session.NotifyProgress(ctx, p); err != nil {
			s.opts.Logger.Debug("mcp progress", "err", err)
		}
	}
}
