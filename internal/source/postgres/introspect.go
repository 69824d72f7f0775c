package postgres

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/source"
)

// schemaFilter keeps the configured schemas ($1), or every user schema when
// none is configured. Names starting with pg_ are reserved for the system
// (pg_catalog, pg_toast, pg_temp_N).
const schemaFilter = `(n.nspname = ANY($1::text[]) OR (cardinality($1::text[]) = 0
  AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'))`

// relFilter keeps tables, partitioned tables, views, materialized views and
// foreign tables, but not the partitions of a partitioned table.
const relFilter = `c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition`

const tablesSQL = `
SELECT c.oid::int8, n.nspname, c.relname, c.relkind::text,
       coalesce(d.description, ''), c.reltuples::int8
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description d
  ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
WHERE ` + relFilter + ` AND ` + schemaFilter + `
ORDER BY n.nspname, c.relname`

const columnsSQL = `
SELECT a.attrelid::int8, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
       pg_get_expr(ad.adbin, ad.adrelid), coalesce(d.description, '')
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_description d
  ON d.objoid = a.attrelid AND d.classoid = 'pg_class'::regclass AND d.objsubid = a.attnum
WHERE a.attnum > 0 AND NOT a.attisdropped AND ` + relFilter + ` AND ` + schemaFilter + `
ORDER BY a.attrelid, a.attnum`

// keysSQL returns one row per column of every primary and foreign key;
// unnest pairs conkey with confkey by position, so composite keys keep
// their column order. conparentid = 0 hides the copies PostgreSQL makes
// for each partition of a referenced partitioned table.
const keysSQL = `
SELECT con.conrelid::int8, con.conname, con.contype::text, a.attname,
       coalesce(fn.nspname, ''), coalesce(fc.relname, ''), coalesce(fa.attname, '')
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(attnum, refnum, ord)
JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
LEFT JOIN pg_class fc ON fc.oid = con.confrelid
LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
LEFT JOIN pg_attribute fa ON fa.attrelid = con.confrelid AND fa.attnum = k.refnum
WHERE con.contype IN ('p', 'f') AND con.conparentid = 0 AND ` + relFilter + ` AND ` + schemaFilter + `
ORDER BY con.conrelid, con.contype, con.conname, k.ord`

// Introspect implements source.Source. It reads the whole catalog with
// four queries in one REPEATABLE READ, READ ONLY transaction, so the
// snapshot is consistent and the cost does not grow with round trips per
// table.
func (s *Source) Introspect(ctx context.Context) (*catalog.Catalog, error) {
	cat, err := s.introspect(ctx)
	if err != nil {
		return nil, fmt.Errorf("source %q: introspect: %w", s.name, err)
	}
	return cat, nil
}

func (s *Source) introspect(ctx context.Context) (*catalog.Catalog, error) {
	tx, err := s.DB().BeginTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead})
	if err != nil {
		return nil, s.connectError(err)
	}
	defer tx.Rollback() //nolint:errcheck // read-only
	cat := &catalog.Catalog{Source: s.name, Dialect: catalog.Postgres, Tables: []catalog.Table{}}
	if err := tx.QueryRowContext(ctx, "SELECT version()").Scan(&cat.Version); err != nil {
		return nil, fmt.Errorf("version: %w", err)
	}
	schemas := s.cfg.Schemas
	if schemas == nil {
		schemas = []string{}
	}
	byOID := map[int64]int{}
	if err := source.EachRow(ctx, tx, tablesSQL, []any{schemas}, func(r *sql.Rows) error {
		return scanTable(r, cat, byOID)
	}); err != nil {
		return nil, fmt.Errorf("tables: %w", err)
	}
	if err := source.EachRow(ctx, tx, columnsSQL, []any{schemas}, func(r *sql.Rows) error {
		return scanColumn(r, cat, byOID)
	}); err != nil {
		return nil, fmt.Errorf("columns: %w", err)
	}
	if err := source.EachRow(ctx, tx, keysSQL, []any{schemas}, func(r *sql.Rows) error {
		return scanKey(r, cat, byOID)
	}); err != nil {
		return nil, fmt.Errorf("keys: %w", err)
	}
	cat.Sort()
	return cat, nil
}

func scanTable(r *sql.Rows, cat *catalog.Catalog, byOID map[int64]int) error {
	var oid int64
	var kind string
	t := catalog.Table{Columns: []catalog.Column{}}
	if err := r.Scan(&oid, &t.Schema, &t.Name, &kind, &t.Comment, &t.RowCount); err != nil {
		return err
	}
	t.Kind = catalog.KindTable
	switch kind {
	case "v", "m":
		t.Kind = catalog.KindView
	case "f":
		t.Kind = catalog.KindForeign
	}
	if kind == "v" || t.RowCount < 0 {
		t.RowCount = -1 // never analysed, or a view: no estimate
	}
	byOID[oid] = len(cat.Tables)
	cat.Tables = append(cat.Tables, t)
	return nil
}

func scanColumn(r *sql.Rows, cat *catalog.Catalog, byOID map[int64]int) error {
	var oid int64
	var notNull bool
	var def sql.NullString
	var c catalog.Column
	if err := r.Scan(&oid, &c.Name, &c.DBType, &notNull, &def, &c.Comment); err != nil {
		return err
	}
	i, ok := byOID[oid]
	if !ok {
		return nil // created between the two queries
	}
	c.Type = catalog.NormalizeType(c.DBType)
	c.Nullable = !notNull
	if def.Valid {
		c.Default = &def.String
	}
	cat.Tables[i].Columns = append(cat.Tables[i].Columns, c)
	return nil
}

func scanKey(r *sql.Rows, cat *catalog.Catalog, byOID map[int64]int) error {
	var oid int64
	var name, kind, col, refSchema, refTable, refCol string
	if err := r.Scan(&oid, &name, &kind, &col, &refSchema, &refTable, &refCol); err != nil {
		return err
	}
	i, ok := byOID[oid]
	if !ok {
		return nil
	}
	t := &cat.Tables[i]
	if kind == "p" {
		t.PrimaryKey = append(t.PrimaryKey, col)
		return nil
	}
	// Rows of one constraint arrive together, in key order.
	if n := len(t.ForeignKeys); n == 0 || t.ForeignKeys[n-1].Name != name {
		t.ForeignKeys = append(t.ForeignKeys, catalog.ForeignKey{Name: name, RefSchema: refSchema, RefTable: refTable})
	}
	fk := &t.ForeignKeys[len(t.ForeignKeys)-1]
	fk.Columns = append(fk.Columns, col)
	fk.RefColumns = append(fk.RefColumns, refCol)
	return nil
}
