-- Trino's information_schema and system.metadata.table_comments for one
-- catalog, as Trino's PostgreSQL connector presents a PostgreSQL database:
-- Trino type names, NOT NULL, comments, and no column defaults (Trino
-- reports none). The fake rewrites references to them onto these views.
-- The catalog's name is the setting trinofake.catalog, set per statement.
CREATE SCHEMA trino_meta;

CREATE FUNCTION trino_meta.trino_type(pg text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
SELECT CASE
  WHEN pg IN ('integer', 'bigint', 'smallint', 'boolean', 'date', 'real') THEN pg
  WHEN pg = 'double precision' THEN 'double'
  WHEN pg = 'text' THEN 'varchar'
  WHEN pg LIKE 'character varying(%' THEN 'varchar' || substr(pg, length('character varying') + 1)
  WHEN pg = 'character varying' THEN 'varchar'
  WHEN pg LIKE 'character(%' THEN 'char' || substr(pg, length('character') + 1)
  WHEN pg LIKE 'numeric(%' THEN 'decimal' || substr(pg, length('numeric') + 1)
  WHEN pg = 'numeric' THEN 'decimal(38,0)'
  WHEN pg LIKE 'timestamp%with time zone' THEN 'timestamp(6) with time zone'
  WHEN pg LIKE 'timestamp%' THEN 'timestamp(6)'
  ELSE 'varchar'
END $$;

CREATE VIEW trino_meta.schemata AS
SELECT current_setting('trinofake.catalog') AS catalog_name, nspname::text AS schema_name
FROM pg_namespace
WHERE nspname NOT LIKE 'pg\_%' AND nspname <> 'trino_meta';

CREATE VIEW trino_meta.tables AS
SELECT current_setting('trinofake.catalog') AS table_catalog, n.nspname::text AS table_schema,
       c.relname::text AS table_name,
       CASE WHEN c.relkind = 'v' THEN 'VIEW' ELSE 'BASE TABLE' END AS table_type
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v') AND n.nspname NOT LIKE 'pg\_%'
  AND n.nspname NOT IN ('information_schema', 'trino_meta');

CREATE VIEW trino_meta.columns AS
SELECT current_setting('trinofake.catalog') AS table_catalog, n.nspname::text AS table_schema,
       c.relname::text AS table_name, a.attname::text AS column_name, a.attnum::bigint AS ordinal_position,
       NULL::text AS column_default,
       CASE WHEN a.attnotnull THEN 'NO' ELSE 'YES' END AS is_nullable,
       trino_meta.trino_type(format_type(a.atttypid, a.atttypmod)) AS data_type,
       col_description(c.oid, a.attnum) AS comment, NULL::text AS extra_info
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v')
  AND n.nspname NOT LIKE 'pg\_%' AND n.nspname NOT IN ('information_schema', 'trino_meta');

CREATE VIEW trino_meta.table_comments AS
SELECT current_setting('trinofake.catalog') AS catalog_name, n.nspname::text AS schema_name,
       c.relname::text AS table_name, obj_description(c.oid, 'pg_class') AS comment
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v') AND n.nspname NOT LIKE 'pg\_%'
  AND n.nspname NOT IN ('information_schema', 'trino_meta');
