package anthropic

import (
	"context"
	"log/slog"
	"os"
	"strings"

	sdk "github.com/anthropics/anthropic-sdk-go"
	"github.com/anthropics/anthropic-sdk-go/option"
	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/llm"
)

// Kind is the config kind of this provider.
const Kind = "anthropic"

// DefaultBaseURL is Anthropic's API.
const DefaultBaseURL = "https://api.anthropic.com"

func init() { llm.Register(Kind, New) }

// Model is a Claude model behind the Anthropic messages API.
type Model struct {
	name    string
	cfg     config.Model
	baseURL string
	client  sdk.Client
	policy  llm.Policy
	log     *slog.Logger
}

var (
	_ llm.Model    = (*Model)(nil)
	_ llm.Streamer = (*Model)(nil)
)

// New builds a Model from its config. The API key is cfg.APIKey, then
// $ANTHROPIC_API_KEY; the base URL is cfg.BaseURL, then
// $ANTHROPIC_BASE_URL, then DefaultBaseURL. A missing key is reported on
// the first call, with what to set.
func New(_ context.Context, name string, cfg config.Model, opts llm.Options) (llm.Model, error) {
	base := strings.TrimRight(cfg.BaseURL, "/")
	if base == "" {
		base = strings.TrimRight(os.Getenv("ANTHROPIC_BASE_URL"), "/")
	}
	if base == "" {
		base = DefaultBaseURL
	}
	key := cfg.APIKey
	if key == "" {
		key = os.Getenv("ANTHROPIC_API_KEY")
	}
	ropts := []option.RequestOption{
		option.WithBaseURL(base + "/"),
		option.WithAPIKey(key),
		option.WithMaxRetries(0), // llm.Policy retries
	}
	if opts.HTTPClient != nil {
		ropts = append(ropts, option.WithHTTPClient(opts.HTTPClient))
	}
	return &Model{
		name:    name,
		cfg:     cfg,
		baseURL: base,
		client:  sdk.NewClient(ropts...),
		policy:  llm.NewPolicy(Kind, base, cfg, opts),
		log:     opts.Logger,
	}, nil
}

// Name returns the config name.
func (m *Model) Name() string { return m.name }

// Provider returns "anthropic".
func (m *Model) Provider() string { return Kind }

// ModelID returns the primary model id.
func (m *Model) ModelID() string { return m.cfg.Model }

// Chat sends req to the messages API and waits for the whole answer.
func (m *Model) Chat(ctx context.Context, req llm.Request) (*llm.Response, error) {
	return m.policy.Do(ctx, func(ctx context.Context, id string) (*llm.Response, error) {
		out, err := m.client.Messages.New(ctx, m.params(id, req))
		if err != nil {
			return nil, m.classify(id, err)
		}
		return response(out, id), nil
	})
}

// ChatStream streams the answer as server-sent events.
func (m *Model) ChatStream(ctx context.Context, req llm.Request, onDelta func(string)) (*llm.Response, error) {
	return m.policy.DoStream(ctx, onDelta, func(ctx context.Context, id string, emit func(string)) (*llm.Response, error) {
		stream := m.client.Messages.NewStreaming(ctx, m.params(id, req))
		defer stream.Close()
		var acc sdk.Message
		for stream.Next() {
			ev := stream.Current()
			if err := acc.Accumulate(ev); err != nil {
				return nil, m.classify(id, err)
			}
			if ev.Type == "content_block_delta" && ev.Delta.Type == "text_delta" {
				emit(ev.Delta.Text)
			}
		}
		if err := stream.Err(); err != nil {
			return nil, m.classify(id, err)
		}
		return response(&acc, id), nil
	})
}

func (m *Model) params(id string, req llm.Request) sdk.MessageNewParams {
	p := sdk.MessageNewParams{
		Model:     sdk.Model(id),
		MaxTokens: int64(llm.EffectiveMaxTokens(req, m.cfg.MaxTokens)),
		Messages:  make([]sdk.MessageParam, 0, len(req.Messages)),
	}
	if req.System != "" {
		p.System = []sdk.TextBlockParam{{Text: req.System}}
	}
	for _, msg := range req.Messages {
		block := sdk.NewTextBlock(msg.Content)
		if msg.Role == llm.RoleAssistant {
			p.Messages = append(p.Messages, sdk.NewAssistantMessage(block))
		} else {
			p.Messages = append(p.Messages, sdk.NewUserMessage(block))
		}
	}
	if t := llm.EffectiveTemperature(req, m.cfg.Temperature); t != nil {
		p.Temperature = sdk.Float(*t)
	}
	if len(req.Stop) > 0 {
		p.StopSequences = req.Stop
	}
	if js := req.JSONSchema; js != nil {
		// Anthropic has no response format: the schema is the input of
		// the one tool the model must call, and that input is the answer.
		extra := map[string]any{}
		for k, v := range js.Schema {
			if k != "type" && k != "properties" && k != "required" {
				extra[k] = v
			}
		}
		required, _ := js.Schema["required"].([]string)
		p.Tools = []sdk.ToolUnionParam{{OfTool: &sdk.ToolParam{
			Name:        js.Name,
			Description: sdk.String(js.Description),
			InputSchema: sdk.ToolInputSchemaParam{Properties: js.Schema["properties"], Required: required, ExtraFields: extra},
		}}}
		p.ToolChoice = sdk.ToolChoiceParamOfTool(js.Name)
	}
	return p
}

func response(out *sdk.Message, id string) *llm.Response {
	var text strings.Builder
	for _, b := range out.Content {
		switch b.Type {
		case "text":
			text.WriteString(b.Text)
		case "tool_use":
			text.Write(b.Input) // the structured answer (Request.JSONSchema)
		}
	}
	model := string(out.Model)
	if model == "" {
		model = id
	}
	return &llm.Response{
		Text:       text.String(),
		Model:      model,
		StopReason: string(out.StopReason),
		Usage:      llm.Usage{InputTokens: int(out.Usage.InputTokens), OutputTokens: int(out.Usage.OutputTokens)},
	}
}
