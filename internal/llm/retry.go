package llm

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/askdb/askdb/internal/config"
)

// Defaults of the call policy.
const (
	DefaultMaxRetries = 3
	DefaultTimeout    = 60 * time.Second
	DefaultBaseDelay  = 500 * time.Millisecond
	DefaultMaxDelay   = 20 * time.Second
)

// Policy is the one retry, timeout and fallback policy every provider uses,
// so that the SDKs' own retries are switched off and behaviour is the same
// whichever provider answers.
type Policy struct {
	Provider string
	Region   string // AWS region or base URL, for messages
	// Models are tried in order: the primary model, then the fallbacks.
	Models []string
	// MaxRetries is the number of retries per model after the first try.
	MaxRetries int
	// Timeout bounds each attempt.
	Timeout time.Duration
	// BaseDelay and MaxDelay bound the exponential backoff with full jitter.
	BaseDelay time.Duration
	MaxDelay  time.Duration
	Logger    *slog.Logger
}

// NewPolicy builds the policy of a model config, filling in defaults.
func NewPolicy(provider, region string, cfg config.Model, opts Options) Policy {
	p := Policy{
		Provider:   provider,
		Region:     region,
		Models:     append([]string{cfg.Model}, cfg.Fallback...),
		MaxRetries: DefaultMaxRetries,
		Timeout:    cfg.Timeout.Std(),
		BaseDelay:  opts.RetryBaseDelay,
		MaxDelay:   DefaultMaxDelay,
		Logger:     opts.Logger,
	}
	if cfg.MaxRetries != nil && *cfg.MaxRetries >= 0 {
		p.MaxRetries = *cfg.MaxRetries
	}
	if p.Timeout <= 0 {
		p.Timeout = DefaultTimeout
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = DefaultBaseDelay
	}
	if p.MaxDelay < p.BaseDelay {
		p.MaxDelay = p.BaseDelay
	}
	if p.Logger == nil {
		p.Logger = slog.New(slog.DiscardHandler)
	}
	return p
}

// Attempt makes one call to one model. It must return an *Error (or wrap
// one) on failure so that the policy can tell what to do.
type Attempt func(ctx context.Context, modelID string) (*Response, error)

// Do runs attempt over the models in order, retrying each on retryable
// errors with backoff, and moving to the next model when a failure is
// specific to the model (access denied, not found, still throttled or
// unavailable after retries). A bad request stops at once.
func (p Policy) Do(ctx context.Context, attempt Attempt) (*Response, error) {
	attempts := 0
	var errs []error
	for i, id := range p.Models {
		resp, n, err := p.retry(ctx, id, attempt)
		attempts += n
		if err == nil {
			resp.Attempts = attempts
			if resp.Model == "" {
				resp.Model = id
			}
			return resp, nil
		}
		errs = append(errs, err)
		var le *Error
		if ctx.Err() != nil || !errors.As(err, &le) || !le.fallsBack() || i == len(p.Models)-1 {
			break
		}
		p.Logger.WarnContext(ctx, "model failed, falling back",
			"provider", p.Provider, "model", id, "next", p.Models[i+1], "kind", le.Kind, "err", err)
	}
	if len(errs) == 1 {
		return nil, errs[0]
	}
	// The last error leads so that callers' errors.As finds it first.
	last := errs[len(errs)-1]
	return nil, fmt.Errorf("%w (after %d models: %w)", last, len(errs), errors.Join(errs[:len(errs)-1]...))
}

// retry runs attempt on one model until it succeeds, fails for good, or
// runs out of retries. It returns the number of attempts made.
func (p Policy) retry(ctx context.Context, id string, attempt Attempt) (*Response, int, error) {
	for n := 0; ; n++ {
		resp, err := p.once(ctx, id, attempt)
		if err == nil {
			return resp, n + 1, nil
		}
		if ctx.Err() != nil {
			return nil, n + 1, fmt.Errorf("%s model %q: %w", p.Provider, id, ctx.Err())
		}
		if !IsRetryable(err) || n >= p.MaxRetries {
			return nil, n + 1, err
		}
		d := p.backoff(n)
		p.Logger.InfoContext(ctx, "model call failed, retrying",
			"provider", p.Provider, "model", id, "attempt", n+1, "delay", d, "err", err)
		if err := sleep(ctx, d); err != nil {
			return nil, n + 1, fmt.Errorf("%s model %q: %w", p.Provider, id, err)
		}
	}
}

// once makes one attempt bounded by the policy's timeout, and names a
// timeout as such whatever the SDK made of the expired context.
func (p Policy) once(ctx context.Context, id string, attempt Attempt) (*Response, error) {
	actx, cancel := context.WithTimeout(ctx, p.Timeout)
	defer cancel()
	resp, err := attempt(actx, id)
	if err != nil && ctx.Err() == nil && errors.Is(actx.Err(), context.DeadlineExceeded) {
		return nil, &Error{
			Provider: p.Provider, Model: id, Region: p.Region, Kind: Timeout, Err: err,
			Message: fmt.Sprintf("%s model %q%s did not answer within %s: raise the model's timeout in askdb.yaml or pick a faster model",
				p.Provider, id, where(p.Region), p.Timeout),
		}
	}
	return resp, err
}

// backoff returns a random delay in [0, min(MaxDelay, BaseDelay*2^n)]:
// exponential backoff with full jitter.
func (p Policy) backoff(n int) time.Duration {
	ceil := p.BaseDelay << min(n, 30)
	if ceil <= 0 || ceil > p.MaxDelay {
		ceil = p.MaxDelay
	}
	return time.Duration(rand.Int64N(int64(ceil) + 1))
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func where(region string) string {
	if region == "" {
		return ""
	}
	return " in " + region
}

// StreamAttempt makes one streaming call; emit forwards a piece of text.
type StreamAttempt func(ctx context.Context, modelID string, emit func(string)) (*Response, error)

// DoStream is Do for streaming calls. Once any text has reached onDelta a
// failure is final: the caller has shown text that cannot be taken back.
func (p Policy) DoStream(ctx context.Context, onDelta func(string), attempt StreamAttempt) (*Response, error) {
	emitted := false
	emit := func(s string) {
		if s == "" {
			return
		}
		emitted = true
		if onDelta != nil {
			onDelta(s)
		}
	}
	return p.Do(ctx, func(ctx context.Context, id string) (*Response, error) {
		resp, err := attempt(ctx, id, emit)
		if err != nil && emitted {
			var le *Error
			if errors.As(err, &le) {
				cp := *le
				cp.Retryable = false
				cp.final = true
				return nil, &cp
			}
		}
		return resp, err
	})
}
