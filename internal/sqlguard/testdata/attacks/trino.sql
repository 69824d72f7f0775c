# Trino and Athena: every line must be refused.
# Writes and DDL
INSERT INTO hive.sales.orders SELECT * FROM hive.sales.orders
insert into orders values (1, 'x')
CREATE TABLE hive.tmp.copy AS SELECT * FROM hive.sales.orders
CREATE TABLE t (id bigint)
CREATE OR REPLACE VIEW v AS SELECT 1 AS x
DELETE FROM orders WHERE id = 1
UPDATE orders SET amount = 0
MERGE INTO orders o USING staged s ON o.id = s.id WHEN MATCHED THEN DELETE
TRUNCATE TABLE orders
DROP TABLE orders
ALTER TABLE orders ADD COLUMN x integer
ALTER TABLE orders EXECUTE optimize
ALTER TABLE orders SET AUTHORIZATION alice
COMMENT ON TABLE orders IS 'x'
ANALYZE orders
REFRESH MATERIALIZED VIEW mv
# Procedures, dynamic SQL, sessions, privileges, transactions
CALL system.sync_partition_metadata('sales', 'orders', 'FULL')
CALL iceberg.system.expire_snapshots('analytics', 'orders')
EXECUTE stmt
EXECUTE stmt USING 1
EXECUTE IMMEDIATE 'DROP TABLE orders'
PREPARE stmt FROM DELETE FROM orders
DEALLOCATE PREPARE stmt
SET SESSION query_max_run_time = '1h'
SET SESSION hive.insert_existing_partitions_behavior = 'OVERWRITE'
RESET SESSION query_max_run_time
SET ROLE admin
SET PATH system.builtin
SET TIME ZONE 'UTC'
USE hive.sales
GRANT SELECT ON orders TO alice
REVOKE SELECT ON orders FROM alice
DENY SELECT ON orders TO alice
CREATE ROLE admin
START TRANSACTION
COMMIT
ROLLBACK
# Not queries: metadata statements
EXPLAIN ANALYZE DELETE FROM orders
EXPLAIN SELECT 1
SHOW TABLES
SHOW CREATE TABLE orders
SHOW SESSION
SHOW GRANTS ON orders
DESCRIBE orders
DESCRIBE INPUT stmt
# More than one statement
SELECT 1; DELETE FROM orders
SELECT 1; SELECT 2
SELECT 1 /* ; */ ; DROP TABLE t
;DROP TABLE orders
# Inline functions
WITH FUNCTION hello(x varchar) RETURNS varchar RETURN x SELECT hello('a')
# Table functions: pass-through queries and column exclusion
SELECT * FROM TABLE(system.query(query => 'DELETE FROM users'))
SELECT * FROM TABLE(postgresql.system.query(query => 'SELECT pg_sleep(10)'))
SELECT * FROM TABLE(mysql.system.query(query => 'SELECT * FROM mysql.user'))
SELECT * FROM TABLE(bigquery.system.query(query => 'SELECT 1'))
select * from table(SYSTEM.QUERY(QUERY => 'drop table t'))
SELECT * FROM TABLE(elasticsearch.system.raw_query(schema => 'default', index => 'logs', query => '{}'))
SELECT * FROM TABLE(exclude_columns(input => TABLE(employees), columns => DESCRIPTOR(salary)))
SELECT * FROM TABLE(system.builtin.exclude_columns(input => TABLE(employees), columns => DESCRIPTOR(ssn)))
SELECT * FROM TABLE(sequence(start => 1, stop => 1000000000))
SELECT * FROM orders o JOIN TABLE(system.query(query => 'SELECT 1')) q ON true
SELECT id FROM orders WHERE id IN (SELECT * FROM TABLE(system.query(query => 'DELETE FROM users')))
WITH q AS (SELECT * FROM TABLE(system.query(query => 'x'))) SELECT * FROM q
# System catalog, information schema, metadata tables, hidden columns
SELECT * FROM system.runtime.queries
SELECT * FROM system.runtime.nodes
SELECT * FROM system.metadata.catalogs
SELECT * FROM system.jdbc.tables
SELECT * FROM information_schema.tables
SELECT * FROM hive.information_schema.columns
SELECT * FROM hive.sales."orders$partitions"
SELECT * FROM iceberg.analytics."orders$snapshots"
SELECT * FROM "orders$properties"
SELECT "$path", "$file_size" FROM hive.sales.orders
SELECT o."$path" FROM hive.sales.orders o
# Functions that are not built-ins, or not on the allowlist
SELECT hive.default.my_udf(x) FROM t
SELECT system.builtin.abs(-1)
SELECT current_user
SELECT current_catalog, current_schema
SELECT current_path
SELECT evil(1)
SELECT "evil"(1)
SELECT id FROM t ORDER BY evil(id)
SELECT id FROM t GROUP BY id HAVING evil(count(*)) > 0
SELECT transform(arr, x -> evil(x)) FROM t
# Parameters, MATCH_RECOGNIZE, identifiers Trino refuses
SELECT * FROM orders WHERE id = ?
SELECT * FROM orders LIMIT ?
SELECT * FROM t MATCH_RECOGNIZE (ORDER BY ts MEASURES A.v AS v PATTERN (A) DEFINE A AS true)
SELECT `id` FROM orders
SELECT 1a FROM orders
# Syntax errors and case tricks
SELECT * FROM
sElEcT * fRoM orders; dElEtE fRoM orders
SELECT 'unterminated
SELECT 1 /* unterminated
SELECT ıd FROM orders
