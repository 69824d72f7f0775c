package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	sqlite3 "github.com/mattn/go-sqlite3" // registers the "sqlite3" database/sql driver
)

// sqliteBusyTimeout is how long a writer waits for another one (possibly
// another askdb process) before giving up.
const sqliteBusyTimeout = 10 * time.Second

// sqliteMigrations is the SQLite store's schema, oldest first.
var sqliteMigrations = []migration{
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
			duration_ns   INTEGER NOT NULL DEFAULT 0,
			input_tokens  INTEGER NOT NULL DEFAULT 0,
			output_tokens INTEGER NOT NULL DEFAULT 0,
			model_calls   INTEGER NOT NULL DEFAULT 0,
			payload       TEXT,
			created_at    TIMESTAMP NOT NULL
		)`,
		`CREATE INDEX answers_source_created ON answers (source, created_at)`,
		`CREATE TABLE feedback (
			id         INTEGER PRIMARY KEY AUTOINCREMENT,
			answer_id  TEXT NOT NULL REFERENCES answers (id),
			user_name  TEXT NOT NULL DEFAULT '',
			vote       TEXT NOT NULL CHECK (vote IN ('up', 'down')),
			comment    TEXT NOT NULL DEFAULT '',
			created_at TIMESTAMP NOT NULL
		)`,
		`CREATE INDEX feedback_answer ON feedback (answer_id)`,
		`CREATE TABLE question_bank (
			id         TEXT PRIMARY KEY,
			source     TEXT NOT NULL,
			question   TEXT NOT NULL,
			sql_text   TEXT NOT NULL,
			origin     TEXT NOT NULL CHECK (origin IN ('knowledge', 'feedback')),
			answer_id  TEXT NOT NULL DEFAULT '',
			created_at TIMESTAMP NOT NULL
		)`,
		`CREATE INDEX question_bank_source ON question_bank (source, created_at)`,
		`CREATE TABLE snapshots (
			source     TEXT PRIMARY KEY,
			data       BLOB NOT NULL,
			created_at TIMESTAMP NOT NULL
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
			embedding    BLOB,
			hits         INTEGER NOT NULL DEFAULT 0,
			created_at   TIMESTAMP NOT NULL,
			last_hit     TIMESTAMP NOT NULL,
			UNIQUE (source, user_name, question_key)
		)`,
		`CREATE INDEX answer_cache_lru ON answer_cache (source, last_hit)`,
	}},
	{version: 5, name: "audit export by time", stmts: []string{
		`CREATE INDEX answers_created ON answers (created_at, id)`,
	}},
}

const sqliteMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    INTEGER PRIMARY KEY,
	name       TEXT NOT NULL,
	applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
)`

// OpenSQLite opens (creating it and its folder when missing) the SQLite
// store at path. The file uses WAL so readers never wait for the writer,
// and every transaction takes the write lock up front (BEGIN IMMEDIATE)
// with a busy timeout, so concurrent writers queue instead of failing.
func OpenSQLite(ctx context.Context, path string, logger *slog.Logger) (Store, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("open store %q: %w", path, err)
	}
	// Several processes opening a new store at once race to switch it to
	// WAL, and SQLite answers that race with SQLITE_BUSY at once, without
	// its busy handler: such an open is retried for up to the busy timeout.
	deadline := time.Now().Add(sqliteBusyTimeout)
	for {
		s, err := openSQLiteOnce(ctx, path, logger)
		if err == nil || !sqliteBusy(err) || time.Now().After(deadline) {
			return s, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func openSQLiteOnce(ctx context.Context, path string, logger *slog.Logger) (Store, error) {
	db, err := sql.Open("sqlite3", sqliteDSN(path))
	if err != nil {
		return nil, fmt.Errorf("open store %q: %w", path, err)
	}
	db.SetMaxOpenConns(4)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %q: %w", path, err)
	}
	s := &dbStore{db: db, kind: KindSQLite, logger: logger, now: time.Now}
	if err := migrate(ctx, db, sqliteMigrations, sqliteMigrationsTable, nil, s.q, logger); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %q: %w", path, err)
	}
	logger.Debug("store opened", "kind", KindSQLite, "path", path)
	return s, nil
}

// sqliteBusy reports SQLITE_BUSY and SQLITE_LOCKED.
func sqliteBusy(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked)
}

func sqliteDSN(path string) string {
	esc := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	return fmt.Sprintf("file:%s?_journal_mode=WAL&_busy_timeout=%d&_txlock=immediate&_foreign_keys=1&_synchronous=NORMAL",
		esc, sqliteBusyTimeout.Milliseconds())
}
