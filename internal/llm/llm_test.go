package llm

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/askdb/askdb/internal/config"
	"github.com/google/go-cmp/cmp"
)

func TestFromEnv(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want config.Model
		ok   bool
	}{
		{"unset", nil, config.Model{}, false},
		{"bedrock id keeps its colon", map[string]string{"ASKDB_MODEL": "bedrock:us.anthropic.claude-3-5-sonnet-20240620-v1:0", "AWS_DEFAULT_REGION": "eu-west-1"},
			config.Model{Kind: "bedrock", Model: "us.anthropic.claude-3-5-sonnet-20240620-v1:0", Region: "eu-west-1"}, true},
		{"sagemaker endpoint with profile", map[string]string{"ASKDB_MODEL": "sagemaker:jumpstart-llama", "AWS_REGION": "us-west-2", "AWS_PROFILE": "ml"},
			config.Model{Kind: "sagemaker", Model: "jumpstart-llama", Region: "us-west-2", Profile: "ml"}, true},
		{"openai with base url", map[string]string{"ASKDB_MODEL": "openai:llama3.1:8b", "OPENAI_BASE_URL": "http://localhost:11434/v1"},
			config.Model{Kind: "openai", Model: "llama3.1:8b", BaseURL: "http://localhost:11434/v1"}, true},
		{"anthropic with key", map[string]string{"ASKDB_MODEL": "Anthropic:claude-sonnet-4-20250514", "ANTHROPIC_API_KEY": "k"},
			config.Model{Kind: "anthropic", Model: "claude-sonnet-4-20250514", APIKey: "k"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := FromEnv(func(k string) string { return tt.env[k] })
			if ok != tt.ok {
				t.Errorf("ok = %v, want %v", ok, tt.ok)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("config (-want +got):\n%s", diff)
			}
		})
	}
}

func TestOpenUnknownKind(t *testing.T) {
	Register("test-kind", func(context.Context, string, config.Model, Options) (Model, error) { return nil, nil })
	_, err := Open(context.Background(), "sql", config.Model{Kind: "gemini", Model: "x"}, Options{})
	if err == nil || !strings.Contains(err.Error(), `unknown model kind "gemini" (known: `) || !strings.Contains(err.Error(), "test-kind") {
		t.Errorf("err = %v", err)
	}
	defer func() {
		if recover() == nil {
			t.Error("duplicate Register did not panic")
		}
	}()
	Register("test-kind", nil)
}

func TestBackoffBounds(t *testing.T) {
	p := NewPolicy("x", "", config.Model{}, Options{RetryBaseDelay: 10 * time.Millisecond})
	p.MaxDelay = 50 * time.Millisecond
	for n := range 10 {
		ceil := min(p.BaseDelay<<n, p.MaxDelay)
		for range 200 {
			if d := p.backoff(n); d < 0 || d > ceil {
				t.Fatalf("backoff(%d) = %v, want within [0, %v]", n, d, ceil)
			}
		}
	}
}

func TestDoStreamNoRetryAfterText(t *testing.T) {
	p := NewPolicy("x", "", config.Model{Model: "a", Fallback: []string{"b"}}, Options{RetryBaseDelay: time.Millisecond})
	calls := 0
	var got []string
	_, err := p.DoStream(context.Background(), func(s string) { got = append(got, s) },
		func(ctx context.Context, id string, emit func(string)) (*Response, error) {
			calls++
			emit("SELECT")
			return nil, &Error{Provider: "x", Model: id, Kind: Unavailable, Retryable: true}
		})
	if calls != 1 || KindOf(err) != Unavailable || len(got) != 1 {
		t.Errorf("calls = %d, err = %v, deltas = %q: a stream that showed text must not be retried or fall back", calls, err, got)
	}
}

func TestDoStopsWhenCallerCancels(t *testing.T) {
	p := NewPolicy("x", "", config.Model{Model: "a"}, Options{RetryBaseDelay: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	_, err := p.Do(ctx, func(ctx context.Context, id string) (*Response, error) {
		calls++
		cancel()
		return nil, &Error{Kind: Throttled, Retryable: true}
	})
	if !errors.Is(err, context.Canceled) || calls != 1 {
		t.Errorf("err = %v after %d calls, want context.Canceled after 1", err, calls)
	}
}

func TestFallbackErrorKeepsLast(t *testing.T) {
	zero := 0
	p := NewPolicy("x", "", config.Model{Model: "a", Fallback: []string{"b"}, MaxRetries: &zero}, Options{})
	_, err := p.Do(context.Background(), func(ctx context.Context, id string) (*Response, error) {
		if id == "a" {
			return nil, &Error{Model: id, Kind: AccessDenied, Message: "denied a"}
		}
		return nil, &Error{Model: id, Kind: NotFound, Message: "no b"}
	})
	var le *Error
	if !errors.As(err, &le) || le.Model != "b" || !strings.Contains(err.Error(), "denied a") {
		t.Errorf("err = %v, want the last model's error first, with the earlier one kept", err)
	}
}

func TestClassifyTransport(t *testing.T) {
	tests := []struct {
		err       error
		kind      ErrorKind
		retryable bool
		msg       string
	}{
		{&net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}, Unavailable, false, "srv is not reachable: check it"},
		{io.ErrUnexpectedEOF, Unavailable, true, `srv dropped the connection for model "m"`},
		{errors.New("odd"), Other, false, `srv: model "m": odd`},
	}
	for _, tt := range tests {
		e := (&Error{Model: "m", Err: tt.err}).ClassifyTransport("srv", "check it")
		if e.Kind != tt.kind || e.Retryable != tt.retryable || !strings.HasPrefix(e.Message, tt.msg) {
			t.Errorf("%v: %+v", tt.err, e)
		}
	}
}
