package llm

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// Role says who wrote a message in a conversation.
type Role string

// The roles a Message can have. The system prompt is not a message: it goes
// in Request.System.
const (
	RoleUser      Role = "user"
	RoleAssistant Role = "assistant"
)

// Message is one turn of a conversation.
type Message struct {
	Role    Role
	Content string
}

// Request is one chat call.
type Request struct {
	// System is the system prompt; empty means none.
	System string
	// Messages alternate user and assistant turns, starting with a user turn.
	Messages []Message
	// MaxTokens bounds the answer; 0 means the model config's max_tokens,
	// then DefaultMaxTokens.
	MaxTokens int
	// Temperature overrides the model config's temperature when set.
	Temperature *float64
	// Stop lists sequences that end the answer.
	Stop []string
	// N asks for that many independent answers in one call (OpenAI's n).
	// It is a hint: providers without it, and servers that ignore it,
	// answer once, so callers count Response.Choices. 0 and 1 mean one.
	N int
	// JSONSchema, when set, asks for one JSON object that matches it, and
	// Response.Text is that object: OpenAI-compatible servers get it as
	// response_format json_schema, Anthropic and Bedrock as the one tool
	// the model must call.
	JSONSchema *JSONSchema
}

// JSONSchema names a JSON schema for a structured answer.
type JSONSchema struct {
	// Name identifies the answer (a-z, 0-9, _ and -), e.g. "route".
	Name string
	// Description says what the answer is for.
	Description string
	// Schema is the JSON schema of an object: "type": "object",
	// "properties" and "required".
	Schema map[string]any
}

// DefaultMaxTokens is used when neither the request nor the config bounds
// the answer. Anthropic and Bedrock's Claude models require a bound.
const DefaultMaxTokens = 4096

// Usage counts the tokens a call spent.
type Usage struct {
	InputTokens  int
	OutputTokens int
}

// Total returns input plus output tokens.
func (u Usage) Total() int { return u.InputTokens + u.OutputTokens }

// Add returns the sum of u and o.
func (u Usage) Add(o Usage) Usage {
	return Usage{InputTokens: u.InputTokens + o.InputTokens, OutputTokens: u.OutputTokens + o.OutputTokens}
}

// Response is the answer to one chat call.
type Response struct {
	Text string
	// Choices are every answer's text when the request asked for N > 1
	// and the provider gave several; Choices[0] is Text. Nil otherwise.
	Choices []string
	// Model is the model id that answered, which after a fallback is not
	// the primary one.
	Model string
	// Usage is the tokens the answering call spent. Failed attempts are not
	// counted: providers do not bill a refused request.
	Usage Usage
	// StopReason is the provider's reason, e.g. "end_turn", "stop", "max_tokens".
	StopReason string
	// Attempts counts HTTP calls made, across retries and fallbacks.
	Attempts int
}

// Model is a chat model behind one named config entry.
type Model interface {
	// Name is the config name ("sql", "fast").
	Name() string
	// Provider is the kind: "bedrock", "sagemaker", "openai" or "anthropic".
	Provider() string
	// ModelID is the primary model id.
	ModelID() string
	// Chat sends req and waits for the whole answer.
	Chat(ctx context.Context, req Request) (*Response, error)
}

// Streamer is implemented by models that can stream their answer.
// onDelta is called with each piece of text as it arrives, from the
// calling goroutine.
type Streamer interface {
	ChatStream(ctx context.Context, req Request, onDelta func(string)) (*Response, error)
}

// Embedder is implemented by models that can embed text, one vector per text.
type Embedder interface {
	Embed(ctx context.Context, texts []string) ([][]float32, Usage, error)
}

// Options are the dependencies a provider gets from its caller.
type Options struct {
	Logger *slog.Logger
	// HTTPClient replaces the SDK's default client when set.
	HTTPClient *http.Client
	// RetryBaseDelay replaces DefaultBaseDelay, the first backoff step;
	// tests set it to a millisecond.
	RetryBaseDelay time.Duration
}

// EffectiveMaxTokens picks the request's bound, then the config's, then
// DefaultMaxTokens.
func EffectiveMaxTokens(req Request, cfgMax int) int {
	switch {
	case req.MaxTokens > 0:
		return req.MaxTokens
	case cfgMax > 0:
		return cfgMax
	}
	return DefaultMaxTokens
}

// EffectiveTemperature picks the request's temperature, then the config's.
func EffectiveTemperature(req Request, cfgTemp *float64) *float64 {
	if req.Temperature != nil {
		return req.Temperature
	}
	return cfgTemp
}
