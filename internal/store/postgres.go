package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
)

// pgMigrationLock is the advisory lock key that serialises migrations of
// askdb instances sharing one database ("askdb" in ASCII).
const pgMigrationLock = 0x61736b6462

// postgresMigrations is the PostgreSQL store's schema, oldest first.
var postgresMigrations = []migration{
	{version: 1, name: "answers, feedback, question bank, snapshots", stmts: []string{
		`CREATE TABLE answers (
			id            TEXT PRIMARY KEY,
			user_name     TEXT NOT NULL DEFAULT '',
			source        TEXT NOT NULL DEFAULT '',
			question      TEXT NOT NULL,
			sql_text      TEXT NOT NULL DEFAULT '',
			outcome       TEXT NOT NULL DEFAULT '',
			engine        TEXT NOT NULL DEFAULT '',
			message       TEXT NOT NULL DEFAULT '',
			verdicts      TEXT NOT NULL DEFAULT '[]',
			row_count     INTEGER NOT NULL DEFAULT 0,
			duration_ns   BIGINT NOT NULL DEFAULT 0,
			input_tokens  INTEGER NOT NULL DEFAULT 0,
			output_tokens INTEGER NOT NULL DEFAULT 0,
			model_calls   INTEGER NOT NULL DEFAULT 0,
			payload       JSONB,
			created_at    TIMESTAMPTZ NOT NULL
		)`,
		`CREATE INDEX answers_source_created ON answers (source, created_at)`,
		`CREATE TABLE feedback (
			id         BIGSERIAL PRIMARY KEY,
			answer_id  TEXT NOT NULL REFERENCES answers (id),
			user_name  TEXT NOT NULL DEFAULT '',
			vote       TEXT NOT NULL CHECK (vote IN ('up', 'down')),
			comment    TEXT NOT NULL DEFAULT '',
			created_at TIMESTAMPTZ NOT NULL
		)`,
		`CREATE INDEX feedback_answer ON feedback (answer_id)`,
		`CREATE TABLE question_bank (
			id         TEXT PRIMARY KEY,
			source     TEXT NOT NULL,
			question   TEXT NOT NULL,
			sql_text   TEXT NOT NULL,
			origin     TEXT NOT NULL CHECK (origin IN ('knowledge', 'feedback')),
			answer_id  TEXT NOT NULL DEFAULT '',
			created_at TIMESTAMPTZ NOT NULL
		)`,
		`CREATE INDEX question_bank_source ON question_bank (source, created_at)`,
		`CREATE TABLE snapshots (
			source     TEXT PRIMARY KEY,
			data       BYTEA NOT NULL,
			created_at TIMESTAMPTZ NOT NULL
		)`,
	}},
	{version: 2, name: "conversations", stmts: []string{
		`ALTER TABLE answers ADD COLUMN conversation_id TEXT NOT NULL DEFAULT ''`,
		`CREATE INDEX answers_conversation ON answers (conversation_id, created_at)`,
	}},
	{version: 3, name: "audit identity", stmts: []string{
		`ALTER TABLE answers ADD COLUMN user_groups TEXT NOT NULL DEFAULT '[]'`,
		`ALTER TABLE answers ADD COLUMN sql_written TEXT NOT NULL DEFAULT ''`,
	}},
	{version: 4, name: "semantic cache", stmts: []string{
		`CREATE TABLE answer_cache (
			id           TEXT PRIMARY KEY,
			source       TEXT NOT NULL,
			user_name    TEXT NOT NULL DEFAULT '',
			fingerprint  TEXT NOT NULL,
			question     TEXT NOT NULL,
			question_key TEXT NOT NULL,
			sql_text     TEXT NOT NULL,
			embedding    BYTEA,
			hits         INTEGER NOT NULL DEFAULT 0,
			created_at   TIMESTAMPTZ NOT NULL,
			last_hit     TIMESTAMPTZ NOT NULL,
			UNIQUE (source, user_name, question_key)
		)`,
		`CREATE INDEX answer_cache_lru ON answer_cache (source, last_hit)`,
	}},
	{version: 5, name: "audit export by time", stmts: []string{
		`CREATE INDEX answers_created ON answers (created_at, id)`,
	}},
}

const postgresMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    INTEGER PRIMARY KEY,
	name       TEXT NOT NULL,
	applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
)`

// OpenPostgres opens the PostgreSQL store at dsn and migrates it. Several
// askdb instances may share it; they migrate one at a time under an
// advisory lock.
func OpenPostgres(ctx context.Context, dsn string, logger *slog.Logger) (Store, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if dsn == "" {
		return nil, errors.New("open postgres store: store.dsn is required when store.kind is postgres")
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres store: %w", err)
	}
	db.SetMaxOpenConns(8)
	db.SetConnMaxIdleTime(5 * time.Minute)
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open postgres store: %w", err)
	}
	s := &dbStore{db: db, kind: KindPostgres, logger: logger, now: time.Now}
	lock := func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(pgMigrationLock))
		return err
	}
	if err := migrate(ctx, db, postgresMigrations, postgresMigrationsTable, lock, s.q, logger); err != nil {
		db.Close()
		return nil, fmt.Errorf("open postgres store: %w", err)
	}
	logger.Debug("store opened", "kind", KindPostgres)
	return s, nil
}
