package bedrock

import (
	"context"
	"log/slog"
	"strings"

	"github.com/askdb/askdb/internal/awsconf"
	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/llm"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/document"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
)

// Kind is the config kind of this provider.
const Kind = "bedrock"

// DefaultRegion is used when neither the config nor the AWS environment
// names a region.
const DefaultRegion = awsconf.DefaultRegion

func init() { llm.Register(Kind, New) }

// Model is a model behind the Bedrock runtime Converse API: Claude, Llama,
// Mistral, Nova and the other chat models, by model id or inference profile
// id. With a Titan embedding model id it also embeds.
type Model struct {
	name   string
	cfg    config.Model
	region string
	client *bedrockruntime.Client
	policy llm.Policy
	log    *slog.Logger
}

var (
	_ llm.Model    = (*Model)(nil)
	_ llm.Streamer = (*Model)(nil)
	_ llm.Embedder = (*Model)(nil)
)

// New builds a Model with the standard AWS credential chain (environment,
// shared config and SSO, container and instance roles) for cfg.Region and
// cfg.Profile. cfg.BaseURL overrides the endpoint.
func New(ctx context.Context, name string, cfg config.Model, opts llm.Options) (llm.Model, error) {
	awsCfg, err := awsconf.Load(ctx, cfg, opts.Logger)
	if err != nil {
		return nil, err
	}
	client := bedrockruntime.NewFromConfig(awsCfg, func(o *bedrockruntime.Options) {
		o.Retryer = aws.NopRetryer{} // llm.Policy retries
		// Set here rather than in LoadDefaultConfig, which refuses a plain
		// *http.Client when AWS_CA_BUNDLE is set.
		if opts.HTTPClient != nil {
			o.HTTPClient = opts.HTTPClient
		}
		// ConverseStream's response stream is cut off when smithy-go closes
		// the request body under net/http (see awsconf.WithBufferedBodies).
		o.HTTPClient = awsconf.WithBufferedBodies(o.HTTPClient)
		if cfg.BaseURL != "" {
			o.BaseEndpoint = aws.String(strings.TrimRight(cfg.BaseURL, "/"))
		}
	})
	return &Model{
		name:   name,
		cfg:    cfg,
		region: awsCfg.Region,
		client: client,
		policy: llm.NewPolicy(Kind, awsCfg.Region, cfg, opts),
		log:    opts.Logger,
	}, nil
}

// Name returns the config name.
func (m *Model) Name() string { return m.name }

// Provider returns "bedrock".
func (m *Model) Provider() string { return Kind }

// ModelID returns the primary model id.
func (m *Model) ModelID() string { return m.cfg.Model }

// Region returns the AWS region calls go to.
func (m *Model) Region() string { return m.region }

// Chat calls Converse and waits for the whole answer.
func (m *Model) Chat(ctx context.Context, req llm.Request) (*llm.Response, error) {
	return m.policy.Do(ctx, func(ctx context.Context, id string) (*llm.Response, error) {
		in := m.input(id, req)
		out, err := m.client.Converse(ctx, &bedrockruntime.ConverseInput{
			ModelId: in.ModelId, Messages: in.Messages, System: in.System, InferenceConfig: in.InferenceConfig,
			ToolConfig: in.ToolConfig,
		})
		if err != nil {
			return nil, m.classify(id, err)
		}
		resp := &llm.Response{Model: id, StopReason: string(out.StopReason), Usage: usage(out.Usage)}
		if msg, ok := out.Output.(*types.ConverseOutputMemberMessage); ok {
			resp.Text = text(msg.Value.Content)
		}
		return resp, nil
	})
}

// ChatStream calls ConverseStream and forwards text deltas as they arrive.
func (m *Model) ChatStream(ctx context.Context, req llm.Request, onDelta func(string)) (*llm.Response, error) {
	return m.policy.DoStream(ctx, onDelta, func(ctx context.Context, id string, emit func(string)) (*llm.Response, error) {
		out, err := m.client.ConverseStream(ctx, m.input(id, req))
		if err != nil {
			return nil, m.classify(id, err)
		}
		stream := out.GetStream()
		defer stream.Close()
		resp := &llm.Response{Model: id}
		var sb strings.Builder
		for ev := range stream.Events() {
			switch v := ev.(type) {
			case *types.ConverseStreamOutputMemberContentBlockDelta:
				if d, ok := v.Value.Delta.(*types.ContentBlockDeltaMemberText); ok {
					sb.WriteString(d.Value)
					emit(d.Value)
				}
			case *types.ConverseStreamOutputMemberMessageStop:
				resp.StopReason = string(v.Value.StopReason)
			case *types.ConverseStreamOutputMemberMetadata:
				resp.Usage = usage(v.Value.Usage)
			}
		}
		if err := stream.Err(); err != nil {
			return nil, m.classify(id, err)
		}
		resp.Text = sb.String()
		return resp, nil
	})
}

// input builds a ConverseStream input; Chat copies its fields into a
// ConverseInput, the two having the same shape.
func (m *Model) input(id string, req llm.Request) *bedrockruntime.ConverseStreamInput {
	in := &bedrockruntime.ConverseStreamInput{
		ModelId:  aws.String(id),
		Messages: make([]types.Message, 0, len(req.Messages)),
		InferenceConfig: &types.InferenceConfiguration{
			MaxTokens: aws.Int32(int32(llm.EffectiveMaxTokens(req, m.cfg.MaxTokens))),
		},
	}
	if req.System != "" {
		in.System = []types.SystemContentBlock{&types.SystemContentBlockMemberText{Value: req.System}}
	}
	for _, msg := range req.Messages {
		role := types.ConversationRoleUser
		if msg.Role == llm.RoleAssistant {
			role = types.ConversationRoleAssistant
		}
		in.Messages = append(in.Messages, types.Message{
			Role:    role,
			Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: msg.Content}},
		})
	}
	if t := llm.EffectiveTemperature(req, m.cfg.Temperature); t != nil {
		in.InferenceConfig.Temperature = aws.Float32(float32(*t))
	}
	if len(req.Stop) > 0 {
		in.InferenceConfig.StopSequences = req.Stop
	}
	if js := req.JSONSchema; js != nil {
		// Converse's structured answer is the input of the one tool the
		// model is made to call.
		in.ToolConfig = &types.ToolConfiguration{
			Tools: []types.Tool{&types.ToolMemberToolSpec{Value: types.ToolSpecification{
				Name:        aws.String(js.Name),
				Description: aws.String(js.Description),
				InputSchema: &types.ToolInputSchemaMemberJson{Value: document.NewLazyDocument(js.Schema)},
			}}},
			ToolChoice: &types.ToolChoiceMemberTool{Value: types.SpecificToolChoice{Name: aws.String(js.Name)}},
		}
	}
	return in
}

func text(blocks []types.ContentBlock) string {
	var sb strings.Builder
	for _, b := range blocks {
		switch v := b.(type) {
		case *types.ContentBlockMemberText:
			sb.WriteString(v.Value)
		case *types.ContentBlockMemberToolUse:
			// The structured answer (Request.JSONSchema).
			if v.Value.Input != nil {
				if js, err := v.Value.Input.MarshalSmithyDocument(); err == nil {
					sb.Write(js)
				}
			}
		}
	}
	return sb.String()
}

func usage(u *types.TokenUsage) llm.Usage {
	if u == nil {
		return llm.Usage{}
	}
	return llm.Usage{InputTokens: int(aws.ToInt32(u.InputTokens)), OutputTokens: int(aws.ToInt32(u.OutputTokens))}
}
