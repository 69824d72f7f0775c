package llm

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"syscall"
)

// ErrorKind is the closed set of failures callers act on.
type ErrorKind string

// The kinds of Error.
const (
	// Throttled: the provider asked us to slow down (429, ThrottlingException).
	Throttled ErrorKind = "throttled"
	// Unavailable: the provider or server failed or could not be reached (5xx,
	// connection refused, model not ready).
	Unavailable ErrorKind = "unavailable"
	// AccessDenied: the credentials are valid but may not use this model.
	AccessDenied ErrorKind = "access_denied"
	// Auth: the credentials are missing or rejected.
	Auth ErrorKind = "auth"
	// InvalidRequest: the request itself is wrong (400); retrying or another
	// model will not help.
	InvalidRequest ErrorKind = "invalid_request"
	// NotFound: the model id does not exist here.
	NotFound ErrorKind = "not_found"
	// Timeout: the call ran past the model's timeout.
	Timeout ErrorKind = "timeout"
	// Other: anything else.
	Other ErrorKind = "other"
)

// Error is a failed model call, with a message a user can act on.
type Error struct {
	Provider string // "bedrock", "sagemaker", "openai", "anthropic"
	Model    string // model id
	Region   string // AWS region, or the base URL for HTTP providers
	Kind     ErrorKind
	// Message is the whole sentence shown to a user; it names the provider,
	// the model and the region and says what to do.
	Message string
	// Retryable says the same call may succeed if tried again later.
	Retryable bool
	Err       error

	// final stops fallback, e.g. after a stream already showed text.
	final bool
}

func (e *Error) Error() string {
	if e.Message != "" {
		return e.Message
	}
	msg := fmt.Sprintf("%s model %q failed (%s)", e.Provider, e.Model, e.Kind)
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the SDK error underneath.
func (e *Error) Unwrap() error { return e.Err }

// fallsBack says whether trying the next model in the fallback list may
// help. It does for failures specific to one model; it does not for a bad
// request, bad credentials or a timeout the user chose.
func (e *Error) fallsBack() bool {
	if e.final {
		return false
	}
	switch e.Kind {
	case AccessDenied, NotFound, Throttled, Unavailable:
		return true
	}
	return false
}

// KindOf returns the kind of the first *Error in err's chain, or Other.
func KindOf(err error) ErrorKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Other
}

// IsRetryable reports whether err is an *Error marked Retryable.
func IsRetryable(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Retryable
}

// KindForStatus maps an HTTP status to a kind and whether it is worth
// retrying. 408, 409, 429 and 5xx are retryable; other 4xx are not.
func KindForStatus(status int) (ErrorKind, bool) {
	switch {
	case status == http.StatusTooManyRequests:
		return Throttled, true
	case status == http.StatusUnauthorized:
		return Auth, false
	case status == http.StatusForbidden:
		return AccessDenied, false
	case status == http.StatusNotFound:
		return NotFound, false
	case status == http.StatusRequestTimeout || status == http.StatusConflict:
		return Unavailable, true
	case status == 529 || status >= 500: // 529: Anthropic "overloaded"
		return Unavailable, true
	case status >= 400:
		return InvalidRequest, false
	}
	return Other, false
}

// Unreachable reports whether err means the server could not be reached at
// all: connection refused, or a host name that does not resolve. Retrying
// that at once rarely helps, so providers report it without retries.
func Unreachable(err error) bool {
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return true
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		return true
	}
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial" && !op.Timeout()
}

// Transient reports whether err is a network failure after the connection
// was made (reset, unexpected EOF), which is worth retrying.
func Transient(err error) bool {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne)
}

// ClassifyTransport fills e (whose Model and Err are set) for a failure
// that is not an answer from the API: the server could not be reached
// (unreachable says what to check), it dropped the connection (worth a
// retry), or something else. server names the endpoint the way a user
// knows it. Every provider's classify ends here for non-API errors.
func (e *Error) ClassifyTransport(server, unreachable string) *Error {
	switch {
	case Unreachable(e.Err):
		e.Kind = Unavailable
		e.Message = fmt.Sprintf("%s is not reachable: %s", server, unreachable)
	case Transient(e.Err):
		e.Kind, e.Retryable = Unavailable, true
		e.Message = fmt.Sprintf("%s dropped the connection for model %q: %v", server, e.Model, e.Err)
	default:
		e.Kind = Other
		e.Message = fmt.Sprintf("%s: model %q: %v", server, e.Model, e.Err)
	}
	return e
}
