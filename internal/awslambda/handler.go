package awslambda

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/pipeline"
	"github.com/askdb/askdb/internal/trace"
)

// Pipeline answers questions and runs user SQL; *pipeline.Pipeline
// implements it.
type Pipeline interface {
	Ask(ctx context.Context, req pipeline.Request) (*pipeline.Answer, error)
	RunSQL(ctx context.Context, sourceName, sql string, observer func(trace.Step)) (*pipeline.Answer, error)
}

var _ Pipeline = (*pipeline.Pipeline)(nil)

// Options configure a Handler.
type Options struct {
	// HTTP serves API Gateway and function URL events: askdb serve's handler.
	HTTP http.Handler
	// Pipeline answers Bedrock Agent calls.
	Pipeline Pipeline
	// MaxRows caps the rows in an agent response; 0 means DefaultAgentRows.
	MaxRows int
	// MaxBytes caps an agent response body; 0 means DefaultAgentBytes.
	MaxBytes int
	Logger   *slog.Logger
	// Claims maps an API Gateway authorizer's claims onto the caller;
	// the default reads email (or sub) and groups (or cognito:groups).
	Claims config.Claims
}

// Agent response limits. Bedrock Agents accept at most 25 KB from a Lambda
// action group, and a model reads a short table better than a long one.
const (
	DefaultAgentRows  = 50
	DefaultAgentBytes = 20_000
)

// Handler serves Lambda invocations. It implements lambda.Handler.
type Handler struct {
	opts Options
}

var _ lambda.Handler = (*Handler)(nil)

// New returns a Handler.
func New(opts Options) *Handler {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.MaxRows <= 0 {
		opts.MaxRows = DefaultAgentRows
	}
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultAgentBytes
	}
	return &Handler{opts: opts}
}

// Event kinds Invoke recognises.
const (
	KindAPIGatewayV1 = "apigateway-v1"
	KindAPIGatewayV2 = "apigateway-v2" // HTTP API payload 2.0 and function URLs
	KindAgent        = "bedrock-agent"
)

// ErrUnknownEvent means an invocation payload is none of the event kinds
// askdb serves.
var ErrUnknownEvent = errors.New("unrecognised event: askdb serves API Gateway (REST, HTTP API), function URL and Bedrock Agent action-group events")

// probe holds the fields that tell event kinds apart.
type probe struct {
	MessageVersion string          `json:"messageVersion"`
	ActionGroup    *string         `json:"actionGroup"`
	Version        string          `json:"version"`
	HTTPMethod     string          `json:"httpMethod"`
	RequestContext json.RawMessage `json:"requestContext"`
	RawPath        *string         `json:"rawPath"`
}

// Detect names the kind of an invocation payload.
func Detect(payload []byte) (string, error) {
	var p probe
	if err := json.Unmarshal(payload, &p); err != nil {
		return "", fmt.Errorf("%w: %w", ErrUnknownEvent, err)
	}
	switch {
	case p.MessageVersion != "" && p.ActionGroup != nil:
		return KindAgent, nil
	case p.Version == "2.0" && p.RawPath != nil:
		return KindAPIGatewayV2, nil
	case p.HTTPMethod != "" && len(p.RequestContext) > 0:
		return KindAPIGatewayV1, nil
	}
	return "", ErrUnknownEvent
}

// Invoke handles one invocation.
func (h *Handler) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	kind, err := Detect(payload)
	if err != nil {
		h.opts.Logger.Error("lambda invoke", "err", err)
		return nil, err
	}
	var out any
	switch kind {
	case KindAgent:
		out, err = h.agent(ctx, payload)
	case KindAPIGatewayV2:
		out, err = h.apiGatewayV2(ctx, payload)
	default:
		out, err = h.apiGatewayV1(ctx, payload)
	}
	if err != nil {
		h.opts.Logger.Error("lambda invoke", "event", kind, "err", err)
		return nil, err
	}
	return json.Marshal(out)
}
