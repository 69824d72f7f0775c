package redshift

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/source"
)

// userSchemas keeps every schema but the system's. The queries take no
// parameters (the Data API's are named, pgx's positional); the configured
// schemas are filtered in Go.
const userSchemas = `table_schema NOT IN ('information_schema', 'pg_catalog', 'pg_internal', 'pg_automv')
  AND table_schema NOT LIKE 'pg\_%'`

// hasSVV tells Redshift (whose svv views live in pg_catalog) from an engine
// without them.
const hasSVV = `SELECT count(DISTINCT relname) FROM pg_class WHERE relname IN ('svv_tables', 'svv_columns') AND pg_table_is_visible(oid)`

// Redshift's own catalog: svv_tables and svv_columns cover local,
// late-binding and external (Spectrum) tables alike, with their remarks.
const (
	svvTables = `SELECT table_schema, table_name, table_type, coalesce(remarks, '') FROM svv_tables
WHERE ` + userSchemas + ` ORDER BY 1, 2`
	svvColumns = `SELECT table_schema, table_name, column_name, data_type,
  coalesce(character_maximum_length, 0), coalesce(numeric_precision, 0), coalesce(numeric_scale, 0),
  is_nullable, column_default, coalesce(remarks, '') FROM svv_columns
WHERE ` + userSchemas + ` ORDER BY table_schema, table_name, ordinal_position`
)

// information_schema, for an engine without the svv views.
const (
	infoTables = `SELECT table_schema, table_name, table_type,
  coalesce(obj_description((quote_ident(table_schema) || '.' || quote_ident(table_name))::regclass, 'pg_class'), '')
FROM information_schema.tables WHERE ` + userSchemas + ` ORDER BY 1, 2`
	infoColumns = `SELECT table_schema, table_name, column_name, data_type,
  coalesce(character_maximum_length, 0), coalesce(numeric_precision, 0), coalesce(numeric_scale, 0),
  is_nullable, column_default,
  coalesce(col_description((quote_ident(table_schema) || '.' || quote_ident(table_name))::regclass, ordinal_position), '')
FROM information_schema.columns WHERE ` + userSchemas + ` ORDER BY table_schema, table_name, ordinal_position`
)

// keysSQL reads primary and foreign keys (informational in Redshift, but
// what a model joins on), one row per column, a foreign key's columns
// paired with the referenced key's by position.
const keysSQL = `SELECT kcu.table_schema, kcu.table_name, tc.constraint_name, tc.constraint_type, kcu.column_name,
  coalesce(rk.table_schema, ''), coalesce(rk.table_name, ''), coalesce(rk.column_name, '')
FROM information_schema.table_constraints tc
JOIN information_schema.key_column_usage kcu
  ON kcu.constraint_schema = tc.constraint_schema AND kcu.constraint_name = tc.constraint_name
 AND kcu.table_schema = tc.table_schema AND kcu.table_name = tc.table_name
LEFT JOIN information_schema.referential_constraints rc
  ON rc.constraint_schema = tc.constraint_schema AND rc.constraint_name = tc.constraint_name
LEFT JOIN information_schema.key_column_usage rk
  ON rk.constraint_schema = rc.unique_constraint_schema AND rk.constraint_name = rc.unique_constraint_name
 AND rk.ordinal_position = kcu.position_in_unique_constraint
WHERE tc.constraint_type IN ('PRIMARY KEY', 'FOREIGN KEY')
  AND kcu.table_schema NOT IN ('information_schema', 'pg_catalog', 'pg_internal', 'pg_automv')
ORDER BY kcu.table_schema, kcu.table_name, tc.constraint_type, tc.constraint_name, kcu.ordinal_position`

// Introspect implements source.Source.
func (s *Source) Introspect(ctx context.Context) (*catalog.Catalog, error) {
	cat, err := s.introspect(ctx)
	if err != nil {
		return nil, fmt.Errorf("source %q: introspect: %w", s.name, err)
	}
	return cat, nil
}

func (s *Source) introspect(ctx context.Context) (*catalog.Catalog, error) {
	db := s.DB()
	cat := &catalog.Catalog{Source: s.name, Dialect: catalog.Postgres, Profile: catalog.ProfileRedshift, Tables: []catalog.Table{}}
	if err := db.QueryRowContext(ctx, "SELECT version()").Scan(&cat.Version); err != nil {
		return nil, fmt.Errorf("version: %w", err)
	}
	var n int
	if err := db.QueryRowContext(ctx, hasSVV).Scan(&n); err != nil {
		return nil, fmt.Errorf("catalog views: %w", err)
	}
	qs := Queries{Tables: svvTables, Columns: svvColumns, Keys: keysSQL}
	if n < 2 {
		s.log.Debug("no svv_tables and svv_columns: reading information_schema")
		qs = PostgresInfoSchema
	}
	if err := ReadCatalog(ctx, db, cat, s.cfg.Schemas, qs, s.log); err != nil {
		return nil, err
	}
	return cat, nil
}

