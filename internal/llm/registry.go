package llm

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/registry"
)

// Factory builds a Model from its config entry.
type Factory func(ctx context.Context, name string, cfg config.Model, opts Options) (Model, error)

var factories = registry.New[Factory]("model")

// Register makes a provider kind available. It panics on a duplicate kind,
// since that is a programming error found at start-up.
func Register(kind string, f Factory) { factories.Register(kind, f) }

// Open builds the named model with the factory registered for its kind.
func Open(ctx context.Context, name string, cfg config.Model, opts Options) (Model, error) {
	f, err := factories.Lookup(cfg.Kind)
	if err != nil {
		return nil, fmt.Errorf("model %q: %w", name, err)
	}
	if strings.TrimSpace(cfg.Model) == "" {
		return nil, fmt.Errorf("model %q: model: is required (the %s model id)", name, cfg.Kind)
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	m, err := f(ctx, name, cfg, opts)
	if err != nil {
		return nil, fmt.Errorf("model %q: %w", name, err)
	}
	return m, nil
}

// EnvModel is the environment variable FromEnv reads.
const EnvModel = "ASKDB_MODEL"

// FromEnv builds a model config from ASKDB_MODEL, which is
// "bedrock:<model id>", "sagemaker:<endpoint name>", "openai:<model>" or
// "anthropic:<model>". Only the first colon separates the kind, so Bedrock
// ids such as "anthropic.claude-3-haiku-20240307-v1:0" keep theirs. The
// openai kind also reads OPENAI_BASE_URL and OPENAI_API_KEY, anthropic
// reads ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL, and bedrock and sagemaker
// read AWS_REGION (or AWS_DEFAULT_REGION) and AWS_PROFILE. It reports false
// when ASKDB_MODEL is unset.
func FromEnv(getenv func(string) string) (config.Model, bool) {
	v := strings.TrimSpace(getenv(EnvModel))
	if v == "" {
		return config.Model{}, false
	}
	kind, model, _ := strings.Cut(v, ":")
	cfg := config.Model{Kind: strings.ToLower(strings.TrimSpace(kind)), Model: strings.TrimSpace(model)}
	switch cfg.Kind {
	case "openai":
		cfg.BaseURL = getenv("OPENAI_BASE_URL")
		cfg.APIKey = getenv("OPENAI_API_KEY")
	case "anthropic":
		cfg.BaseURL = getenv("ANTHROPIC_BASE_URL")
		cfg.APIKey = getenv("ANTHROPIC_API_KEY")
	case "bedrock", "sagemaker":
		cfg.Region = getenv("AWS_REGION")
		if cfg.Region == "" {
			cfg.Region = getenv("AWS_DEFAULT_REGION")
		}
		cfg.Profile = getenv("AWS_PROFILE")
	}
	return cfg, true
}
