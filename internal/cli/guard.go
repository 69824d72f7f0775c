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
	return a.guardWith(src, text, maxRows, a.guardCatalog(ctx, src))
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

// guardCatalog introspects src so that the guard resolves names against
// its real schema: a policy's tables and columns, PostgreSQL's foreign
// tables, attribute notation (e.f is a column or a call depending on the
// table's columns), and the MySQL function allowlist, which follows the
// server's version. SQLite needs none of these without a policy, so it is
// not introspected then. A failed introspection leaves the guard without a
// catalog, which it reads conservatively.
func (a *app) guardCatalog(ctx context.Context, src source.Source) *catalog.Catalog {
	if pol := a.cfg.Sources[src.Name()].Policy; src.Dialect() == catalog.SQLite && len(pol.Allow) == 0 && len(pol.Deny) == 0 {
		return nil
	}
	return a.introspectForGuard(ctx, src)
}

// introspectForGuard reads src's schema for the guard, or nil with a
// warning when it cannot.
func (a *app) introspectForGuard(ctx context.Context, src source.Source) *catalog.Catalog {
	cat, err := src.Introspect(ctx)
	if err != nil {
		a.logger.Warn("guard without a catalog", "source", src.Name(), "err", err)
		return nil
	}
	return cat
}
