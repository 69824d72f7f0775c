package source

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"

	"github.com/askdb/askdb/internal/config"
)

var (
	mu        sync.RWMutex
	factories = map[string]Factory{}
)

// Register makes a source kind available. It panics on a duplicate kind,
// since that is a programming error found at start-up.
func Register(kind string, f Factory) {
	mu.Lock()
	defer mu.Unlock()
	if _, dup := factories[kind]; dup {
		panic(fmt.Sprintf("source: kind %q registered twice", kind))
	}
	factories[kind] = f
}

// Kinds returns the registered kinds, sorted.
func Kinds() []string {
	mu.RLock()
	defer mu.RUnlock()
	out := make([]string, 0, len(factories))
	for k := range factories {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Open opens the named source with the factory registered for its kind.
func Open(ctx context.Context, name string, cfg config.Source, opts Options) (Source, error) {
	mu.RLock()
	f, ok := factories[cfg.Kind]
	mu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("source %q: unknown source kind %q (known: %s)", name, cfg.Kind, strings.Join(Kinds(), ", "))
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
