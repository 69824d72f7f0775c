//go:build duckdb

package duckdb

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/source"
)

// relationsSQL lists the tables and views of the opened database: the
// snapshot of the configured files, or the .duckdb file. DuckDB's own
// catalogs (system, temp) are left out.
const relationsSQL = `
SELECT schema_name, table_name, 'table', coalesce(comment, ''), coalesce(estimated_size, -1)
FROM duckdb_tables() WHERE NOT internal AND NOT temporary AND database_name = current_database()
UNION ALL
SELECT schema_name, view_name, 'view', coalesce(comment, ''), -1
FROM duckdb_views() WHERE NOT internal AND NOT temporary AND database_name = current_database()`

const columnsSQL = `
SELECT schema_name, table_name, column_name, data_type, is_nullable, column_default, coalesce(comment, '')
FROM duckdb_columns()
WHERE NOT internal AND database_name = current_database()
ORDER BY database_name, schema_name, table_name, column_index`

// keysSQL returns primary and foreign keys, one row per constraint, with
// the column lists in key order.
const keysSQL = `
SELECT schema_name, table_name, constraint_type, coalesce(constraint_name, ''),
       constraint_column_names, coalesce(referenced_table, ''), coalesce(referenced_column_names, [])
FROM duckdb_constraints()
WHERE constraint_type IN ('PRIMARY KEY', 'FOREIGN KEY') AND database_name = current_database()
ORDER BY schema_name, table_name, constraint_index`

// Introspect implements source.Source. The configured files are tables of
// the snapshot, with their exact row counts; views and tables of a
// database file keep their kind, comments, defaults and keys.
func (s *Source) Introspect(ctx context.Context) (*catalog.Catalog, error) {
	cat, err := s.introspect(ctx)
	if err != nil {
		return nil, fmt.Errorf("source %q: introspect: %w", s.name, err)
	}
	return cat, nil
}

func (s *Source) introspect(ctx context.Context) (*catalog.Catalog, error) {
	conn, err := s.db.Conn(ctx) // one connection for a consistent view
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	cat := &catalog.Catalog{Source: s.name, Dialect: catalog.DuckDB, Tables: []catalog.Table{}}
	if err := conn.QueryRowContext(ctx, "SELECT 'DuckDB ' || version()").Scan(&cat.Version); err != nil {
		return nil, fmt.Errorf("version: %w", err)
	}
	index := map[string]int{}
	if err := source.EachRow(ctx, conn, relationsSQL, nil, func(r *sql.Rows) error { return scanRelation(r, cat, index) }); err != nil {
		return nil, fmt.Errorf("tables: %w", err)
	}
	if err := source.EachRow(ctx, conn, columnsSQL, nil, func(r *sql.Rows) error { return scanColumn(r, cat, index) }); err != nil {
		return nil, fmt.Errorf("columns: %w", err)
	}
	if err := source.EachRow(ctx, conn, keysSQL, nil, func(r *sql.Rows) error { return scanKey(r, cat, index) }); err != nil {
		return nil, fmt.Errorf("keys: %w", err)
	}
	cat.Sort()
	return cat, nil
}

// schemaOf hides DuckDB's default schema, so that names stay unqualified.
func schemaOf(schema string) string {
	if schema == "main" {
		return ""
	}
	return schema
}

func qualified(schema, name string) string { return schema + "." + name }

func scanRelation(r *sql.Rows, cat *catalog.Catalog, index map[string]int) error {
	var schema, kind string
	t := catalog.Table{Columns: []catalog.Column{}}
	if err := r.Scan(&schema, &t.Name, &kind, &t.Comment, &t.RowCount); err != nil {
		return err
	}
	t.Schema = schemaOf(schema)
	t.Kind = catalog.KindTable
	if kind == "view" {
		t.Kind = catalog.KindView
	}
	index[qualified(schema, t.Name)] = len(cat.Tables)
	cat.Tables = append(cat.Tables, t)
	return nil
}

func scanColumn(r *sql.Rows, cat *catalog.Catalog, index map[string]int) error {
	var schema, table string
	var def sql.NullString
	var c catalog.Column
	if err := r.Scan(&schema, &table, &c.Name, &c.DBType, &c.Nullable, &def, &c.Comment); err != nil {
		return err
	}
	i, ok := index[qualified(schema, table)]
	if !ok {
		return nil
	}
	c.Type = catalog.NormalizeType(c.DBType)
	if def.Valid {
		c.Default = &def.String
	}
	cat.Tables[i].Columns = append(cat.Tables[i].Columns, c)
	return nil
}

func scanKey(r *sql.Rows, cat *catalog.Catalog, index map[string]int) error {
	var schema, table, kind, name, refTable string
	var cols, refCols []any
	if err := r.Scan(&schema, &table, &kind, &name, &cols, &refTable, &refCols); err != nil {
		return err
	}
	i, ok := index[qualified(schema, table)]
	if !ok {
		return nil
	}
	t := &cat.Tables[i]
	if kind == "PRIMARY KEY" {
		t.PrimaryKey = names(cols)
		return nil
	}
	t.ForeignKeys = append(t.ForeignKeys, catalog.ForeignKey{Name: name, Columns: names(cols),
		RefSchema: t.Schema, RefTable: refTable, RefColumns: names(refCols)})
	return nil
}

func names(list []any) []string {
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = fmt.Sprint(v)
	}
	return out
}
