package athena

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/athena/types"

	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/source/glue"
)

// failure is a query that ended FAILED or CANCELLED in Athena.
type failure struct {
	id   string
	exec *types.QueryExecution
}

func (f *failure) Error() string {
	return fmt.Sprintf("query %s %s: %s", f.id, strings.ToLower(string(f.exec.Status.State)), f.message())
}

// message is Athena's own message: the AthenaError's, else the state
// change reason.
func (f *failure) message() string {
	st := f.exec.Status
	if st.AthenaError != nil && aws.ToString(st.AthenaError.ErrorMessage) != "" {
		return aws.ToString(st.AthenaError.ErrorMessage)
	}
	return or(aws.ToString(st.StateChangeReason), "no reason given")
}

// category is the AthenaError's ErrorCategory: 1 system, 2 user, 3 other.
func (f *failure) category() int32 {
	if e := f.exec.Status.AthenaError; e != nil {
		return aws.ToInt32(e.ErrorCategory)
	}
	return 0
}

// Phrases of Athena's failure messages that askdb acts on.
const (
	scanCutoffPhrase = "Bytes scanned limit was exceeded"
	timeoutPhrase    = "Query timeout"
)

// Messages by which Athena, S3 or Lake Formation refuse a statement for
// lack of permission.
var deniedPhrases = []string{"Insufficient permissions", "AccessDenied", "Access Denied", "not authorized"}

// queryError maps an error of op ("query", "explain") onto askdb's
// taxonomy, in the order every kind uses: a limit, a refused write, the
// caller's cancellation, the time limit, an unreachable service or bad
// credentials, then the engine's own message kept verbatim.
func (s *Source) queryError(ctx context.Context, op string, err error, timeout time.Duration) error {
	wrap := func(err error) error { return fmt.Errorf("source %q: %s: %w", s.name, op, err) }
	var f *failure
	isFailure := errors.As(err, &f)
	switch {
	case isFailure && strings.Contains(f.message(), scanCutoffPhrase):
		return wrap(&source.LimitError{Limit: s.wg.cutoff, Err: source.ErrScanLimit, Cause: errors.New(f.message())})
	case isFailure && isWrite(f.exec) && containsAny(f.message(), deniedPhrases):
		return wrap(fmt.Errorf("%w: %s", source.ErrReadOnly, f.message()))
	case errors.Is(ctx.Err(), context.Canceled):
		return wrap(ctx.Err())
	case errors.Is(err, context.DeadlineExceeded), isFailure && strings.Contains(f.message(), timeoutPhrase):
		return wrap(fmt.Errorf("%w (%s)", source.ErrTimeout, timeout))
	case isFailure && f.exec.Status.State == types.QueryExecutionStateCancelled:
		return wrap(fmt.Errorf("%w: query %s was cancelled in Athena: %s", source.ErrUnreachable, f.id, f.message()))
	case isFailure && f.category() == 1:
		return wrap(fmt.Errorf("%w: %s", source.ErrUnreachable, f))
	case isFailure:
		return &source.EngineError{Source: s.name, Op: op, Message: f.message(), Code: errorType(f.exec), Err: f}
	}
	if msg, ok := invalidRequest(err); ok {
		return &source.EngineError{Source: s.name, Op: op, Message: msg, Err: err}
	}
	return wrap(classify(err))
}

// isWrite reports whether Athena saw a statement that writes: DDL, or DML
// other than a query.
func isWrite(exec *types.QueryExecution) bool {
	switch exec.StatementType {
	case types.StatementTypeDdl:
		return true
	case types.StatementTypeDml:
		return exec.SubstatementType != nil && !strings.EqualFold(aws.ToString(exec.SubstatementType), "SELECT")
	}
	return false
}

func errorType(exec *types.QueryExecution) string {
	if e := exec.Status.AthenaError; e != nil && e.ErrorType != nil {
		return fmt.Sprint(aws.ToInt32(e.ErrorType))
	}
	return ""
}

// invalidRequest reads the message of the InvalidRequestException that
// StartQueryExecution returns for a statement it cannot parse
// (AthenaErrorCode MALFORMED_QUERY). Other invalid requests (no output
// location, an unknown workgroup) are the configuration's, not the SQL's.
func invalidRequest(err error) (string, bool) {
	var ire *types.InvalidRequestException
	if errors.As(err, &ire) && aws.ToString(ire.AthenaErrorCode) == "MALFORMED_QUERY" {
		return ire.ErrorMessage(), true
	}
	return "", false
}

// classify maps AWS API errors with the shared rules of package glue.
func classify(err error) error { return glue.Classify(err) }

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
