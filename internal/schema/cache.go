package schema

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
	"golang.org/x/sync/singleflight"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/knowledge"
	"github.com/askdb/askdb/internal/retrieve"
	"github.com/askdb/askdb/internal/source"
)

// Sources opens the configured sources; *source.Set implements it.
type Sources interface {
	Names() []string
	Resolve(name string) (string, error)
	Get(ctx context.Context, name string) (source.Source, error)
	Config(name string) config.Source
}

var _ Sources = (*source.Set)(nil)

// Snapshot is a source's enrichment snapshot as the cache uses it.
type Snapshot struct {
	// Catalog holds the row counts and frequent values computed by askdb
	// enrich.
	Catalog *catalog.Catalog
	// Taken identifies the snapshot: a different time means a new one.
	Taken time.Time
	// Ranges are the snapshot's minimum and maximum of numeric and
	// temporal columns.
	Ranges map[ColumnKey]Range
	// Values are the snapshot's distinct values of text columns, indexed
	// for matching beside the frequent ones.
	Values map[ColumnKey][]string
}

// Snapshots returns a source's latest enrichment snapshot, or nil and no
// error when it has none.
type Snapshots func(ctx context.Context, source string) (*Snapshot, error)

// Options configure a Cache.
type Options struct {
	Sources Sources
	// Knowledge holds each source's semantic layer, by source name.
	Knowledge map[string]*knowledge.Knowledge
	// Snapshots, when set, supplies the enrichment snapshots.
	Snapshots Snapshots
	// SchemaOnly is schema-only privacy: no value read from the data is
	// put in Catalog, the prompt's samples included.
	SchemaOnly bool
	// Embedder, when set, adds dense vectors to the retrieval index.
	Embedder retrieve.Embedder
	// Recheck is how often a cached schema looks for a newer snapshot;
	// 0 means DefaultRecheck, negative never.
	Recheck time.Duration
	// Parallel bounds how many sources All builds at once; 0 means 4.
	Parallel int
	Logger   *slog.Logger
	// Now is the clock for Recheck; nil means time.Now.
	Now func() time.Time
}

// DefaultRecheck is how often a cached schema looks for a new snapshot.
const DefaultRecheck = time.Minute

// Cache builds each source's Schema once and keeps it until the source's
// snapshot changes. It is safe for concurrent use.
type Cache struct {
	opts  Options
	group singleflight.Group

	mu      sync.Mutex
	entries map[string]*entry
}

type entry struct {
	schema  *Schema
	taken   time.Time // the snapshot the schema was built from
	checked time.Time // when the snapshot was last looked at
}

// NewCache returns an empty Cache.
func NewCache(opts Options) *Cache {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Recheck == 0 {
		opts.Recheck = DefaultRecheck
	}
	if opts.Parallel <= 0 {
		opts.Parallel = 4
	}
	return &Cache{opts: opts, entries: map[string]*entry{}}
}

// Get returns the prepared schema of the named source ("" is the default
// source), building it on first use. Concurrent first calls share one
// build, which runs under the first caller's ctx: if that ends the build
// fails for all of them, and the next call builds again.
func (c *Cache) Get(ctx context.Context, name string) (*Schema, error) {
	resolved, err := c.opts.Sources.Resolve(name)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	e := c.entries[resolved]
	c.mu.Unlock()
	if e != nil && !c.stale(ctx, resolved, e) {
		return e.schema, nil
	}
	v, err, _ := c.group.Do(resolved, func() (any, error) {
		return c.build(ctx, resolved)
	})
	if err != nil {
		return nil, err
	}
	return v.(*Schema), nil
}

// All returns the prepared schemas of every configured source, by name,
// built in parallel. A source that fails is left out and its error joined
// into the returned error, so one broken source does not hide the others.
func (c *Cache) All(ctx context.Context) (map[string]*Schema, error) {
	names := c.opts.Sources.Names()
	sort.Strings(names)
	out := make([]*Schema, len(names))
	errs := make([]error, len(names))
	var g errgroup.Group
	g.SetLimit(c.opts.Parallel)
	for i, n := range names {
		g.Go(func() error {
			out[i], errs[i] = c.Get(ctx, n)
			return nil
		})
	}
	_ = g.Wait() // errors are per source, in errs
	m := make(map[string]*Schema, len(names))
	for i, n := range names {
		if errs[i] == nil {
			m[n] = out[i]
		}
	}
	return m, errors.Join(errs...)
}

// Invalidate drops the cached schema of the named source, so the next Get
// introspects it again.
func (c *Cache) Invalidate(name string) {
	if resolved, err := c.opts.Sources.Resolve(name); err == nil {
		name = resolved
	}
	c.mu.Lock()
	delete(c.entries, name)
	c.mu.Unlock()
}

