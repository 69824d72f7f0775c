package cli

import (
	"context"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/sqlguard"
)

// guard checks text with the SQL guard for src's dialect and policy, and
// returns the exact SQL to run (with the row cap applied as a LIMIT).
func (a *app) guard(ctx context.Context, src source.Source, text string, maxRows int) (string, error) {
	pol := a.cfg.Sources[src.Name()].Policy
	return a.guardWith(src, text, maxRows, a.guardCatalog(ctx, src, pol.Allow, pol.Deny))
}

// guardWith is guard with a catalog the caller already has (may be nil).
func (a *app) guardWith(src source.Source, text string, maxRows int, cat *catalog.Catalog) (string, error) {
	opts := a.guardOptions(src.Name(), src.Dialect(), maxRows)
	opts.Catalog = cat
	v := sqlguard.Check(text, opts)
	if err := v.Err(); err != nil {
		return "", err
	}
	return v.SQL, nil
}

// guardCatalog introspects src when the guard needs names resolved: a
// policy to apply, or PostgreSQL and DuckDB, whose foreign tables reach
// other servers and whose attribute notation (e.f) is a column or a
// function call depending on the table's columns. A failed introspection
// leaves the guard without a catalog, which it reads conservatively.
func (a *app) guardCatalog(ctx context.Context, src source.Source, allow, deny []string) *catalog.Catalog {
	if d := src.Dialect(); len(allow) == 0 && len(deny) == 0 && d != catalog.Postgres && d != catalog.DuckDB {
		return nil
	}
	cat, err := src.Introspect(ctx)
	if err != nil {
		a.logger.Warn("guard without a catalog", "source", src.Name(), "err", err)
		return nil
	}
	return cat
}
