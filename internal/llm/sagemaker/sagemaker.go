package sagemaker

import (
	"context"
	"fmt"
	"strings"

	"github.com/askdb/askdb/internal/awsconf"
	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/llm"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemakerruntime"
)

// Kind is the config kind of this provider.
const Kind = "sagemaker"

// DefaultRegion is used when neither the config nor the AWS environment
// names a region.
const DefaultRegion = awsconf.DefaultRegion

// DefaultMaxTokens bounds an answer when neither the request nor the
// config does. It is lower than llm.DefaultMaxTokens because TGI refuses a
// request whose input plus max_new_tokens passes the container's
// MAX_TOTAL_TOKENS (4096 or 8192 on many JumpStart endpoints), and SQL
// answers are short.
const DefaultMaxTokens = 1024

func init() { llm.Register(Kind, New) }

// Model is a text-generation model behind a SageMaker endpoint. Its model
// id is the endpoint name, or "endpoint/inference-component".
type Model struct {
	name    string
	cfg     config.Model
	payload string
	region  string
	client  *sagemakerruntime.Client
	policy  llm.Policy
}

var _ llm.Model = (*Model)(nil)

// New builds a Model with the standard AWS credential chain for cfg.Region
// and cfg.Profile. cfg.BaseURL overrides the endpoint and cfg.Payload picks
// the request body ("messages" unless set).
func New(ctx context.Context, name string, cfg config.Model, opts llm.Options) (llm.Model, error) {
	payload, err := payloadOf(cfg.Payload)
	if err != nil {
		return nil, err
	}
	awsCfg, err := awsconf.Load(ctx, cfg, opts.Logger)
	if err != nil {
		return nil, err
	}
	client := sagemakerruntime.NewFromConfig(awsCfg, func(o *sagemakerruntime.Options) {
		o.Retryer = aws.NopRetryer{} // llm.Policy retries
		if opts.HTTPClient != nil {
			o.HTTPClient = opts.HTTPClient
		}
		o.HTTPClient = awsconf.WithBufferedBodies(o.HTTPClient) // keeps response streams whole
		if cfg.BaseURL != "" {
			o.BaseEndpoint = aws.String(strings.TrimRight(cfg.BaseURL, "/"))
		}
	})
	return &Model{
		name:    name,
		cfg:     cfg,
		payload: payload,
		region:  awsCfg.Region,
		client:  client,
		policy:  llm.NewPolicy(Kind, awsCfg.Region, cfg, opts),
	}, nil
}

// Name returns the config name.
func (m *Model) Name() string { return m.name }

// Provider returns "sagemaker".
func (m *Model) Provider() string { return Kind }

// ModelID returns the primary endpoint name.
func (m *Model) ModelID() string { return m.cfg.Model }

// Region returns the AWS region calls go to.
func (m *Model) Region() string { return m.region }

// Payload returns the request body shape, "messages" or "tgi".
func (m *Model) Payload() string { return m.payload }

// Chat calls InvokeEndpoint on the endpoint and waits for the whole answer.
func (m *Model) Chat(ctx context.Context, req llm.Request) (*llm.Response, error) {
	body, prompt, err := m.encode(req)
	if err != nil {
		return nil, fmt.Errorf("sagemaker model %q: encode request: %w", m.name, err)
	}
	return m.policy.Do(ctx, func(ctx context.Context, endpoint string) (*llm.Response, error) {
		out, err := m.client.InvokeEndpoint(ctx, input(endpoint, body))
		if err != nil {
			return nil, m.classify(endpoint, err)
		}
		resp, err := decode(out.Body, prompt)
		if err != nil {
			return nil, &llm.Error{Provider: Kind, Model: endpoint, Region: m.region, Kind: llm.Other, Err: err,
				Message: fmt.Sprintf("SageMaker endpoint %q in %s answered with a body askdb cannot read (is payload: %s right for its container?): %v", endpoint, m.region, m.payload, err)}
		}
		resp.Model = endpoint
		return resp, nil
	})
}

// input builds the InvokeEndpoint call of a JSON body for a model id: the
// endpoint name and, after a slash, the inference component to call on it
// (JumpStart deploys models as components of a shared endpoint; endpoint
// names cannot hold a slash). ChatStream copies its fields into the
// streaming call, which has the same shape.
func input(id string, body []byte) *sagemakerruntime.InvokeEndpointInput {
	in := &sagemakerruntime.InvokeEndpointInput{
		Body:        body,
		ContentType: aws.String("application/json"),
		Accept:      aws.String("application/json"),
	}
	name, component, _ := strings.Cut(id, "/")
	in.EndpointName = aws.String(name)
	if component != "" {
		in.InferenceComponentName = aws.String(component)
	}
	return in
}

// encode builds the request body once for every attempt; prompt is the
// rendered text of a tgi request, which some containers echo back.
func (m *Model) encode(req llm.Request) (body []byte, prompt string, err error) {
	cfgMax := m.cfg.MaxTokens
	if cfgMax <= 0 {
		cfgMax = DefaultMaxTokens
	}
	maxTokens := llm.EffectiveMaxTokens(req, cfgMax)
	temp := llm.EffectiveTemperature(req, m.cfg.Temperature)
	if m.payload == PayloadTGI {
		return encodeTGI(req, maxTokens, temp)
	}
	body, err = encodeMessages(req, maxTokens, temp)
	return body, "", err
}
