// Package registry is the plug-in table shared by source kinds and model
// providers: each kind's package registers a factory from init, and
// callers look kinds up by name. It imports nothing from askdb.
package registry

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Registry maps kind names to factories of type F. It is safe for
// concurrent use.
type Registry[F any] struct {
	what string // "source", "model": used in messages
	mu   sync.RWMutex
	m    map[string]F
}

// New returns an empty registry whose messages call its entries what.
func New[F any](what string) *Registry[F] {
	return &Registry[F]{what: what, m: map[string]F{}}
}

// Register adds a kind. It panics on a duplicate, a programming error
// found at start-up.
func (r *Registry[F]) Register(kind string, f F) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.m[kind]; dup {
		panic(fmt.Sprintf("%s: kind %q registered twice", r.what, kind))
	}
	r.m[kind] = f
}

// Kinds returns the registered kinds, sorted.
func (r *Registry[F]) Kinds() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]string, 0, len(r.m))
	for k := range r.m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Lookup returns the factory of kind, or an error that lists the known
// kinds: `unknown source kind "pgsql" (known: mysql, postgres, sqlite)`.
func (r *Registry[F]) Lookup(kind string) (F, error) {
	r.mu.RLock()
	f, ok := r.m[kind]
	r.mu.RUnlock()
	if !ok {
		var zero F
		return zero, fmt.Errorf("unknown %s kind %q (known: %s)", r.what, kind, strings.Join(r.Kinds(), ", "))
	}
	return f, nil
}
