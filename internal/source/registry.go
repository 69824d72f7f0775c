package source

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/registry"
)

var factories = registry.New[Factory]("source")

// Register makes a source kind available. It panics on a duplicate kind,
// since that is a programming error found at start-up.
func Register(kind string, f Factory) { factories.Register(kind, f) }

// Open opens the named source with the factory registered for its kind.
func Open(ctx context.Context, name string, cfg config.Source, opts Options) (Source, error) {
	f, err := factories.Lookup(cfg.Kind)
	if err != nil {
		return nil, fmt.Errorf("source %q: %w", name, err)
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	src, err := f(ctx, name, cfg, opts)
	if err != nil {
		return nil, fmt.Errorf("source %q: %w", name, err)
	}
	return src, nil
}
