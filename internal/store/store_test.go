package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/dbtest"
	"github.com/askdb/askdb/internal/store"
	"github.com/askdb/askdb/internal/store/storetest"
)

func TestSQLite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) func() (store.Store, error) {
		cfg := config.Store{Kind: "sqlite", Path: filepath.Join(t.TempDir(), "askdb.db")}
		return func() (store.Store, error) { return store.Open(context.Background(), cfg, nil) }
	})
}

func TestIntegrationPostgres(t *testing.T) {
	storetest.Run(t, func(t *testing.T) func() (store.Store, error) {
		cfg := config.Store{Kind: "postgres", DSN: dbtest.Postgres(t)}
		return func() (store.Store, error) { return store.Open(context.Background(), cfg, nil) }
	})
}

func TestDefaultPathHonoursDataDir(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(store.EnvDataDir, dir)
	got, err := store.DefaultPath()
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, store.DefaultFile); got != want {
		t.Errorf("DefaultPath() = %q, want %q", got, want)
	}
	s, err := store.Open(context.Background(), config.Store{}, nil)
	if err != nil {
		t.Fatalf("Open with an empty config: %v", err)
	}
	defer s.Close()
}

func TestOpenUnknownKind(t *testing.T) {
	if _, err := store.Open(context.Background(), config.Store{Kind: "oracle"}, nil); err == nil {
		t.Error("Open(kind oracle) succeeded")
	}
}

// TestConcurrentOpen starts several instances on one new database at once,
// as replicas of a team server do: migrations must run exactly once.
func TestConcurrentOpen(t *testing.T) {
	tests := []struct {
		name string
		cfg  func(t *testing.T) config.Store
	}{
		{"sqlite", func(t *testing.T) config.Store {
			return config.Store{Kind: "sqlite", Path: filepath.Join(t.TempDir(), "askdb.db")}
		}},
		{"postgres", func(t *testing.T) config.Store { return config.Store{Kind: "postgres", DSN: dbtest.Postgres(t)} }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tc.cfg(t)
			const n = 4
			errs := make(chan error, n)
			stores := make(chan store.Store, n)
			for range n {
				go func() {
					s, err := store.Open(context.Background(), cfg, nil)
					errs <- err
					stores <- s
				}()
			}
			for range n {
				if err := <-errs; err != nil {
					t.Errorf("concurrent Open: %v", err)
				}
				if s := <-stores; s != nil {
					defer s.Close()
				}
			}
		})
	}
}
