package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"github.com/askdb/askdb/internal/catalog"
)

// maxCountedRows bounds the exact row count: counting a SQLite table reads
// all of it, so a table with more rows than this reports -1 (unknown).
const maxCountedRows = 1_000_000

// Introspect reads tables and views from sqlite_schema, columns and keys
// from PRAGMAs, and comments from "--" comments in the CREATE statements.
func (s *Source) Introspect(ctx context.Context) (*catalog.Catalog, error) {
	conn, err := s.db.Conn(ctx) // one connection keeps the many small queries cheap
	if err != nil {
		return nil, fmt.Errorf("source %q: introspect: %w", s.name, err)
	}
	defer conn.Close()
	cat := &catalog.Catalog{Source: s.name, Dialect: catalog.SQLite}
	var version string
	if err := conn.QueryRowContext(ctx, "SELECT sqlite_version()").Scan(&version); err != nil {
		return nil, fmt.Errorf("source %q: introspect: version: %w", s.name, err)
	}
	cat.Version = "SQLite " + version
	tables, err := listTables(ctx, conn)
	if err != nil {
		return nil, fmt.Errorf("source %q: introspect: %w", s.name, err)
	}
	for _, t := range tables {
		if err := describe(ctx, conn, &t.table); err != nil {
			return nil, fmt.Errorf("source %q: introspect table %q: %w", s.name, t.table.Name, err)
		}
		applyComments(&t.table, t.sql)
		cat.Tables = append(cat.Tables, t.table)
	}
	cat.Sort()
	return cat, nil
}

type schemaEntry struct {
	table catalog.Table
	sql   string
}

func listTables(ctx context.Context, conn *sql.Conn) ([]schemaEntry, error) {
	rows, err := conn.QueryContext(ctx, `SELECT type, name, coalesce(sql, '') FROM sqlite_master
		WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	defer rows.Close()
	var out []schemaEntry
	for rows.Next() {
		var kind, name, text string
		if err := rows.Scan(&kind, &name, &text); err != nil {
			return nil, fmt.Errorf("list tables: %w", err)
		}
		t := catalog.Table{Name: name, Kind: catalog.KindTable, RowCount: -1}
		if kind == "view" {
			t.Kind = catalog.KindView
		}
		out = append(out, schemaEntry{table: t, sql: text})
	}
	return out, rows.Err()
}

func describe(ctx context.Context, conn *sql.Conn, t *catalog.Table) error {
	if err := readColumns(ctx, conn, t); err != nil {
		return err
	}
	if t.Kind != catalog.KindTable {
		return nil
	}
	if err := readForeignKeys(ctx, conn, t); err != nil {
		return err
	}
	return countRows(ctx, conn, t)
}

func readColumns(ctx context.Context, conn *sql.Conn, t *catalog.Table) error {
	rows, err := conn.QueryContext(ctx, "PRAGMA table_xinfo("+quoteIdent(t.Name)+")")
	if err != nil {
		return fmt.Errorf("columns: %w", err)
	}
	defer rows.Close()
	type pkCol struct {
		order int
		name  string
	}
	var pk []pkCol
	for rows.Next() {
		var cid, notNull, pkOrder, hidden int
		var name, dbType string
		var dflt sql.NullString
		if err := rows.Scan(&cid, &name, &dbType, &notNull, &dflt, &pkOrder, &hidden); err != nil {
			return fmt.Errorf("columns: %w", err)
		}
		if hidden == 1 { // hidden columns of virtual tables
			continue
		}
		c := catalog.Column{Name: name, DBType: dbType, Type: catalog.NormalizeType(dbType), Nullable: notNull == 0}
		if dflt.Valid {
			c.Default = &dflt.String
		}
		if pkOrder > 0 {
			pk = append(pk, pkCol{pkOrder, name})
		}
		t.Columns = append(t.Columns, c)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("columns: %w", err)
	}
	sort.Slice(pk, func(i, j int) bool { return pk[i].order < pk[j].order })
	for _, p := range pk {
		t.PrimaryKey = append(t.PrimaryKey, p.name)
	}
	// An INTEGER PRIMARY KEY is the rowid and can never be NULL.
	if len(pk) == 1 {
		if c, ok := t.Column(pk[0].name); ok && strings.EqualFold(c.DBType, "INTEGER") {
			c.Nullable = false
		}
	}
	return nil
}

func readForeignKeys(ctx context.Context, conn *sql.Conn, t *catalog.Table) error {
	rows, err := conn.QueryContext(ctx, "PRAGMA foreign_key_list("+quoteIdent(t.Name)+")")
	if err != nil {
		return fmt.Errorf("foreign keys: %w", err)
	}
	defer rows.Close()
	byID := map[int]*catalog.ForeignKey{}
	var ids []int
	for rows.Next() {
		var id, seq int
		var ref, from, onUpdate, onDelete, match string
		var to sql.NullString
		if err := rows.Scan(&id, &seq, &ref, &from, &to, &onUpdate, &onDelete, &match); err != nil {
			return fmt.Errorf("foreign keys: %w", err)
		}
		fk, ok := byID[id]
		if !ok {
			fk = &catalog.ForeignKey{RefTable: ref}
			byID[id] = fk
			ids = append(ids, id)
		}
		fk.Columns = append(fk.Columns, from)
		fk.RefColumns = append(fk.RefColumns, to.String) // "" means the parent's primary key; resolved below
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("foreign keys: %w", err)
	}
	// SQLite numbers foreign keys from the last declared; list them in declaration order.
	sort.Sort(sort.Reverse(sort.IntSlice(ids)))
	for _, id := range ids {
		fk := byID[id]
		if fk.RefColumns[0] == "" {
			if err := resolveParentKey(ctx, conn, fk); err != nil {
				return err
			}
		}
		t.ForeignKeys = append(t.ForeignKeys, *fk)
	}
	return nil
}

// resolveParentKey fills RefColumns of "REFERENCES parent" (no column list)
// with the parent's primary key.
func resolveParentKey(ctx context.Context, conn *sql.Conn, fk *catalog.ForeignKey) error {
	parent := catalog.Table{Name: fk.RefTable}
	if err := readColumns(ctx, conn, &parent); err != nil {
		return fmt.Errorf("foreign key to %q: %w", fk.RefTable, err)
	}
	if len(parent.PrimaryKey) == len(fk.Columns) {
		fk.RefColumns = parent.PrimaryKey
	}
	return nil
}

func countRows(ctx context.Context, conn *sql.Conn, t *catalog.Table) error {
	var n int64
	q := fmt.Sprintf("SELECT count(*) FROM (SELECT 1 FROM %s LIMIT %d)", quoteIdent(t.Name), maxCountedRows+1)
	if err := conn.QueryRowContext(ctx, q).Scan(&n); err != nil {
		return fmt.Errorf("count rows: %w", err)
	}
	if n <= maxCountedRows {
		t.RowCount = n
	}
	return nil
}

func quoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}
