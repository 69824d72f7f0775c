package fault_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/askdb/askdb/internal/fault"
	"github.com/askdb/askdb/internal/llm"
	"github.com/askdb/askdb/internal/pipeline"
	"github.com/askdb/askdb/internal/source"
)

func TestClassify(t *testing.T) {
	wrap := func(err error) error { return fmt.Errorf("source %q: query: %w", "pg", err) }
	tests := []struct {
		name     string
		err      error
		category fault.Category
		code     string
		status   int
		retry    bool
	}{
		{"bad question", &pipeline.InputError{Err: pipeline.ErrEmptyQuestion}, fault.User, fault.CodeBadQuestion, 400, false},
		{"unknown source", fmt.Errorf("%w %q", source.ErrUnknownSource, "x"), fault.User, fault.CodeUnknownSource, 404, false},
		{"ambiguous source", source.ErrAmbiguousSource, fault.User, fault.CodeSourceRequired, 400, false},
		{"value too large", wrap(&source.LimitError{Limit: 1, Err: source.ErrValueTooLarge}), fault.User, fault.CodeResultTooLarge, 422, false},
		{"memory limit", wrap(source.ErrMemoryLimit), fault.User, fault.CodeResultTooLarge, 422, false},
		{"scan limit", wrap(&source.LimitError{Limit: 10 << 30, Err: source.ErrScanLimit}), fault.User, fault.CodeResultTooLarge, 422, false},
		{"no model", pipeline.ErrNoModel, fault.Fault, fault.CodeNoModel, 503, false},
		{"access denied", fmt.Errorf("route: %w", &pipeline.AccessError{User: "zed"}), fault.User, fault.CodeForbidden, 403, false},
		{"source timeout", wrap(source.ErrTimeout), fault.Fault, fault.CodeTimeout, 504, false},
		{"deadline", context.DeadlineExceeded, fault.Fault, fault.CodeTimeout, 504, false},
		{"model timeout", &llm.Error{Kind: llm.Timeout}, fault.Fault, fault.CodeTimeout, 504, false},
		{"source down", wrap(source.ErrUnreachable), fault.Fault, fault.CodeSourceUnavailable, 503, true},
		{"source auth", wrap(source.ErrAuth), fault.Fault, fault.CodeSourceUnavailable, 502, false},
		{"model throttled", &llm.Error{Kind: llm.Throttled}, fault.Fault, fault.CodeModelUnavailable, 503, true},
		{"model down", &llm.Error{Kind: llm.Unavailable}, fault.Fault, fault.CodeModelUnavailable, 502, true},
		{"model access denied", &llm.Error{Kind: llm.AccessDenied}, fault.Fault, fault.CodeModelUnavailable, 502, false},
		{"model bad request", &llm.Error{Kind: llm.InvalidRequest}, fault.Fault, fault.CodeInternal, 500, false},
		{"config", fmt.Errorf("wrapped: %w", source.ErrConfig), fault.Fault, fault.CodeConfig, 500, false},
		{"anything else", errors.New("boom"), fault.Fault, fault.CodeInternal, http.StatusInternalServerError, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := fault.Classify(tt.err)
			got := []any{c.Category, c.Code, c.Status, c.RetryAfter > 0}
			if diff := cmp.Diff([]any{tt.category, tt.code, tt.status, tt.retry}, got); diff != "" {
				t.Errorf("Classify(%v) (-want +got):\n%s", tt.err, diff)
			}
			if c.Message == "" {
				t.Error("empty message")
			}
		})
	}
	if c := fault.Classify(nil); c != (fault.Class{}) {
		t.Errorf("Classify(nil) = %+v", c)
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"postgres URL", `parse "postgres://analyst:hunter2@db.internal:5432/sales": bad`, `parse "postgres://db.internal:5432/sales": bad`},
		{"user only", "dial postgres://analyst@db:5432/x", "dial postgres://db:5432/x"},
		{"mysql DSN", "open reader:s3cret@tcp(my.internal:3306)/shop failed", "open tcp(my.internal:3306)/shop failed"},
		{"pgconn keywords", "failed to connect to `user=askdb_ro database=db`: 127.0.0.1:1: refused", "failed to connect to `user=… database=db`: 127.0.0.1:1: refused"},
		{"quoted password", `host=h user='u' password='p\'w' dbname=d`, "host=h user=… password=… dbname=d"},
		{"nothing to redact", "connect to 127.0.0.1:5432: database unreachable", "connect to 127.0.0.1:5432: database unreachable"},
		{"an e-mail is not a DSN", "ask alice@example.com", "ask alice@example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fault.Redact(tt.in); got != tt.want {
				t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
