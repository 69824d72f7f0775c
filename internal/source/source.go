package source

import (
	"context"
	"log/slog"
	"time"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/secret"
)

// Source is one connected database.
type Source interface {
	// Name is the source's name in askdb.yaml.
	Name() string
	// Dialect is the SQL dialect the source speaks.
	Dialect() catalog.Dialect
	// Introspect reads the schema into a catalog.
	Introspect(ctx context.Context) (*catalog.Catalog, error)
	// Explain asks the engine to plan sql without running it. When the
	// engine refuses, the error is an *EngineError carrying its message verbatim.
	Explain(ctx context.Context, sql string) (string, error)
	// Query runs sql in a read-only transaction (or session) within limits.
	Query(ctx context.Context, sql string, lim Limits) (*Result, error)
	// Ping checks that the database is reachable.
	Ping(ctx context.Context) error
	// Close releases connections.
	Close() error
}

// Limits bound one query. Zero values take the defaults in package config.
type Limits struct {
	MaxRows  int
	MaxBytes int64
	Timeout  time.Duration
}

// WithDefaults fills zero fields with askdb's defaults.
func (l Limits) WithDefaults() Limits {
	if l.MaxRows <= 0 {
		l.MaxRows = config.DefaultMaxRows
	}
	if l.MaxBytes <= 0 {
		l.MaxBytes = config.DefaultMaxBytes
	}
	if l.Timeout <= 0 {
		l.Timeout = config.DefaultQueryTimeout
	}
	return l
}

// LimitsFor returns the limits configured on a source.
func LimitsFor(cfg config.Source) Limits {
	rows, bytes, timeout := cfg.Limits()
	return Limits{MaxRows: rows, MaxBytes: bytes, Timeout: timeout}
}

// Options are what a factory gets besides the source's own config.
type Options struct {
	Logger *slog.Logger
	// Functions extends each dialect's function allowlist, keyed by dialect
	// name as config.Guard.Functions is. Sqlguard gets the same list; a
	// source that re-checks statements with its engine's own parser
	// (duckdb) honours it too, so both layers agree.
	Functions map[string][]string
	// Secrets reads the source's secret:, which Open merges into its DSN
	// with the kind's MergeSecret before the factory sees it.
	Secrets secret.Store
}

// Factory opens a source of one kind. It must not block past the source's
// connect timeout.
type Factory func(ctx context.Context, name string, cfg config.Source, opts Options) (Source, error)

// ScanBilled is implemented by sources whose every query is billed by
// the data it scans (Athena): askdb reads no sample values from them on
// its own, so the first question costs no scans; `askdb enrich` does when
// asked.
type ScanBilled interface {
	ScanBilled() bool
}

// IsScanBilled reports whether src, or a source it wraps (Unwrap), is
// billed by the data each query scans.
func IsScanBilled(src Source) bool {
	for src != nil {
		if b, ok := src.(ScanBilled); ok {
			return b.ScanBilled()
		}
		u, ok := src.(interface{ Unwrap() Source })
		if !ok {
			return false
		}
		src = u.Unwrap()
	}
	return false
}
