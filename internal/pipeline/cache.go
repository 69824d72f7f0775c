package pipeline

import (
	"context"
	"fmt"
	"time"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/store"
)

// The semantic cache: every question a model answered is kept in the
// store (per source, asker and schema fingerprint) with the SQL as the
// model wrote it. A repeat, a template match with other values or a close
// paraphrase reuses that SQL instead of calling the model; the SQL goes
// through the asker's guard, EXPLAIN and a fresh run, never served as it
// was. Answers chosen by the bank, a metric or the offline engine are not
// cached: they cost no model call.

const (
	// StepCache is the trace step that looks in the semantic cache.
	StepCache = "cache"
	// EngineCache is Answer.Engine for SQL reused from the cache.
	EngineCache = "cache"
	// ChosenByCache is the ChosenBy kind of SQL reused from the cache.
	ChosenByCache = "cache"
)

// CacheOptions configure the semantic cache. It works only with a Store
// that has one (store.CacheStore).
type CacheOptions struct {
	Enabled bool
	// TTL is how long an entry may be reused; 0 means config.DefaultCacheTTL.
	TTL time.Duration
	// MaxEntries bounds each source's entries, least recently used out
	// first; 0 means config.DefaultCacheMaxEntries.
	MaxEntries int
	// Similarity is the least similarity at which a paraphrase reuses an
	// entry: the cosine of the questions' embeddings when an Embedder is
	// set, their lexical similarity otherwise. 0 means config.DefaultCacheSimilarity.
	Similarity float64
}

// cacheOptions maps askdb.yaml's ask.cache; the cache is on unless
// enabled: false.
func cacheOptions(c config.Cache) CacheOptions {
	return CacheOptions{Enabled: c.Enabled == nil || *c.Enabled, TTL: c.TTL.Std(), MaxEntries: c.MaxEntries, Similarity: c.Similarity}
}

func (o CacheOptions) withDefaults() CacheOptions {
	if o.TTL <= 0 {
		o.TTL = config.DefaultCacheTTL
	}
	if o.MaxEntries <= 0 {
		o.MaxEntries = config.DefaultCacheMaxEntries
	}
	if o.Similarity <= 0 {
		o.Similarity = config.DefaultCacheSimilarity
	}
	return o
}

// answerCache returns the store's cache when the options enable it.
func answerCache(opts Options) store.CacheStore {
	if !opts.Cache.Enabled || opts.Store == nil {
		return nil
	}
	c, _ := opts.Store.(store.CacheStore)
	return c
}

// CacheHit is how an answer came from the cache, in the cache step's detail.
type CacheHit struct {
	EntryID  string `json:"entry_id"`
	Question string `json:"question"`
	// Similarity is 1 for a repeat and a template match.
	Similarity float64 `json:"similarity"`
	// By is "repeat", "template" or "embedding"/"lexical" for a paraphrase.
	By          string            `json:"by"`
	Substituted map[string]string `json:"substituted,omitempty"`
	CachedAt    time.Time         `json:"cached_at"`
}

// fromCache answers q with SQL from the cache. A refused or failing entry
// is skipped, as a bank entry is, and the model is asked instead.
func (r *run) fromCache(ctx context.Context, q string, req Request) (*source.Result, bool, error) {
	c := r.p.cache
	if c == nil || r.schema == nil {
		return nil, false, nil
	}
	step := r.rec.Started(StepCache)
	if req.NoCache {
		step.Done("skipped: the asker refused cached answers, so the model is asked again")
		return nil, false, nil
	}
	opts := r.p.opts.Cache
	now := r.p.opts.Now()
	entries, err := c.CacheEntries(ctx, r.ans.Source, r.who.User, r.schema.Fingerprint, now.Add(-opts.TTL))
	if err != nil {
		r.p.opts.Logger.Warn("semantic cache unavailable", "source", r.ans.Source, "err", err)
		step.Fail("the cache is unavailable", err)
		return nil, false, nil
	}
	hit, sql, ok := r.matchCache(ctx, q, entries)
	if !ok {
		step.Done(fmt.Sprintf("no match among %d cached questions", len(entries)))
		return nil, false, nil
	}
	step.Detail(hit)
	say := fmt.Sprintf("cache hit (similarity %.2f, cached %s ago)", hit.Similarity, ago(now.Sub(hit.CachedAt)))
	step.Done(fmt.Sprintf("%s: %q, by %s", say, hit.Question, hit.By))
	r.ans.Engine, r.ans.SQL = EngineCache, sql
	r.ans.ChosenBy = &ChosenBy{Kind: ChosenByCache, Label: fmt.Sprintf("cached answer to %q, %s", hit.Question, say)}
	res, err := r.checkAndRun(ctx, sql, req.DryRun)
	if r.ans.Outcome == Refused || r.ans.Outcome == Failed {
		r.ans.Engine, r.ans.Outcome, r.ans.Message, r.ans.ChosenBy = "", "", "", nil
		return nil, false, nil
	}
	if err := c.TouchCache(ctx, hit.EntryID, now); err != nil {
		r.p.opts.Logger.Warn("semantic cache: recording a hit failed", "entry", hit.EntryID, "err", err)
	}
	return res, true, err
}

// remember caches the SQL the model wrote for an answered question.
func (r *run) remember(ctx context.Context, q string) {
	c := r.p.cache
	if c == nil || r.schema == nil || r.ans.Outcome != Answered || r.ans.ChosenBy == nil || r.ans.ChosenBy.Kind != ChosenByModel {
		return
	}
	now := r.p.opts.Now()
	e := store.CacheEntry{
		Source: r.ans.Source, User: r.who.User, Fingerprint: r.schema.Fingerprint,
		Question: q, Key: normalizeQuestion(q), SQL: r.written, Embedding: r.questionVector(ctx, q), CreatedAt: now,
	}
	b := store.CacheBounds{MaxEntries: r.p.opts.Cache.MaxEntries, Expired: now.Add(-r.p.opts.Cache.TTL)}
	if err := c.PutCache(ctx, e, b); err != nil {
		r.p.opts.Logger.Warn("semantic cache: storing an answer failed", "source", r.ans.Source, "err", err)
	}
}

// ago is a duration as a trace says it: "40 s", "12 min", "2 h", "3 d".
func ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%d s", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h", int(d.Hours()))
	}
	return fmt.Sprintf("%d d", int(d.Hours()/24))
}