// stale reports whether e was built from an older snapshot than the
// source's latest, looking at most once per Recheck.
func (c *Cache) stale(ctx context.Context, name string, e *entry) bool {
	if c.opts.Snapshots == nil || c.opts.Recheck < 0 {
		return false
	}
	now := c.opts.Now()
	c.mu.Lock()
	due := now.Sub(e.checked) >= c.opts.Recheck
	if due {
		e.checked = now // one caller looks; the others use the cached schema
	}
	c.mu.Unlock()
	if !due {
		return false
	}
	snap, err := c.opts.Snapshots(ctx, name)
	if err != nil {
		c.opts.Logger.Warn("enrichment snapshot unusable", "source", name, "err", err)
		return false
	}
	var taken time.Time
	if snap != nil {
		taken = snap.Taken
	}
	return !taken.Equal(e.taken)
}

func (c *Cache) build(ctx context.Context, name string) (*Schema, error) {
	src, err := c.opts.Sources.Get(ctx, name)
	if err != nil {
		return nil, err
	}
	checked := c.opts.Now()
	var snap *Snapshot
	if c.opts.Snapshots != nil {
		if snap, err = c.opts.Snapshots(ctx, name); err != nil {
			c.opts.Logger.Warn("enrichment snapshot unusable", "source", name, "err", err)
			snap = nil
		}
	}
	s, err := c.prepare(ctx, src, snap)
	if err != nil {
		return nil, err
	}
	e := &entry{schema: s, checked: checked}
	if snap != nil {
		e.taken = snap.Taken
	}
	c.mu.Lock()
	c.entries[name] = e
	c.mu.Unlock()
	return s, nil
}

// prepare builds a Schema: introspect, hide, snapshot, samples,
// descriptions, index, DDL.
func (c *Cache) prepare(ctx context.Context, src source.Source, snap *Snapshot) (*Schema, error) {
	cat, err := Introspect(ctx, src, c.opts.Sources.Config(src.Name()).Policy)
	if err != nil {
		return nil, err
	}
	enriched := snap != nil && applySnapshot(cat, snap.Catalog)
	var values map[colRef][]string
	vb := newValuesBuilder()
	switch {
	case enriched:
		vb.addSamples(cat)
		addSnapshotValues(vb, cat, snap)
	case source.IsScanBilled(src):
		// Every sample or range query would be billed (Athena: at least
		// 10 MB each); such sources get values from askdb enrich only.
		c.opts.Logger.Debug("values not read: the source bills each query by the data it scans", "source", src.Name())
	default:
		values = addSamples(ctx, src, cat, c.opts.Logger, vb)
		addRanges(ctx, src, cat, c.opts.Logger, vb)
	}
	extra := retrieve.Extra{Embedder: c.opts.Embedder}
	if k := c.opts.Knowledge[src.Name()]; k != nil {
		applyDescriptions(cat, k.Descriptions())
		extra.Synonyms, extra.Descriptions = k.Synonyms(), k.Descriptions()
	}
	valued := withValues(cat, values, !c.opts.SchemaOnly)
	vals := vb.build()
	if c.opts.SchemaOnly {
		clearSamples(cat)
		vals = nil // no value read from the data reaches a prompt
	}
	s := FromCatalogWith(src.Name(), cat, extra, vals)
	s.values = valued
	return s, nil
}

// addSnapshotValues indexes a snapshot's values and ranges of the columns
// cat (the visible catalog) still has.
func addSnapshotValues(vb *valuesBuilder, cat *catalog.Catalog, snap *Snapshot) {
	for ti := range cat.Tables {
		t := &cat.Tables[ti]
		for ci := range t.Columns {
			k := keyOf(t, &t.Columns[ci])
			if vals, ok := snap.Values[k]; ok && t.Columns[ci].Type == catalog.TypeText {
				vb.add(k, vals)
			}
			if r, ok := snap.Ranges[k]; ok {
				vb.addRange(k, r)
			}
		}
	}
}

// Introspect reads src's catalog and hides what policy forbids queries to
// read. It is the one place a live catalog is read: everything built from
// it (samples, prompts, retrieval, statistics) sees only visible tables and
// columns.
func Introspect(ctx context.Context, src source.Source, policy config.Policy) (*catalog.Catalog, error) {
	cat, err := src.Introspect(ctx)
	if err != nil {
		return nil, fmt.Errorf("source %q: introspect: %w", src.Name(), err)
	}
	return visible(cat, policy), nil
}
