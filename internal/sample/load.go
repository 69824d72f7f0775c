package sample

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/askdb/askdb/internal/catalog"

	// The SQLite driver backs EnsureSQLite.
	_ "github.com/mattn/go-sqlite3"
)

// insertBatch is the number of rows per multi-row INSERT.
const insertBatch = 500

// Load creates the sample tables (with comments and foreign keys) in db and
// inserts every row. It works for catalog.SQLite, catalog.Postgres and
// catalog.MySQL and catalog.DuckDB, and fails without changing anything when a sample table
// already exists. SQLite, PostgreSQL and DuckDB load in one transaction; MySQL
// commits its DDL implicitly, so only the rows share a transaction there.
func Load(ctx context.Context, db *sql.DB, d catalog.Dialect, opts Options) error {
	switch d {
	case catalog.SQLite, catalog.Postgres, catalog.MySQL, catalog.DuckDB:
	default:
		return fmt.Errorf("sample: load: unsupported dialect %q (supported: duckdb, mysql, postgres, sqlite)", d)
	}
	for _, t := range schema {
		if tableExists(ctx, db, t.name) {
			return fmt.Errorf("sample: load: table %q already exists; load the sample into an empty database", t.name)
		}
	}
	data := Generate(opts)
	if d == catalog.MySQL {
		if err := createTables(ctx, db, d); err != nil {
			return err
		}
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sample: load: begin: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if d != catalog.MySQL {
		if err := createTables(ctx, tx, d); err != nil {
			return err
		}
	}
	for _, t := range schema {
		if err := insertRows(ctx, tx, d, t.name, data); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sample: load: commit: %w", err)
	}
	return nil
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func tableExists(ctx context.Context, db *sql.DB, name string) bool {
	rows, err := db.QueryContext(ctx, "SELECT 1 FROM "+name+" WHERE 1 = 0")
	if err != nil {
		return false
	}
	rows.Close()
	return true
}

func createTables(ctx context.Context, db execer, d catalog.Dialect) error {
	for _, t := range schema {
		for _, stmt := range t.createStatements(d) {
			if _, err := db.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("sample: create table %q: %w", t.name, err)
			}
		}
	}
	return nil
}

func insertRows(ctx context.Context, db execer, d catalog.Dialect, name string, data *Data) error {
	cols, rows := data.Table(name)
	head := "INSERT INTO " + name + " (" + strings.Join(cols, ", ") + ") VALUES\n"
	batch := insertBatch
	if d == catalog.DuckDB && selfReferencing(name) {
		batch = 1 // DuckDB checks a foreign key against rows of earlier statements only
	}
	for start := 0; start < len(rows); start += batch {
		end := min(start+batch, len(rows))
		var b strings.Builder
		b.WriteString(head)
		for i, row := range rows[start:end] {
			if i > 0 {
				b.WriteString(",\n")
			}
			b.WriteByte('(')
			for j, v := range row {
				if j > 0 {
					b.WriteString(", ")
				}
				b.WriteString(literal(v, d))
			}
			b.WriteByte(')')
		}
		if _, err := db.ExecContext(ctx, b.String()); err != nil {
			return fmt.Errorf("sample: insert into %q (rows %d-%d): %w", name, start+1, end, err)
		}
	}
	return nil
}

// selfReferencing reports whether a table has a foreign key to itself
// (employees.manager_id).
func selfReferencing(name string) bool {
	for _, t := range schema {
		for _, f := range t.fks {
			if t.name == name && f.ref == name {
				return true
			}
		}
	}
	return false
}

func literal(v any, d catalog.Dialect) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case int64:
		return strconv.FormatInt(x, 10)
	case string:
		return quote(x, d)
	case Cents:
		return x.String()
	case bool:
		if x {
			return "TRUE"
		}
		return "FALSE"
	case time.Time:
		return "'" + x.Format(time.DateOnly) + "'"
	}
	panic(fmt.Sprintf("sample: no literal for %T", v))
}

// EnsureSQLite creates the sample as a SQLite file at path unless the file
// exists. It builds the database in a temporary file in the same directory
// and renames it into place, so a reader never sees a half-written file and
// two processes racing both end with a complete one.
func EnsureSQLite(ctx context.Context, path string, opts Options) error {
	if _, err := os.Stat(path); err == nil {
		return nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("sample: stat %q: %w", path, err)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("sample: create directory %q: %w", dir, err)
	}
	f, err := os.CreateTemp(dir, filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("sample: create temporary file in %q: %w", dir, err)
	}
	tmp := f.Name()
	f.Close()
	defer os.Remove(tmp) // a no-op after the rename
	if err := loadFile(ctx, tmp, opts); err != nil {
		return fmt.Errorf("sample: build %q: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("sample: rename %q to %q: %w", tmp, path, err)
	}
	return nil
}

func loadFile(ctx context.Context, path string, opts Options) error {
	db, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=DELETE")
	if err != nil {
		return err
	}
	db.SetMaxOpenConns(1)
	if err := Load(ctx, db, catalog.SQLite, opts); err != nil {
		db.Close()
		return err
	}
	return db.Close()
}
