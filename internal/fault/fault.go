// Package fault is askdb's one error taxonomy, used by every edge (the
// HTTP server, the MCP server, the CLI and the Lambda handler). Classify
// sorts an error from the pipeline, a source or a model into a Class: what
// the caller can fix (a bad question, an unknown source, a result too
// large) versus a fault (a database or model down, a timeout, a
// misconfiguration), with the HTTP status, a stable code, a retry hint and
// a message safe to show. Each edge renders the Class in its own shape.
//
// It sits above pipeline, source and llm and below the edges; it must not
// import server, mcpserver, cli or awslambda.
package fault

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/askdb/askdb/internal/llm"
	"github.com/askdb/askdb/internal/pipeline"
	"github.com/askdb/askdb/internal/source"
)

// Category says who can act on an error.
type Category string

const (
	// User: the caller can fix the request (4xx; an MCP tool error; a
	// Bedrock Agent reprompt).
	User Category = "user"
	// Fault: askdb, its configuration or a dependency failed (5xx).
	Fault Category = "fault"
)

// Codes are the stable machine codes of a Class, as the JSON API sends them.
const (
	CodeBadQuestion       = "bad_question"
	CodeUnknownSource     = "unknown_source"
	CodeSourceRequired    = "source_required"
	CodeForbidden         = "forbidden"
	CodeResultTooLarge    = "result_too_large"
	CodeNoModel           = "no_model"
	CodeTimeout           = "timeout"
	CodeSourceUnavailable = "source_unavailable"
	CodeModelUnavailable  = "model_unavailable"
	CodeConfig            = "config"
	CodeInternal          = "internal"
)

// Retry hints: how long a caller should wait before trying again a request
// that failed on a dependency that may come back.
const (
	RetryModelThrottled = 10 * time.Second
	RetryUnavailable    = 5 * time.Second
)

// Class is what an edge needs to answer for an error.
type Class struct {
	Category Category
	Code     string
	// Status is the HTTP status of the error.
	Status int
	// RetryAfter, when set, says the same request may succeed after it.
	RetryAfter time.Duration
	// Message is safe to show the caller: the error's own message with
	// credentials redacted (for a bad question, the input problem alone).
	Message string
}

// Classify sorts err into its Class. A nil error has the zero Class.
func Classify(err error) Class {
	if err == nil {
		return Class{}
	}
	c := classify(err)
	if c.Message == "" {
		c.Message = Redact(err.Error())
	}
	return c
}

func classify(err error) Class {
	var in *pipeline.InputError
	switch {
	case errors.As(err, &in):
		c := user(CodeBadQuestion, http.StatusBadRequest)
		c.Message = in.Error()
		return c
	case errors.Is(err, pipeline.ErrForbidden):
		// The access rules give the caller no access; the message says so.
		return user(CodeForbidden, http.StatusForbidden)
	case errors.Is(err, source.ErrUnknownSource):
		return user(CodeUnknownSource, http.StatusNotFound)
	case errors.Is(err, source.ErrAmbiguousSource):
		return user(CodeSourceRequired, http.StatusBadRequest)
	case errors.Is(err, source.ErrValueTooLarge), errors.Is(err, source.ErrMemoryLimit), errors.Is(err, source.ErrScanLimit):
		return user(CodeResultTooLarge, http.StatusUnprocessableEntity)
	case errors.Is(err, source.ErrConfig):
		return fault(CodeConfig, http.StatusInternalServerError, 0)
	case errors.Is(err, pipeline.ErrNoModel):
		return fault(CodeNoModel, http.StatusServiceUnavailable, 0)
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, source.ErrTimeout), llm.KindOf(err) == llm.Timeout:
		return fault(CodeTimeout, http.StatusGatewayTimeout, 0)
	case errors.Is(err, source.ErrUnreachable):
		return fault(CodeSourceUnavailable, http.StatusServiceUnavailable, RetryUnavailable)
	case errors.Is(err, source.ErrAuth):
		return fault(CodeSourceUnavailable, http.StatusBadGateway, 0)
	}
	if c, ok := modelClass(llm.KindOf(err)); ok {
		return c
	}
	return fault(CodeInternal, http.StatusInternalServerError, 0)
}

// modelClass maps the kind of a failed model call (after its retries and
// fallbacks). A request the provider calls invalid, and anything
// unclassified, stays an internal fault.
func modelClass(k llm.ErrorKind) (Class, bool) {
	switch k {
	case llm.Throttled:
		return fault(CodeModelUnavailable, http.StatusServiceUnavailable, RetryModelThrottled), true
	case llm.Unavailable:
		return fault(CodeModelUnavailable, http.StatusBadGateway, RetryUnavailable), true
	case llm.Auth, llm.AccessDenied, llm.NotFound:
		return fault(CodeModelUnavailable, http.StatusBadGateway, 0), true
	}
	return Class{}, false
}

func user(code string, status int) Class {
	return Class{Category: User, Code: code, Status: status}
}

func fault(code string, status int, retry time.Duration) Class {
	return Class{Category: Fault, Code: code, Status: status, RetryAfter: retry}
}

// IsUser reports whether the caller can fix err.
func IsUser(err error) bool { return Classify(err).Category == User }
