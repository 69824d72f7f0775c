package source

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
)

// gatedKind opens only when its gate (named by the source's path) is
// closed, and counts opens, so tests can hold one open in flight.
const gatedKind = "settest-gated"

type gateChans struct{ entered, release chan struct{} }

var (
	gatesMu sync.Mutex
	gates   = map[string]gateChans{}
	opens   atomic.Int64
)

type gatedSource struct {
	name   string
	closed atomic.Bool
}

func (g *gatedSource) Name() string             { return g.name }
func (g *gatedSource) Dialect() catalog.Dialect { return catalog.SQLite }
func (g *gatedSource) Introspect(context.Context) (*catalog.Catalog, error) {
	return &catalog.Catalog{}, nil
}
func (g *gatedSource) Explain(context.Context, string) (string, error) { return "", nil }
func (g *gatedSource) Query(context.Context, string, Limits) (*Result, error) {
	return &Result{}, nil
}
func (g *gatedSource) Ping(context.Context) error { return nil }
func (g *gatedSource) Close() error               { g.closed.Store(true); return nil }

func init() {
	Register(gatedKind, Kind{Keys: []string{"path", "dsn"}, Open: func(ctx context.Context, name string, cfg config.Source, _ Options) (Source, error) {
		gatesMu.Lock()
		gate, ok := gates[cfg.Path]
		gatesMu.Unlock()
		if ok {
			close(gate.entered)
			select {
			case <-gate.release:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		opens.Add(1)
		if cfg.DSN == "fail" {
			return nil, errors.New("refused")
		}
		return &gatedSource{name: name}, nil
	}})
}

func gatedConfig(names ...string) *config.Config {
	cfg := &config.Config{Sources: map[string]config.Source{}}
	for _, n := range names {
		cfg.Sources[n] = config.Source{Kind: gatedKind, Path: n}
	}
	return cfg
}

// TestSetOpensSourcesIndependently: while one source is still opening,
// another opens and is returned.
func TestSetOpensSourcesIndependently(t *testing.T) {
	gate := gateChans{entered: make(chan struct{}), release: make(chan struct{})}
	gatesMu.Lock()
	gates["slow"] = gate
	gatesMu.Unlock()
	set := NewSet(gatedConfig("slow", "fast"), nil)
	defer set.Close()
	defer close(gate.release)                // before Close, which waits for the slow open
	go set.Get(context.Background(), "slow") //nolint:errcheck // released at the end
	<-gate.entered                           // the slow source is opening now
	done := make(chan error, 1)
	go func() {
		_, err := set.Get(context.Background(), "fast")
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal(`Get("fast") waited for the "slow" source to open`)
	}
}

// TestSetOpensOnce: concurrent Gets of one source open it once and share
// it; a failed open is not kept; Close closes it and a later Get reopens.
func TestSetOpensOnce(t *testing.T) {
	set := NewSet(gatedConfig("a"), nil)
	before := opens.Load()
	var wg sync.WaitGroup
	got := make([]Source, 8)
	for i := range got {
		wg.Go(func() {
			src, err := set.Get(context.Background(), "a")
			if err != nil {
				t.Error(err)
			}
			got[i] = src
		})
	}
	wg.Wait()
	if n := opens.Load() - before; n != 1 {
		t.Fatalf("opened %d times, want 1", n)
	}
	for _, src := range got[1:] {
		if src != got[0] {
			t.Fatal("concurrent Gets returned different sources")
		}
	}
	if err := set.Close(); err != nil {
		t.Fatal(err)
	}
	if !got[0].(*gatedSource).closed.Load() {
		t.Fatal("Close did not close the opened source")
	}
	again, err := set.Get(context.Background(), "a")
	if err != nil || again == got[0] {
		t.Fatalf("Get after Close: %v, same source %v", err, again == got[0])
	}

	failing := gatedConfig("f")
	failing.Sources["f"] = config.Source{Kind: gatedKind, DSN: "fail"}
	set = NewSet(failing, nil)
	before = opens.Load()
	for range 2 {
		if _, err := set.Get(context.Background(), "f"); err == nil {
			t.Fatal("a failing open returned no error")
		}
	}
	if n := opens.Load() - before; n != 2 {
		t.Fatalf("a failed open was kept: %d opens for 2 Gets", n)
	}
}
