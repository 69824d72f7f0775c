SELECT * FROM dblink('host=x', 'select 1') AS t(a int)
SELECT lo_export(1, '/tmp/x')
SELECT * FROM pg_catalog.pg_shadow
SELECT pg_catalog.set_config('a', 'b', false)
SELECT "pg_sleep"(1)
SELECT PG_SLEEP(1)
SELECT * FROM t; DROP TABLE t
WITH x AS (INSERT INTO t VALUES (1) RETURNING *) SELECT * FROM x
WITH x AS MATERIALIZED (DELETE FROM t RETURNING *) SELECT 1
SELECT * FROM t FOR UPDATE SKIP LOCKED
SELECT * INTO TEMP x FROM t
CREATE TABLE x AS SELECT 1
EXPLAIN ANALYZE SELECT 1
SELECT pg_read_file('/etc/passwd', 0, 100)
SELECT * FROM ROWS FROM (dblink('a', 'b')) AS r(a int)
SELECT (SELECT nextval('s'))
SELECT a FROM t WHERE id = 1 UNION SELECT usename FROM pg_user
SELECT column_name FROM information_schema.columns
SELECT table_name FROM "information_schema"."tables"
SELECT public.my_func()
SELECT my_func()
SELECT pg_catalog.pg_terminate_backend(1)
VALUES (pg_sleep(1))
SELECT CAST(pg_sleep(1) AS text)
SELECT 1 WHERE EXISTS (SELECT set_config('default_transaction_read_only', 'off', true))
SELECT xpath('/a', query_to_xml('delete from t', true, true, ''))
SELECT * FROM ts_stat('select to_tsvector(secret) from users')
SELECT pg_ls_dir('.')
SELECT convert_from(pg_read_binary_file('x'), 'utf8')
SELECT currval('s')
SELECT lo_get(1)
TABLE pg_authid
SELECT * FROM pg_authid
SELECT current_setting('data_directory')
SELECT pg_catalog.current_setting('data_directory')
SELECT * FROM t WHERE a = (SELECT pg_advisory_xact_lock(1))
SELECT txid_current_if_assigned()
SELECT pg_backend_pid()
SELECT pg_stat_reset()
SELECT pg_reload_conf()
SELECT pg_cancel_backend(1)
SELECT pg_create_restore_point('x')
SELECT pg_export_snapshot()
SELECT dblink_connect('x')
SELECT * FROM t WHERE a = 1 UNION ALL (SELECT setval('s', 1))
SELECT 1 FROM t GROUP BY pg_sleep(1)
SELECT 1 FROM t HAVING pg_sleep(1) IS NULL
SELECT ARRAY(SELECT pg_sleep(1))
SELECT * FROM t ORDER BY (SELECT lo_unlink(1))
SELECT * FROM t, LATERAL pg_read_file('/etc/passwd') f
SELECT * FROM unnest(ARRAY[pg_sleep(1)])
SELECT pg_catalog.pg_read_file('/etc/passwd')
SELECT "PG_CATALOG"."PG_SLEEP"(1)
SELECT * FROM pg_catalog . pg_class
SELECT * FROM PG_CATALOG.PG_CLASS
SELECT * FROM "pg_catalog"."pg_class"
SELECT a FROM t WHERE a = 1; COMMIT; DROP TABLE t
SELECT format('%s', pg_sleep(1))
SELECT row_to_json(r) FROM (SELECT pg_read_file('x')) r
SELECT * FROM t TABLESAMPLE system_rows(10)
SELECT * FROM xmltable('/a' PASSING query_to_xml('select 1', true, true, '') COLUMNS a int)
SELECT to_tsvector(pg_read_file('x'))
SELECT jsonb_path_query(pg_read_file('x')::jsonb, '$')
SELECT * FROM pg_catalog.generate_series(1, 2), pg_catalog.pg_ls_dir('.') AS d
DO $$ BEGIN PERFORM 1; END $$
LISTEN x
NOTIFY x
DECLARE c CURSOR FOR SELECT 1
SET LOCAL statement_timeout = 0
SELECT * FROM t WHERE a = 1 FOR NO KEY UPDATE OF t
MERGE INTO t USING u ON t.a = u.a WHEN MATCHED THEN DELETE
IMPORT FOREIGN SCHEMA public FROM SERVER s INTO public
