package aurora

import (
	"context"
	"fmt"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/source/redshift"
)

// mysqlInfoSchema reads the current database's tables, columns, comments
// and keys from MySQL's information_schema, in the columns
// redshift.ReadCatalog reads.
var mysqlInfoSchema = redshift.Queries{
	Tables: `SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, TABLE_COMMENT FROM information_schema.TABLES
WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME`,
	Columns: `SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, 0, 0, 0, IS_NULLABLE, COLUMN_DEFAULT, COLUMN_COMMENT
FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION`,
	Keys: `SELECT TABLE_SCHEMA, TABLE_NAME, CONSTRAINT_NAME,
  CASE WHEN CONSTRAINT_NAME = 'PRIMARY' THEN 'PRIMARY KEY' ELSE 'FOREIGN KEY' END AS kind, COLUMN_NAME,
  coalesce(REFERENCED_TABLE_SCHEMA, ''), coalesce(REFERENCED_TABLE_NAME, ''), coalesce(REFERENCED_COLUMN_NAME, '')
FROM information_schema.KEY_COLUMN_USAGE
WHERE TABLE_SCHEMA = DATABASE() AND (CONSTRAINT_NAME = 'PRIMARY' OR REFERENCED_TABLE_NAME IS NOT NULL)
ORDER BY TABLE_NAME, kind DESC, CONSTRAINT_NAME, ORDINAL_POSITION`,
}

// Introspect implements source.Source through the Data API, with the
// flavour's information_schema.
func (s *Source) Introspect(ctx context.Context) (*catalog.Catalog, error) {
	cat := &catalog.Catalog{Source: s.name, Dialect: s.target.Engine, Version: s.version, Tables: []catalog.Table{}}
	qs, schemas := redshift.PostgresInfoSchema, s.cfg.Schemas
	if s.target.Engine == catalog.MySQL {
		qs, schemas = mysqlInfoSchema, nil
	}
	if err := redshift.ReadCatalog(ctx, s.DB(), cat, schemas, qs, s.log); err != nil {
		return nil, fmt.Errorf("source %q: introspect: %w", s.name, err)
	}
	return cat, nil
}
