package openai

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/llm"
	sdk "github.com/openai/openai-go"
	"github.com/openai/openai-go/option"
	"github.com/openai/openai-go/shared"
)

// Kind is the config kind of this provider.
const Kind = "openai"

// DefaultBaseURL is OpenAI's own API.
const DefaultBaseURL = "https://api.openai.com/v1"

// placeholderKey is sent to local servers that need no key, because the
// SDK and some servers insist on an Authorization header.
const placeholderKey = "askdb-no-key"

func init() { llm.Register(Kind, New) }

// Model is a chat (or embedding) model behind an OpenAI-compatible API.
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
	_ llm.Embedder = (*Model)(nil)
)

// New builds a Model from its config. The API key is cfg.APIKey, then
// $OPENAI_API_KEY, then a placeholder for local servers.
func New(_ context.Context, name string, cfg config.Model, opts llm.Options) (llm.Model, error) {
	base := strings.TrimRight(cfg.BaseURL, "/")
	if base == "" {
		base = DefaultBaseURL
	}
	key := cfg.APIKey
	if key == "" {
		key = os.Getenv("OPENAI_API_KEY")
	}
	if key == "" {
		key = placeholderKey
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

// Provider returns "openai".
func (m *Model) Provider() string { return Kind }

// ModelID returns the primary model id.
func (m *Model) ModelID() string { return m.cfg.Model }

// Chat sends req and waits for the whole answer.
func (m *Model) Chat(ctx context.Context, req llm.Request) (*llm.Response, error) {
	return m.policy.Do(ctx, func(ctx context.Context, id string) (*llm.Response, error) {
		out, err := m.client.Chat.Completions.New(ctx, m.params(id, req))
		if err != nil {
			return nil, m.classify(id, err)
		}
		resp := &llm.Response{Model: orDefault(out.Model, id), Usage: usage(out.Usage)}
		if len(out.Choices) > 0 {
			resp.Text = out.Choices[0].Message.Content
			resp.StopReason = string(out.Choices[0].FinishReason)
		}
		if req.N > 1 && len(out.Choices) > 1 {
			for _, c := range out.Choices {
				resp.Choices = append(resp.Choices, c.Message.Content)
			}
		}
		return resp, nil
	})
}

// ChatStream streams the answer over server-sent events. It asks for usage
// in the final chunk (stream_options.include_usage).
func (m *Model) ChatStream(ctx context.Context, req llm.Request, onDelta func(string)) (*llm.Response, error) {
	return m.policy.DoStream(ctx, onDelta, func(ctx context.Context, id string, emit func(string)) (*llm.Response, error) {
		p := m.params(id, req)
		p.StreamOptions = sdk.ChatCompletionStreamOptionsParam{IncludeUsage: sdk.Bool(true)}
		stream := m.client.Chat.Completions.NewStreaming(ctx, p)
		defer stream.Close()
		resp := &llm.Response{Model: id}
		var text strings.Builder
		for stream.Next() {
			chunk := stream.Current()
			if chunk.Model != "" {
				resp.Model = chunk.Model
			}
			if chunk.Usage.TotalTokens > 0 || chunk.Usage.PromptTokens > 0 {
				resp.Usage = usage(chunk.Usage)
			}
			for _, c := range chunk.Choices {
				text.WriteString(c.Delta.Content)
				emit(c.Delta.Content)
				if c.FinishReason != "" {
					resp.StopReason = c.FinishReason
				}
			}
		}
		if err := stream.Err(); err != nil {
			return nil, m.classify(id, err)
		}
		resp.Text = text.String()
		return resp, nil
	})
}

// Embed returns one vector per text from /v1/embeddings, using this
// entry's model (e.g. nomic-embed-text or text-embedding-3-small).
func (m *Model) Embed(ctx context.Context, texts []string) ([][]float32, llm.Usage, error) {
	var vecs [][]float32
	var u llm.Usage
	_, err := m.policy.Do(ctx, func(ctx context.Context, id string) (*llm.Response, error) {
		out, err := m.client.Embeddings.New(ctx, sdk.EmbeddingNewParams{
			Model:          id,
			Input:          sdk.EmbeddingNewParamsInputUnion{OfArrayOfStrings: texts},
			EncodingFormat: sdk.EmbeddingNewParamsEncodingFormatFloat,
		})
		if err != nil {
			return nil, m.classify(id, err)
		}
		if len(out.Data) != len(texts) {
			return nil, &llm.Error{Provider: Kind, Model: id, Region: m.baseURL, Kind: llm.Other,
				Message: fmt.Sprintf("%s returned %d embeddings for %d texts from model %q", m.server(), len(out.Data), len(texts), id)}
		}
		vecs = make([][]float32, len(texts))
		for _, d := range out.Data {
			if d.Index < 0 || int(d.Index) >= len(vecs) {
				continue
			}
			v := make([]float32, len(d.Embedding))
			for i, f := range d.Embedding {
				v[i] = float32(f)
			}
			vecs[d.Index] = v
		}
		u = llm.Usage{InputTokens: int(out.Usage.PromptTokens)}
		return &llm.Response{Model: id}, nil
	})
	if err != nil {
		return nil, llm.Usage{}, err
	}
	return vecs, u, nil
}

func (m *Model) params(id string, req llm.Request) sdk.ChatCompletionNewParams {
	msgs := make([]sdk.ChatCompletionMessageParamUnion, 0, len(req.Messages)+1)
	if req.System != "" {
		msgs = append(msgs, sdk.SystemMessage(req.System))
	}
	for _, msg := range req.Messages {
		if msg.Role == llm.RoleAssistant {
			msgs = append(msgs, sdk.AssistantMessage(msg.Content))
		} else {
			msgs = append(msgs, sdk.UserMessage(msg.Content))
		}
	}
	p := sdk.ChatCompletionNewParams{Model: id, Messages: msgs}
	maxTokens := int64(llm.EffectiveMaxTokens(req, m.cfg.MaxTokens))
	// OpenAI's own API has replaced max_tokens with max_completion_tokens
	// (its reasoning models refuse the old one); local servers know only
	// max_tokens.
	if m.baseURL == DefaultBaseURL {
		p.MaxCompletionTokens = sdk.Int(maxTokens)
	} else {
		p.MaxTokens = sdk.Int(maxTokens)
	}
	if t := llm.EffectiveTemperature(req, m.cfg.Temperature); t != nil {
		p.Temperature = sdk.Float(*t)
	}
	if req.N > 1 {
		p.N = sdk.Int(int64(req.N))
	}
	if len(req.Stop) > 0 {
		p.Stop = sdk.ChatCompletionNewParamsStopUnion{OfStringArray: req.Stop}
	}
	if js := req.JSONSchema; js != nil {
		p.ResponseFormat = sdk.ChatCompletionNewParamsResponseFormatUnion{OfJSONSchema: &shared.ResponseFormatJSONSchemaParam{
			JSONSchema: shared.ResponseFormatJSONSchemaJSONSchemaParam{Name: js.Name, Description: sdk.String(js.Description), Schema: js.Schema},
		}}
	}
	return p
}

func usage(u sdk.CompletionUsage) llm.Usage {
	return llm.Usage{InputTokens: int(u.PromptTokens), OutputTokens: int(u.CompletionTokens)}
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
