# DuckDB only: postgres.sql runs as DuckDB too.
# DuckDB's pragma_* table functions and system catalog
SELECT * FROM pragma_database_list
SELECT * FROM pragma_table_info('employees')
SELECT * FROM system.main.duckdb_tables
SELECT * FROM pragma_version
SELECT * FROM main.pragma_storage_info('t')
SELECT database_name FROM duckdb_databases()
