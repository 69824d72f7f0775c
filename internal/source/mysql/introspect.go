package mysql

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/source"
)

const tablesSQL = `
SELECT table_schema, table_name, table_type, coalesce(table_comment, ''), coalesce(table_rows, -1)
FROM information_schema.tables
WHERE table_schema IN (%s)
ORDER BY table_schema, table_name`

const columnsSQL = `
SELECT table_schema, table_name, column_name, column_type, is_nullable, column_default,
       coalesce(column_comment, '')
FROM information_schema.columns
WHERE table_schema IN (%s)
ORDER BY table_schema, table_name, ordinal_position`

// keysSQL returns one row per column of every primary and foreign key, in
// key order: key_column_usage pairs each column with its referenced column.
const keysSQL = `
SELECT table_schema, table_name, constraint_name, column_name,
       coalesce(referenced_table_schema, ''), coalesce(referenced_table_name, ''),
       coalesce(referenced_column_name, '')
FROM information_schema.key_column_usage
WHERE table_schema IN (%s) AND (constraint_name = 'PRIMARY' OR referenced_table_name IS NOT NULL)
ORDER BY table_schema, table_name, constraint_name, ordinal_position`

// Introspect implements source.Source. It reads the connected database
// (or the databases listed in the source's schemas) with four bulk queries.
// Tables of the connected database have no schema, so that names in
// prompts and generated SQL stay unqualified; tables of other listed
// databases are qualified by their database.
func (s *Source) Introspect(ctx context.Context) (*catalog.Catalog, error) {
	cat, err := s.introspect(ctx)
	if err != nil {
		return nil, fmt.Errorf("source %q: introspect: %w", s.name, err)
	}
	return cat, nil
}

// key identifies a table across databases.
type key struct{ schema, table string }

func (s *Source) introspect(ctx context.Context) (*catalog.Catalog, error) {
	schemas := s.cfg.Schemas
	if len(schemas) == 0 {
		if s.dbName == "" {
			return nil, fmt.Errorf("no database: name one in the DSN (user@tcp(host:3306)/dbname) or in schemas")
		}
		schemas = []string{s.dbName}
	}
	args := make([]any, len(schemas))
	for i, sc := range schemas {
		args[i] = sc
	}
	in := strings.TrimSuffix(strings.Repeat("?, ", len(schemas)), ", ")
	cat := &catalog.Catalog{Source: s.name, Dialect: catalog.MySQL, Tables: []catalog.Table{}}
	conn, err := s.DB().Conn(ctx)
	if err != nil {
		return nil, s.connectError(err)
	}
	defer conn.Close()
	// A pooled connection keeps the time limit of the last query it ran.
	if _, err := conn.ExecContext(ctx, s.resetTimeLimitSQL()); err != nil {
		return nil, s.connectError(err)
	}
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, s.connectError(err)
	}
	defer tx.Rollback() //nolint:errcheck // read-only
	if err := tx.QueryRowContext(ctx, "SELECT version()").Scan(&cat.Version); err != nil {
		return nil, fmt.Errorf("version: %w", err)
	}
	index := map[key]int{}
	steps := []struct {
		what, query string
		scan        func(*sql.Rows) error
	}{
		{"tables", tablesSQL, func(r *sql.Rows) error { return s.scanTable(r, cat, index) }},
		{"columns", columnsSQL, func(r *sql.Rows) error { return s.scanColumn(r, cat, index) }},
		{"keys", keysSQL, func(r *sql.Rows) error { return s.scanKey(r, cat, index) }},
	}
	for _, st := range steps {
		if err := source.EachRow(ctx, tx, fmt.Sprintf(st.query, in), args, st.scan); err != nil {
			return nil, fmt.Errorf("%s: %w", st.what, err)
		}
	}
	cat.Sort()
	return cat, nil
}

// schemaOf hides the connected database's name.
func (s *Source) schemaOf(db string) string {
	if db == s.dbName {
		return ""
	}
	return db
}

func (s *Source) scanTable(r *sql.Rows, cat *catalog.Catalog, index map[key]int) error {
	var db, typ string
	t := catalog.Table{Columns: []catalog.Column{}, Kind: catalog.KindTable}
	if err := r.Scan(&db, &t.Name, &typ, &t.Comment, &t.RowCount); err != nil {
		return err
	}
	t.Schema = s.schemaOf(db)
	if typ == "VIEW" {
		t.Kind, t.RowCount = catalog.KindView, -1
		if t.Comment == "VIEW" { // MariaDB's placeholder comment for views
			t.Comment = ""
		}
	}
	index[key{db, t.Name}] = len(cat.Tables)
	cat.Tables = append(cat.Tables, t)
	return nil
}

func (s *Source) scanColumn(r *sql.Rows, cat *catalog.Catalog, index map[key]int) error {
	var db, table, nullable string
	var def sql.NullString
	var c catalog.Column
	if err := r.Scan(&db, &table, &c.Name, &c.DBType, &nullable, &def, &c.Comment); err != nil {
		return err
	}
	i, ok := index[key{db, table}]
	if !ok {
		return nil // created between the two queries
	}
	c.Type = columnType(c.DBType)
	c.Nullable = nullable == "YES"
	// MariaDB spells "no default" as the string NULL (a string default
	// is quoted: 'NULL'); MySQL returns SQL NULL.
	if def.Valid && !(s.mariaDB && def.String == "NULL") {
		c.Default = &def.String
	}
	cat.Tables[i].Columns = append(cat.Tables[i].Columns, c)
	return nil
}

// columnType normalises a column type; TINYINT(1) is how MySQL stores
// BOOLEAN, so it is reported as boolean.
func columnType(dbType string) catalog.Type {
	if strings.HasPrefix(strings.ToLower(dbType), "tinyint(1)") {
		return catalog.TypeBoolean
	}
	return catalog.NormalizeType(dbType)
}

func (s *Source) scanKey(r *sql.Rows, cat *catalog.Catalog, index map[key]int) error {
	var db, table, name, col, refDB, refTable, refCol string
	if err := r.Scan(&db, &table, &name, &col, &refDB, &refTable, &refCol); err != nil {
		return err
	}
	i, ok := index[key{db, table}]
	if !ok {
		return nil
	}
	t := &cat.Tables[i]
	if name == "PRIMARY" {
		t.PrimaryKey = append(t.PrimaryKey, col)
		return nil
	}
	// Rows of one constraint arrive together, in key order.
	if n := len(t.ForeignKeys); n == 0 || t.ForeignKeys[n-1].Name != name {
		t.ForeignKeys = append(t.ForeignKeys, catalog.ForeignKey{Name: name, RefSchema: s.schemaOf(refDB), RefTable: refTable})
	}
	fk := &t.ForeignKeys[len(t.ForeignKeys)-1]
	fk.Columns = append(fk.Columns, col)
	fk.RefColumns = append(fk.RefColumns, refCol)
	return nil
}
