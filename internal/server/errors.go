package server

import (
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/askdb/askdb/internal/fault"
	"github.com/askdb/askdb/internal/pipeline"
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

// classify maps an error from the pipeline or a source onto the answer
// of the taxonomy in package fault: 4xx for what the user can fix, 5xx for
// faults, with Retry-After where trying again may help. An internal fault
// names the stored answer, whose trace says what failed, rather than a
// raw error.
func classify(err error, ans *pipeline.Answer) *statusError {
	var se *statusError
	if errors.As(err, &se) {
		return se
	}
	c := fault.Classify(err)
	e := &statusError{status: c.Status, code: c.Code, msg: c.Message, retryAfter: c.RetryAfter}
	if ans != nil && c.Code != fault.CodeBadQuestion && c.Code != fault.CodeUnknownSource && c.Code != fault.CodeSourceRequired {
		e.answerID = ans.ID
	}
	switch c.Code {
	case fault.CodeTimeout:
		e.msg = "the request ran past its time limit"
	case fault.CodeInternal:
		e.msg = "askdb could not answer: an internal step failed"
		if ans != nil && ans.Message != "" {
			e.msg = ans.Message
		}
	}
	return e
}
