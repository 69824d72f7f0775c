package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/askdb/askdb/internal/store"
)

func cacheOf(t *testing.T, s store.Store) store.CacheStore {
	t.Helper()
	return ability[store.CacheStore](t, s)
}

// ability returns s's optional ability T, failing t when s lacks it.
func ability[T any](t *testing.T, s store.Store) T {
	t.Helper()
	c, ok := s.(T)
	if !ok {
		var zero T
		t.Fatalf("%T lacks the optional ability %T", s, &zero)
	}
	return c
}

func cacheEntry(key string, minutes int) store.CacheEntry {
	return store.CacheEntry{
		Source: "sample", User: "ann", Fingerprint: "fp1", Question: key + "?", Key: key,
		SQL: "SELECT '" + key + "'", CreatedAt: at.Add(time.Duration(minutes) * time.Minute),
	}
}

func keys(es []store.CacheEntry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Key)
	}
	return out
}

// testCacheRoundTrip: what is put comes back, through another instance
// on the same database (the cache is shared by replicas), per user.
func testCacheRoundTrip(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	a, b := cacheOf(t, openT(t, open)), cacheOf(t, openT(t, open))
	e := cacheEntry("how many employees", 0)
	e.ID, e.Embedding = "c1", []float32{0.25, -1.5, 3}
	if err := a.PutCache(ctx, e, store.CacheBounds{}); err != nil {
		t.Fatal(err)
	}
	got, err := b.CacheEntries(ctx, "sample", "ann", "fp1", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	want := e
	want.CreatedAt = at.Truncate(time.Microsecond)
	want.LastHit = want.CreatedAt
	if diff := cmp.Diff([]store.CacheEntry{want}, got); diff != "" {
		t.Errorf("CacheEntries from a second instance mismatch (-want +got):\n%s", diff)
	}
	for _, tc := range []struct{ name, user, fp string }{{"another user", "bob", "fp1"}, {"another fingerprint", "ann", "fp2"}} {
		if got, err := b.CacheEntries(ctx, "sample", tc.user, tc.fp, time.Time{}); err != nil || len(got) != 0 {
			t.Errorf("%s: CacheEntries = %v, %v; want none", tc.name, keys(got), err)
		}
	}
	if err := a.TouchCache(ctx, "c1", at.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, _ = a.CacheEntries(ctx, "sample", "ann", "fp1", time.Time{})
	if len(got) != 1 || got[0].Hits != 1 || !got[0].LastHit.Equal(at.Add(time.Hour).Truncate(time.Microsecond)) {
		t.Errorf("after TouchCache: %+v, want 1 hit at %v", got, at.Add(time.Hour))
	}
	if err := a.TouchCache(ctx, "absent", at); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("TouchCache(absent) = %v, want ErrNotFound", err)
	}
	if err := a.PutCache(ctx, store.CacheEntry{Source: "sample", Key: "k"}, store.CacheBounds{}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("PutCache without SQL = %v, want ErrInvalid", err)
	}
}

// testCacheReplace: a second answer to the same question (a user refused
// the cached one) replaces it rather than adding a duplicate.
func testCacheReplace(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	c := cacheOf(t, openT(t, open))
	first := cacheEntry("k", 0)
	second := cacheEntry("k", 5)
	second.SQL = "SELECT 'better'"
	for _, e := range []store.CacheEntry{first, second} {
		if err := c.PutCache(ctx, e, store.CacheBounds{}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := c.CacheEntries(ctx, "sample", "ann", "fp1", time.Time{})
	if err != nil || len(got) != 1 || got[0].SQL != second.SQL {
		t.Errorf("CacheEntries after a replacement = %+v, %v; want only %q", got, err, second.SQL)
	}
}

// testCacheInvalidation: a new fingerprint drops the old entries, and
// expired entries go on the next put.
func testCacheInvalidation(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	c := cacheOf(t, openT(t, open))
	old := cacheEntry("old", 0)
	if err := c.PutCache(ctx, old, store.CacheBounds{}); err != nil {
		t.Fatal(err)
	}
	other := cacheEntry("other source", 0)
	other.Source = "other"
	if err := c.PutCache(ctx, other, store.CacheBounds{}); err != nil {
		t.Fatal(err)
	}
	fresh := cacheEntry("fresh", 1)
	fresh.Fingerprint = "fp2"
	if err := c.PutCache(ctx, fresh, store.CacheBounds{}); err != nil {
		t.Fatal(err)
	}
	if got, _ := c.CacheEntries(ctx, "sample", "ann", "fp1", time.Time{}); len(got) != 0 {
		t.Errorf("entries of the old fingerprint survived a put under a new one: %v", keys(got))
	}
	if got, _ := c.CacheEntries(ctx, "other", "ann", "fp1", time.Time{}); len(got) != 1 {
		t.Errorf("another source's entries = %v, want its one entry untouched", keys(got))
	}
	if got, _ := c.CacheEntries(ctx, "sample", "ann", "fp2", at.Add(2*time.Minute)); len(got) != 0 {
		t.Errorf("CacheEntries since after its creation = %v, want none", keys(got))
	}
	later := cacheEntry("later", 10)
	later.Fingerprint = "fp2"
	if err := c.PutCache(ctx, later, store.CacheBounds{Expired: at.Add(5 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if got, _ := c.CacheEntries(ctx, "sample", "ann", "fp2", time.Time{}); !cmp.Equal(keys(got), []string{"later"}) {
		t.Errorf("after a put that expires older entries: %v, want [later]", keys(got))
	}
}

// testCacheEviction: beyond MaxEntries the least recently used entries of
// the source go, whoever asked them; a reuse keeps an old entry.
func testCacheEviction(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	c := cacheOf(t, openT(t, open))
	bounds := store.CacheBounds{MaxEntries: 3}
	for i := range 3 {
		e := cacheEntry(fmt.Sprintf("q%d", i), i)
		e.ID = e.Key
		if err := c.PutCache(ctx, e, bounds); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.TouchCache(ctx, "q0", at.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	bob := cacheEntry("q3", 3)
	bob.User = "bob"
	if err := c.PutCache(ctx, bob, bounds); err != nil {
		t.Fatal(err)
	}
	got, _ := c.CacheEntries(ctx, "sample", "ann", "fp1", time.Time{})
	if want := []string{"q0", "q2"}; !cmp.Equal(keys(got), want) {
		t.Errorf("ann's entries after eviction = %v, want %v (q1 least recently used)", keys(got), want)
	}
	if got, _ := c.CacheEntries(ctx, "sample", "bob", "fp1", time.Time{}); len(got) != 1 {
		t.Errorf("bob's entries = %v, want the one just put", keys(got))
	}
}
