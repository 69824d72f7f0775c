//go:build duckdb

package duckdb

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// snapshotPrefix names the private folders that hold snapshots in the OS
// temporary directory; a crashed process leaves one behind.
const snapshotPrefix = "askdb-duckdb-"

// snapshotFile is the database file inside the private folder.
const snapshotFile = "snapshot.duckdb"

// fileTable is one entry of files: after its glob is expanded.
type fileTable struct {
	name   string
	reader string // read_csv_auto or read_parquet
	files  []string
}

// buildSnapshot copies every configured file into a new DuckDB database in
// a private folder (0700) and returns the folder. This is the only time
// askdb's engine reads the files: queries run later on the snapshot,
// opened read-only by an engine that cannot touch any file, so nothing a
// query does can reach the user's files.
func buildSnapshot(ctx context.Context, files map[string]string) (string, error) {
	dir, err := os.MkdirTemp("", snapshotPrefix+"*")
	if err != nil {
		return "", fmt.Errorf("snapshot folder: %w", err)
	}
	if err := loadSnapshot(ctx, filepath.Join(dir, snapshotFile), files); err != nil {
		return "", errors.Join(err, os.RemoveAll(dir))
	}
	return dir, nil
}

// loadSnapshot creates the database at path with one table per entry of
// files, and closes it.
func loadSnapshot(ctx context.Context, path string, files map[string]string) error {
	connector, err := duckdb.NewConnector(path+"?"+extensionsOff().Encode(), nil)
	if err != nil {
		return fmt.Errorf("create snapshot: %w", err)
	}
	defer connector.Close()
	conn, err := connector.Connect(ctx)
	if err != nil {
		return fmt.Errorf("create snapshot: %w", err)
	}
	defer conn.Close()
	tables, err := expand(ctx, conn.(driver.QueryerContext), files)
	if err != nil {
		return err
	}
	ex := conn.(driver.ExecerContext)
	for _, t := range tables {
		stmt := fmt.Sprintf("CREATE TABLE %s AS SELECT * FROM %s(%s)", quoteIdent(t.name), t.reader, stringList(t.files))
		if _, err := ex.ExecContext(ctx, stmt, nil); err != nil {
			return fmt.Errorf("table %q: load %s: %w", t.name, strings.Join(t.files, ", "), err)
		}
	}
	if _, err := ex.ExecContext(ctx, "CHECKPOINT", nil); err != nil {
		return fmt.Errorf("create snapshot: %w", err)
	}
	return nil
}

// expand resolves each configured path to its sorted list of files with
// DuckDB's own glob(), so that "**" means what DuckDB means by it.
func expand(ctx context.Context, q driver.QueryerContext, files map[string]string) ([]fileTable, error) {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []fileTable
	for _, n := range names {
		p, err := filepath.Abs(files[n])
		if err != nil {
			return nil, fmt.Errorf("table %q: %w", n, err)
		}
		reader, err := readerFor(p)
		if err != nil {
			return nil, fmt.Errorf("table %q: %w", n, err)
		}
		t := fileTable{name: n, reader: reader}
		err = queryRows(ctx, q, "SELECT file FROM glob("+quoteString(p)+") ORDER BY file", func(v []driver.Value) {
			t.files = append(t.files, fmt.Sprint(v[0]))
		})
		if err != nil {
			return nil, fmt.Errorf("table %q: glob %q: %w", n, p, err)
		}
		if len(t.files) == 0 {
			return nil, fmt.Errorf("table %q: no file matches %q", n, p)
		}
		out = append(out, t)
	}
	return out, nil
}

// readerFor picks the table function from the file name.
func readerFor(path string) (string, error) {
	lower := strings.ToLower(path)
	for _, ext := range []string{".gz", ".zst"} {
		lower = strings.TrimSuffix(lower, ext)
	}
	switch filepath.Ext(lower) {
	case ".parquet", ".pq":
		return "read_parquet", nil
	case ".csv", ".tsv", ".txt":
		return "read_csv_auto", nil
	}
	return "", fmt.Errorf("%q: not a CSV (.csv, .tsv, .txt) or Parquet (.parquet, .pq) file", path)
}

func queryRows(ctx context.Context, q driver.QueryerContext, query string, fn func([]driver.Value)) error {
	rows, err := q.QueryContext(ctx, query, nil)
	if err != nil {
		return err
	}
	defer rows.Close()
	vals := make([]driver.Value, len(rows.Columns()))
	for {
		err := rows.Next(vals)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		fn(vals)
	}
}

func quoteIdent(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

func quoteString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func stringList(items []string) string {
	quoted := make([]string, len(items))
	for i, it := range items {
		quoted[i] = quoteString(it)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}