// Queries are the catalog queries ReadCatalog runs, without parameters:
//   - Tables: schema, name, type (BASE TABLE, VIEW…), comment;
//   - Columns: schema, table, name, type, length, precision, scale (0 when
//     none), nullable (YES/NO), default (NULL when none), comment, in order;
//   - Keys: schema, table, constraint, PRIMARY KEY or FOREIGN KEY, column,
//     and the referenced schema, table and column, a constraint's rows
//     together in key order.
type Queries struct{ Tables, Columns, Keys string }

// PostgresInfoSchema reads PostgreSQL's information_schema, with comments
// from pg_description: Redshift without its svv views, and Aurora
// PostgreSQL through the RDS Data API.
var PostgresInfoSchema = Queries{Tables: infoTables, Columns: infoColumns, Keys: keysSQL}

// ReadCatalog fills cat from qs over q, keeping only schemas (all when
// empty), and sorts it. Keys are informational in Redshift and help joins
// only, so a failed Keys query is logged, not returned.
func ReadCatalog(ctx context.Context, q source.Querier, cat *catalog.Catalog, schemas []string, qs Queries, log *slog.Logger) error {
	idx := map[[2]string]int{}
	if err := source.EachRow(ctx, q, qs.Tables, nil, func(r *sql.Rows) error {
		return scanTable(r, cat, schemas, idx)
	}); err != nil {
		return fmt.Errorf("tables: %w", err)
	}
	if err := source.EachRow(ctx, q, qs.Columns, nil, func(r *sql.Rows) error {
		return scanColumn(r, cat, idx)
	}); err != nil {
		return fmt.Errorf("columns: %w", err)
	}
	if err := source.EachRow(ctx, q, qs.Keys, nil, func(r *sql.Rows) error {
		return scanKey(r, cat, idx)
	}); err != nil {
		log.Warn("introspection without keys", "err", err)
	}
	cat.Sort()
	return nil
}

func scanTable(r *sql.Rows, cat *catalog.Catalog, schemas []string, idx map[[2]string]int) error {
	var typ string
	t := catalog.Table{Columns: []catalog.Column{}, RowCount: -1}
	if err := r.Scan(&t.Schema, &t.Name, &typ, &t.Comment); err != nil {
		return err
	}
	if len(schemas) > 0 && !slices.Contains(schemas, t.Schema) {
		return nil
	}
	// External (Spectrum) tables are read-only data in S3, queried as
	// tables: unlike a PostgreSQL foreign table they reach no other server.
	t.Kind = catalog.KindTable
	if strings.Contains(strings.ToUpper(typ), "VIEW") {
		t.Kind = catalog.KindView
	}
	idx[[2]string{t.Schema, t.Name}] = len(cat.Tables)
	cat.Tables = append(cat.Tables, t)
	return nil
}

func scanColumn(r *sql.Rows, cat *catalog.Catalog, idx map[[2]string]int) error {
	var schema, table, nullable string
	var length, precision, scale int64
	var def sql.NullString
	var c catalog.Column
	if err := r.Scan(&schema, &table, &c.Name, &c.DBType, &length, &precision, &scale, &nullable, &def, &c.Comment); err != nil {
		return err
	}
	i, ok := idx[[2]string{schema, table}]
	if !ok {
		return nil // another schema, or created between the queries
	}
	c.Type = catalog.NormalizeType(c.DBType)
	if strings.HasPrefix(strings.ToLower(c.DBType), "tinyint(1)") {
		c.Type = catalog.TypeBoolean // MySQL's BOOLEAN
	}
	switch {
	case length > 0:
		c.DBType = fmt.Sprintf("%s(%d)", c.DBType, length)
	case precision > 0 && c.Type == catalog.TypeDecimal:
		c.DBType = fmt.Sprintf("%s(%d,%d)", c.DBType, precision, scale)
	}
	c.Nullable = !strings.EqualFold(nullable, "NO")
	if def.Valid {
		c.Default = &def.String
	}
	cat.Tables[i].Columns = append(cat.Tables[i].Columns, c)
	return nil
}

func scanKey(r *sql.Rows, cat *catalog.Catalog, idx map[[2]string]int) error {
	var schema, table, name, typ, col, refSchema, refTable, refCol string
	if err := r.Scan(&schema, &table, &name, &typ, &col, &refSchema, &refTable, &refCol); err != nil {
		return err
	}
	i, ok := idx[[2]string{schema, table}]
	if !ok {
		return nil
	}
	t := &cat.Tables[i]
	if typ == "PRIMARY KEY" {
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
