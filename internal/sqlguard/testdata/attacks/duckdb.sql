# DuckDB only: postgres.sql runs as DuckDB too.
# DuckDB's pragma_* table functions and system catalog
SELECT * FROM pragma_database_list
SELECT * FROM pragma_table_info('employees')
SELECT * FROM system.main.duckdb_tables
SELECT * FROM pragma_version
SELECT * FROM main.pragma_storage_info('t')
SELECT database_name FROM duckdb_databases()
# One call that builds a huge value, outside memory_limit and the interrupt (issue 12)
SELECT repeat('x', 1e9)
SELECT list_transform(range(1e8), x -> repeat('x', 100))
SELECT list_transform(range(1000000), x -> repeat('x', 1000))
SELECT repeat(repeat('x', 1000), 1000000)
SELECT lpad('a', 1000000000, 'x')
SELECT printf('%1000000000d', 1)
SELECT length(repeat('x', (SELECT 1000000000)))
SELECT list_resize([1], 1e9)
SELECT generate_series(0, 1e10)
