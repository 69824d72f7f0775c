package source

import (
	"context"
	"fmt"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/registry"
)

// CatalogKind is a catalog service a source may take its table
// definitions from instead of introspection (catalog: {kind: glue, …}).
type CatalogKind struct {
	// Check validates the entry's catalog: block at load. Nil: nothing to check.
	Check func(e *Entry) error
	// Open returns the reader of the source's catalog.
	Open func(ctx context.Context, name string, cfg config.Source, opts Options) (CatalogReader, error)
}

// CatalogReader reads a source's tables from a catalog service.
type CatalogReader interface {
	// Tables returns the tables the catalog service describes.
	Tables(ctx context.Context) ([]catalog.Table, error)
	// Describe names the catalog for the catalog's version line.
	Describe() string
}

var catalogKinds = registry.New[CatalogKind]("catalog")

// RegisterCatalog makes a catalog kind available. It panics on a duplicate.
func RegisterCatalog(name string, k CatalogKind) { catalogKinds.Register(name, k) }

// checkCatalog checks the entry's catalog: block against its kind.
func checkCatalog(e *Entry) error {
	c := e.Source.Catalog
	if c == nil {
		return nil
	}
	k, err := catalogKinds.Lookup(c.Kind)
	if err != nil {
		return e.Errorf("catalog", "%v", err)
	}
	if k.Check == nil {
		return nil
	}
	return k.Check(e)
}

// withCatalog wraps src so that Introspect reads the configured catalog
// service; a source without catalog: is returned as it is.
func withCatalog(ctx context.Context, src Source, name string, cfg config.Source, opts Options) (Source, error) {
	if cfg.Catalog == nil {
		return src, nil
	}
	k, err := catalogKinds.Lookup(cfg.Catalog.Kind)
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	r, err := k.Open(ctx, name, cfg, opts)
	if err != nil {
		return nil, fmt.Errorf("catalog %s: %w", cfg.Catalog.Kind, err)
	}
	return &catalogSource{Source: src, reader: r}, nil
}

// catalogSource is a source whose catalog comes from a catalog service.
type catalogSource struct {
	Source
	reader CatalogReader
}

// Introspect reads the tables from the catalog service, not the engine.
func (s *catalogSource) Introspect(ctx context.Context) (*catalog.Catalog, error) {
	tables, err := s.reader.Tables(ctx)
	if err != nil {
		return nil, fmt.Errorf("source %q: introspect %s: %w", s.Name(), s.reader.Describe(), err)
	}
	cat := &catalog.Catalog{Source: s.Name(), Dialect: s.Dialect(), Version: s.reader.Describe(), Tables: tables}
	cat.Sort()
	return cat, nil
}

// closeOnError closes a source opened before a later step failed, and
// returns nil when the close went well.
func closeOnError(src Source) error {
	if err := src.Close(); err != nil {
		return fmt.Errorf("close: %w", err)
	}
	return nil
}
