package eval

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	_ "github.com/mattn/go-sqlite3" // read-only access to Spider's SQLite files

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/schema"
	"github.com/askdb/askdb/internal/source/sqlite"
)

// LoadOptions tune how a dataset is loaded.
type LoadOptions struct {
	// Samples, when positive, fills catalog.Column.Samples of text columns
	// with up to Samples most frequent distinct values read from the
	// dataset's SQLite files (Spider: database/<db>/<db>.sqlite), as askdb's
	// own catalog sampler would. Columns with more than maxSampleDistinct
	// distinct values are skipped: they hold free text or identifiers.
	// Each database's values index (Database.Values) is then read too.
	Samples int
}

// maxSampleDistinct bounds the cardinality of a sampled column.
const maxSampleDistinct = 500

// LoadSpiderWith reads a Spider-layout folder like LoadSpider, then applies
// opts.
func LoadSpiderWith(ctx context.Context, dir string, opts LoadOptions) (*Dataset, error) {
	ds, err := LoadSpider(dir)
	if err != nil || opts.Samples <= 0 {
		return ds, err
	}
	for _, name := range ds.DatabaseNames() {
		path := filepath.Join(dir, "database", name, name+".sqlite")
		if _, err := os.Stat(path); err != nil {
			continue // schemas without a database file keep no samples
		}
		db := ds.Databases[name]
		if err := loadSamples(ctx, path, db.Catalog, opts.Samples); err != nil {
			return nil, fmt.Errorf("spider samples %q: %w", name, err)
		}
		if db.Values, err = readValues(ctx, name, path, db.Catalog); err != nil {
			return nil, fmt.Errorf("spider values %q: %w", name, err)
		}
	}
	return ds, nil
}

// readValues indexes a database's values as a source's schema does
// (schema.ReadValues), through the SQLite source's read-only path.
func readValues(ctx context.Context, name, path string, cat *catalog.Catalog) (*schema.Values, error) {
	src, err := sqlite.Open(ctx, name, path, slog.New(slog.DiscardHandler))
	if err != nil {
		return nil, err
	}
	defer src.Close()
	return schema.ReadValues(ctx, src, cat, nil), nil
}

// loadSamples opens a SQLite file read-only and samples its text columns.
func loadSamples(ctx context.Context, path string, cat *catalog.Catalog, n int) error {
	db, err := sql.Open("sqlite3", "file:"+url.PathEscape(path)+"?mode=ro&immutable=1")
	if err != nil {
		return fmt.Errorf("open %q: %w", path, err)
	}
	defer db.Close()
	for i := range cat.Tables {
		t := &cat.Tables[i]
		for j := range t.Columns {
			c := &t.Columns[j]
			if c.Type != catalog.TypeText {
				continue
			}
			vals, err := sampleColumn(ctx, db, t.Name, c.Name, n)
			if err != nil {
				return fmt.Errorf("table %q column %q: %w", t.Name, c.Name, err)
			}
			c.Samples = vals
		}
	}
	return nil
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// sampleColumn returns the n most frequent non-empty values of a column
// with at most maxSampleDistinct distinct values, or nil.
func sampleColumn(ctx context.Context, db *sql.DB, table, column string, n int) ([]string, error) {
	col, tab := quoteIdent(column), quoteIdent(table)
	var distinct int
	q := fmt.Sprintf("SELECT COUNT(*) FROM (SELECT DISTINCT %s FROM %s LIMIT %d)", col, tab, maxSampleDistinct+1)
	if err := db.QueryRowContext(ctx, q).Scan(&distinct); err != nil {
		return nil, fmt.Errorf("count distinct: %w", err)
	}
	if distinct > maxSampleDistinct {
		return nil, nil
	}
	q = fmt.Sprintf("SELECT CAST(%s AS TEXT) FROM %s WHERE %s IS NOT NULL AND TRIM(CAST(%s AS TEXT)) <> '' GROUP BY 1 ORDER BY COUNT(*) DESC, 1 LIMIT %d",
		col, tab, col, col, n)
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("sample: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v sql.NullString
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("sample: %w", err)
		}
		if v.Valid {
			out = append(out, v.String)
		}
	}
	return out, rows.Err()
}
