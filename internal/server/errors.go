package server

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/askdb/askdb/internal/llm"
	"github.com/askdb/askdb/internal/pipeline"
	"github.com/askdb/askdb/internal/source"
)

// apiError is the body of every error response.
type apiError struct {
	Error errorBody `json:"error"`
}

type errorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	// AnswerID names the stored answer (with its trace) of a failed question.
	AnswerID string `json:"answer_id,omitempty"`
}

// statusError is an error with its HTTP status and code.
type statusError struct {
	status   int
	code     string
	msg      string
	answerID string
	// retryAfter, when set, is sent as Retry-After in whole seconds.
	retryAfter time.Duration
}

func (e *statusError) Error() string { return e.msg }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, apiError{Error: errorBody{Code: code, Message: msg}})
}

func writeStatusError(w http.ResponseWriter, e *statusError) {
	if e.retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(e.retryAfter.Seconds())))))
	}
	writeJSON(w, e.status, apiError{Error: errorBody{Code: e.code, Message: e.msg, AnswerID: e.answerID}})
}

// classify maps an error from the pipeline or a source to a status: 4xx
// for what the user can fix, 5xx for faults. Fault messages name the
// stored answer, whose trace says what failed, rather than a raw error.
// A dependency that is down is not an internal fault: a model outage is
// 502 (503 when throttled) model_unavailable, a database that cannot be
// reached or dropped the connection is 503 source_unavailable, and a
// timeout of either is 504.
func classify(err error, ans *pipeline.Answer) *statusError {
	var in *pipeline.InputError
	var se *statusError
	id := ""
	if ans != nil {
		id = ans.ID
	}
	switch {
	case errors.As(err, &se):
		return se
	case errors.As(err, &in):
		return &statusError{status: http.StatusBadRequest, code: "bad_question", msg: in.Error()}
	case errors.Is(err, source.ErrUnknownSource):
		return &statusError{status: http.StatusNotFound, code: "unknown_source", msg: err.Error()}
	case errors.Is(err, source.ErrAmbiguousSource):
		return &statusError{status: http.StatusBadRequest, code: "source_required", msg: err.Error()}
	case errors.Is(err, source.ErrValueTooLarge), errors.Is(err, source.ErrMemoryLimit):
		return &statusError{status: http.StatusUnprocessableEntity, code: "result_too_large", msg: err.Error(), answerID: id}
	case errors.Is(err, pipeline.ErrNoModel):
		return &statusError{status: http.StatusServiceUnavailable, code: "no_model", msg: err.Error(), answerID: id}
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, source.ErrTimeout), llm.KindOf(err) == llm.Timeout:
		return &statusError{status: http.StatusGatewayTimeout, code: "timeout", msg: "the request ran past its time limit", answerID: id}
	case errors.Is(err, source.ErrUnreachable):
		return &statusError{status: http.StatusServiceUnavailable, code: "source_unavailable", msg: err.Error(), answerID: id}
	case errors.Is(err, source.ErrAuth):
		return &statusError{status: http.StatusBadGateway, code: "source_unavailable", msg: err.Error(), answerID: id}
	}
	if status, ok := modelStatus(llm.KindOf(err)); ok {
		return &statusError{status: status, code: "model_unavailable", msg: err.Error(), answerID: id}
	}
	msg := "askdb could not answer: an internal step failed"
	if ans != nil && ans.Message != "" {
		msg = ans.Message
	}
	return &statusError{status: http.StatusInternalServerError, code: "internal", msg: msg, answerID: id}
}

// modelStatus maps the kind of a failed model call (after its retries and
// fallbacks) onto a status. A request the provider calls invalid, and
// anything unclassified, stays an internal fault.
func modelStatus(k llm.ErrorKind) (int, bool) {
	switch k {
	case llm.Throttled:
		return http.StatusServiceUnavailable, true
	case llm.Unavailable, llm.Auth, llm.AccessDenied, llm.NotFound:
		return http.StatusBadGateway, true
	}
	return 0, false
}
