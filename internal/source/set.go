package source

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/secret"
)

// Set holds the sources of one config, opened lazily on first use and
// shared by every request. It is safe for concurrent use.
type Set struct {
	cfg     *config.Config
	logger  *slog.Logger
	secrets secret.Store

	mu    sync.Mutex
	slots map[string]*slot
}

// slot holds one source. Its own lock serialises opening it, so a slow
// open (a DuckDB snapshot, a database that is slow to answer) does not hold
// up the other sources.
type slot struct {
	mu  sync.Mutex
	src Source
}

// NewSet returns a Set over cfg's sources.
func NewSet(cfg *config.Config, logger *slog.Logger) *Set {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	// Secrets Manager is reached only when a source with secret: opens.
	return &Set{cfg: cfg, logger: logger, secrets: secret.FromEnvironment(), slots: map[string]*slot{}}
}

// ErrUnknownSource is wrapped by errors about source names not in the config.
var ErrUnknownSource = errors.New("unknown source")

// ErrAmbiguousSource means several sources exist and none was chosen.
var ErrAmbiguousSource = errors.New("several sources are configured: choose one with --source or set default_source")

// Resolve maps a requested name ("" for the default) onto a configured one.
func (s *Set) Resolve(name string) (string, error) {
	names := s.cfg.SourceNames()
	switch {
	case name != "":
		if _, ok := s.cfg.Sources[name]; !ok {
			return "", fmt.Errorf("%w %q (configured: %s)", ErrUnknownSource, name, strings.Join(names, ", "))
		}
		return name, nil
	case s.cfg.DefaultSource != "":
		return s.cfg.DefaultSource, nil
	case len(names) == 1:
		return names[0], nil
	case len(names) == 0:
		return "", fmt.Errorf("no sources are configured")
	}
	return "", fmt.Errorf("%w (%s)", ErrAmbiguousSource, strings.Join(names, ", "))
}

// Get opens (once) and returns the named source; "" means the default.
func (s *Set) Get(ctx context.Context, name string) (Source, error) {
	name, err := s.Resolve(name)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	sl := s.slots[name]
	if sl == nil {
		sl = &slot{}
		s.slots[name] = sl
	}
	s.mu.Unlock()
	sl.mu.Lock()
	defer sl.mu.Unlock()
	if sl.src != nil {
		return sl.src, nil
	}
	src, err := Open(ctx, name, s.cfg.Sources[name], Options{Logger: s.logger, Functions: s.cfg.Guard.Functions, Secrets: s.secrets})
	if err != nil {
		return nil, err // not kept: the next Get tries again
	}
	sl.src = src
	return src, nil
}

// Config returns the named source's configuration.
func (s *Set) Config(name string) config.Source { return s.cfg.Sources[name] }

// Names returns the configured source names, sorted.
func (s *Set) Names() []string { return s.cfg.SourceNames() }

// Close closes every opened source. A later Get opens a source again.
func (s *Set) Close() error {
	s.mu.Lock()
	slots := s.slots
	s.slots = map[string]*slot{}
	s.mu.Unlock()
	var errs []error
	for name, sl := range slots {
		sl.mu.Lock()
		if sl.src != nil {
			if err := sl.src.Close(); err != nil {
				errs = append(errs, fmt.Errorf("source %q: close: %w", name, err))
			}
			sl.src = nil
		}
		sl.mu.Unlock()
	}
	return errors.Join(errs...)
}
