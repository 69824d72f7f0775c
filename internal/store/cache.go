package store

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"strings"
	"time"
)

// CacheEntry is one answered question in the semantic cache: the SQL a
// model wrote for it, kept per source, per asker and per schema
// fingerprint, so that a repeat can reuse the SQL (after the guard and
// EXPLAIN again) instead of calling the model.
type CacheEntry struct {
	ID     string `json:"id,omitempty"`
	Source string `json:"source"`
	// User is who asked; an entry is visible to that user only.
	User string `json:"user,omitempty"`
	// Fingerprint is the schema fingerprint the SQL was written against.
	Fingerprint string `json:"fingerprint"`
	Question    string `json:"question"`
	// Key is the question as it compares (normalised); one entry per key,
	// user and source.
	Key string `json:"key"`
	// SQL is the SQL as written, before the guard's LIMIT and row filters.
	SQL string `json:"sql"`
	// Embedding is the question's vector when an embedding model is set.
	Embedding []float32 `json:"embedding,omitempty"`
	Hits      int       `json:"hits"`
	CreatedAt time.Time `json:"created_at,omitzero"`
	// LastHit is when the entry was last written or reused; eviction drops
	// the least recently used first.
	LastHit time.Time `json:"last_hit,omitzero"`
}

// CacheBounds bound a source's cache when an entry is put.
type CacheBounds struct {
	// MaxEntries is the most entries a source keeps (all users together);
	// 0 means no bound.
	MaxEntries int
	// Expired drops entries created before it; zero keeps them.
	Expired time.Time
}

// CacheStore is the semantic cache, an optional ability of a Store (the
// SQLite and PostgreSQL stores have it), found by type assertion.
type CacheStore interface {
	// PutCache adds e, or replaces the entry with the same source, user and
	// key, then drops the source's entries of another fingerprint, the
	// expired ones, and the least recently used beyond the bound.
	PutCache(ctx context.Context, e CacheEntry, b CacheBounds) error
	// CacheEntries returns the entries a user may reuse: of that source and
	// fingerprint, created at or after since, most recently used first.
	CacheEntries(ctx context.Context, source, user, fingerprint string, since time.Time) ([]CacheEntry, error)
	// TouchCache records a reuse of the entry with id at t.
	TouchCache(ctx context.Context, id string, t time.Time) error
}

var _ CacheStore = (*dbStore)(nil)

// PutCache implements CacheStore.
func (s *dbStore) PutCache(ctx context.Context, e CacheEntry, b CacheBounds) error {
	if e.Source == "" || strings.TrimSpace(e.Key) == "" || strings.TrimSpace(e.SQL) == "" || e.Fingerprint == "" {
		return fmt.Errorf("cache entry %q: %w: source, key, SQL and fingerprint are required", e.Question, ErrInvalid)
	}
	if e.ID == "" {
		e.ID = NewID()
	}
	created := s.stamp(e.CreatedAt)
	last := created
	if !e.LastHit.IsZero() {
		last = s.stamp(e.LastHit)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("cache entry %q: %w", e.Question, err)
	}
	defer tx.Rollback()
	_, err = tx.ExecContext(ctx, s.q(`INSERT INTO answer_cache
		(id, source, user_name, fingerprint, question, question_key, sql_text, embedding, hits, created_at, last_hit)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (source, user_name, question_key) DO UPDATE SET
			fingerprint = excluded.fingerprint, question = excluded.question, sql_text = excluded.sql_text,
			embedding = excluded.embedding, hits = excluded.hits, created_at = excluded.created_at, last_hit = excluded.last_hit`),
		e.ID, e.Source, e.User, e.Fingerprint, e.Question, e.Key, e.SQL, encodeVector(e.Embedding), e.Hits, created, last)
	if err != nil {
		return fmt.Errorf("cache entry %q: %w", e.Question, err)
	}
	expired := time.Time{}
	if !b.Expired.IsZero() {
		expired = s.stamp(b.Expired)
	}
	if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM answer_cache WHERE source = ? AND (fingerprint <> ? OR created_at < ?)`),
		e.Source, e.Fingerprint, expired); err != nil {
		return fmt.Errorf("cache of source %q: invalidate: %w", e.Source, err)
	}
	if b.MaxEntries > 0 {
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM answer_cache WHERE source = ? AND id NOT IN
			(SELECT id FROM answer_cache WHERE source = ? ORDER BY last_hit DESC, id DESC LIMIT ?)`),
			e.Source, e.Source, b.MaxEntries); err != nil {
			return fmt.Errorf("cache of source %q: evict: %w", e.Source, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("cache entry %q: %w", e.Question, err)
	}
	return nil
}

// CacheEntries implements CacheStore.
func (s *dbStore) CacheEntries(ctx context.Context, source, user, fingerprint string, since time.Time) ([]CacheEntry, error) {
	if !since.IsZero() {
		since = s.stamp(since)
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT id, source, user_name, fingerprint, question, question_key, sql_text,
		embedding, hits, created_at, last_hit FROM answer_cache
		WHERE source = ? AND user_name = ? AND fingerprint = ? AND created_at >= ?
		ORDER BY last_hit DESC, id DESC`), source, user, fingerprint, since)
	if err != nil {
		return nil, fmt.Errorf("cache of source %q: %w", source, err)
	}
	defer rows.Close()
	var out []CacheEntry
	for rows.Next() {
		var e CacheEntry
		var vec []byte
		if err := rows.Scan(&e.ID, &e.Source, &e.User, &e.Fingerprint, &e.Question, &e.Key, &e.SQL,
			&vec, &e.Hits, &e.CreatedAt, &e.LastHit); err != nil {
			return nil, fmt.Errorf("cache of source %q: %w", source, err)
		}
		e.Embedding = decodeVector(vec)
		e.CreatedAt, e.LastHit = e.CreatedAt.UTC(), e.LastHit.UTC()
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("cache of source %q: %w", source, err)
	}
	return out, nil
}

// TouchCache implements CacheStore.
func (s *dbStore) TouchCache(ctx context.Context, id string, t time.Time) error {
	res, err := s.db.ExecContext(ctx, s.q(`UPDATE answer_cache SET hits = hits + 1, last_hit = ? WHERE id = ?`), s.stamp(t), id)
	if err != nil {
		return fmt.Errorf("cache entry %q: touch: %w", id, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("cache entry %q: %w", id, ErrNotFound)
	}
	return nil
}

// encodeVector stores a vector as little-endian float32s; nil stays NULL.
func encodeVector(v []float32) any {
	if len(v) == 0 {
		return nil
	}
	b := make([]byte, 4*len(v))
	for i, f := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(f))
	}
	return b
}

func decodeVector(b []byte) []float32 {
	if len(b) == 0 || len(b)%4 != 0 {
		return nil
	}
	v := make([]float32, len(b)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return v
}
