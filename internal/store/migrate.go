package store

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
)

// migration is one versioned schema change. Versions start at 1 and are
// never renumbered or edited once released; a change is a new version.
type migration struct {
	version int
	name    string
	stmts   []string
}

// migrate applies, in one transaction, every migration not yet recorded in
// schema_migrations. lock runs first inside the transaction so that
// concurrent askdb instances migrate one at a time; a second run is a no-op.
func migrate(ctx context.Context, db *sql.DB, ms []migration, createTable string, lock func(context.Context, *sql.Tx) error, rebind func(string) string, logger *slog.Logger) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate store: %w", err)
	}
	defer tx.Rollback()
	if lock != nil {
		if err := lock(ctx, tx); err != nil {
			return fmt.Errorf("migrate store: lock: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, createTable); err != nil {
		return fmt.Errorf("migrate store: create schema_migrations: %w", err)
	}
	applied := map[int]bool{}
	rows, err := tx.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return fmt.Errorf("migrate store: read schema_migrations: %w", err)
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return fmt.Errorf("migrate store: read schema_migrations: %w", err)
		}
		applied[v] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("migrate store: read schema_migrations: %w", err)
	}
	for _, m := range ms {
		if applied[m.version] {
			continue
		}
		for _, stmt := range m.stmts {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("migrate store: version %d %q: %w", m.version, m.name, err)
			}
		}
		if _, err := tx.ExecContext(ctx, rebind(`INSERT INTO schema_migrations (version, name) VALUES (?, ?)`), m.version, m.name); err != nil {
			return fmt.Errorf("migrate store: record version %d: %w", m.version, err)
		}
		logger.Info("store migrated", "version", m.version, "name", m.name)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate store: %w", err)
	}
	return nil
}
