package trino

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/source/sqlbase"
)

// The catalog queries name the DSN's catalog (%[1]s, quoted) and a list of
// schema literals (%[2]s). Trino binds ? parameters only through EXECUTE
// IMMEDIATE, so the literals are quoted here (quoteLiteral).
const (
	tablesSQL = `SELECT table_schema, table_name, table_type
FROM %[1]s.information_schema.tables
WHERE table_schema IN (%[2]s)
ORDER BY table_schema, table_name`

	columnsSQL = `SELECT table_schema, table_name, column_name, data_type, is_nullable, column_default, comment
FROM %[1]s.information_schema.columns
WHERE table_schema IN (%[2]s)
ORDER BY table_schema, table_name, ordinal_position`

	// Table comments live in the system catalog, keyed by catalog name.
	tableCommentsSQL = `SELECT schema_name, table_name, comment
FROM system.metadata.table_comments
WHERE catalog_name = %[3]s AND schema_name IN (%[2]s) AND comment IS NOT NULL`

	schemasSQL = `SELECT schema_name FROM %[1]s.information_schema.schemata
WHERE schema_name <> 'information_schema'
ORDER BY schema_name`
)

// minIntrospectTime is the least time introspection gets: information_schema
// over a large lake catalog is slower than a typical query.
const minIntrospectTime = 2 * time.Minute

// Introspect implements source.Source: tables, columns, types, nullability
// and comments of the DSN's catalog, in the source's schemas (else the
// DSN's schema, else every schema). Trino declares no keys, so the catalog
// has none. Tables of the DSN's schema are unqualified, as queries name
// them; tables of other schemas carry their schema.
func (s *Source) Introspect(ctx context.Context) (*catalog.Catalog, error) {
	cat := &catalog.Catalog{Source: s.name, Dialect: catalog.Trino, Version: s.version, Tables: []catalog.Table{}}
	timeout := max(source.LimitsFor(s.cfg).Timeout, minIntrospectTime)
	err := s.ReadOnly(ctx, "introspect", timeout, func(ctx context.Context, q sqlbase.Querier) error {
		schemas, err := s.schemas(ctx, q)
		if err != nil || len(schemas) == 0 {
			return err
		}
		in := make([]string, len(schemas))
		for i, sc := range schemas {
			in[i] = quoteLiteral(sc)
		}
		r := &reader{s: s, cat: cat, index: map[key]int{}}
		args := []any{catalog.QuoteIdent(catalog.Trino, s.catalog), strings.Join(in, ", "), quoteLiteral(s.catalog)}
		return r.read(ctx, q, args)
	})
	if err != nil {
		return nil, err
	}
	cat.Sort()
	return cat, nil
}

// schemas lists the schemas to introspect.
func (s *Source) schemas(ctx context.Context, q sqlbase.Querier) ([]string, error) {
	if len(s.cfg.Schemas) > 0 {
		return s.cfg.Schemas, nil
	}
	if s.schema != "" {
		return []string{s.schema}, nil
	}
	var out []string
	err := source.EachRow(ctx, q, fmt.Sprintf(schemasSQL, catalog.QuoteIdent(catalog.Trino, s.catalog)), nil, func(rows *sql.Rows) error {
		var sc string
		if err := rows.Scan(&sc); err != nil {
			return err
		}
		out = append(out, sc)
		return nil
	})
	return out, err
}

// key identifies a table across schemas.
type key struct{ schema, table string }

// reader fills one catalog from the three catalog queries.
type reader struct {
	s     *Source
	cat   *catalog.Catalog
	index map[key]int
}

func (r *reader) read(ctx context.Context, q sqlbase.Querier, args []any) error {
	if err := source.EachRow(ctx, q, fmt.Sprintf(tablesSQL, args...), nil, r.table); err != nil {
		return fmt.Errorf("tables: %w", err)
	}
	if err := source.EachRow(ctx, q, fmt.Sprintf(columnsSQL, args...), nil, r.column); err != nil {
		return fmt.Errorf("columns: %w", err)
	}
	if err := source.EachRow(ctx, q, fmt.Sprintf(tableCommentsSQL, args...), nil, r.comment); err != nil {
		return fmt.Errorf("table comments: %w", err)
	}
	return nil
}

func (r *reader) table(rows *sql.Rows) error {
	var schema, name, typ string
	if err := rows.Scan(&schema, &name, &typ); err != nil {
		return err
	}
	kind := catalog.KindTable
	if typ == "VIEW" {
		kind = catalog.KindView
	}
	r.index[key{schema, name}] = len(r.cat.Tables)
	r.cat.Tables = append(r.cat.Tables, catalog.Table{Schema: r.qualifier(schema), Name: name, Kind: kind, Columns: []catalog.Column{}, RowCount: -1})
	return nil
}

func (r *reader) column(rows *sql.Rows) error {
	var schema, table, name, typ, nullable string
	var def, comment sql.NullString
	if err := rows.Scan(&schema, &table, &name, &typ, &nullable, &def, &comment); err != nil {
		return err
	}
	i, ok := r.index[key{schema, table}]
	if !ok {
		return nil // a table listed since, or hidden from tables by access control
	}
	c := catalog.Column{Name: name, DBType: typ, Type: catalog.NormalizeType(typ), Nullable: nullable == "YES", Comment: comment.String}
	if def.Valid {
		c.Default = &def.String
	}
	r.cat.Tables[i].Columns = append(r.cat.Tables[i].Columns, c)
	return nil
}

func (r *reader) comment(rows *sql.Rows) error {
	var schema, table string
	var comment sql.NullString
	if err := rows.Scan(&schema, &table, &comment); err != nil {
		return err
	}
	if i, ok := r.index[key{schema, table}]; ok {
		r.cat.Tables[i].Comment = comment.String
	}
	return nil
}

// qualifier is the schema a table of schema carries in the catalog: none
// for the DSN's own schema.
func (r *reader) qualifier(schema string) string {
	if schema == r.s.schema {
		return ""
	}
	return schema
}

// quoteLiteral quotes s as a Trino string literal.
func quoteLiteral(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
