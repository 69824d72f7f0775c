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
# Attribute notation: PostgreSQL and DuckDB call f(x) for (x).f and alias.f (issue 12)
SELECT (0.5).pg_sleep
SELECT (1234).pg_terminate_backend
SELECT (42::bigint).pg_advisory_lock
SELECT ('search_path').current_setting
SELECT ('DELETE FROM t').dblink_exec
SELECT ('host=127.0.0.1 user=writer dbname=shop').dblink_connect
SELECT id FROM employees WHERE (0.5).pg_sleep IS NULL
SELECT id FROM employees ORDER BY (1).pg_advisory_lock
SELECT count(*) FROM employees GROUP BY id HAVING ((1)::bigint).pg_try_advisory_lock
SELECT * FROM employees e, LATERAL (SELECT (e.id).pg_terminate_backend) x
WITH x AS (SELECT (1).pg_cancel_backend AS k) SELECT k FROM x
SELECT ((0.1)::float8).pg_sleep
SELECT ('/etc/passwd').pg_read_file
SELECT ('ls').lo_import
SELECT (('x')::text).set_config
SELECT ((('a'))).pg_notify
SELECT e.row_to_json FROM employees e
SELECT e.to_jsonb ->> 'salary' FROM employees e
SELECT c.to_json FROM customers c
SELECT e.hstore FROM employees e
SELECT e.json_agg FROM employees e
SELECT e.jsonb_agg FROM employees e
SELECT e.array_agg FROM employees e
SELECT e.record_out FROM employees e
SELECT e.quote_literal FROM employees e
SELECT e.json_build_array FROM employees e
SELECT e.concat FROM employees e
SELECT e.pg_column_size FROM employees e
SELECT E.ROW_TO_JSON FROM employees E
SELECT e."to_jsonb" FROM employees e
SELECT id FROM employees c WHERE c.to_json::text LIKE '%salary%'
SELECT id FROM employees c ORDER BY c.to_jsonb ->> 'salary'
SELECT s.to_jsonb FROM (SELECT * FROM employees) s
SELECT employees.row_to_json FROM employees
SELECT public.employees.row_to_json FROM public.employees
SELECT salary.pg_advisory_lock FROM employees
SELECT e.salary.pg_sleep FROM employees e
SELECT (e.salary).pg_sleep FROM employees e
SELECT e.id FROM employees e WHERE e.name.pg_sleep IS NULL
# String literals that end elsewhere when standard_conforming_strings is off
SELECT 'x\' AS a, ' , pg_sleep(0.5), salary FROM employees -- '
SELECT N'x\' , pg_sleep(1) -- '
SELECT 'a\\\' , pg_advisory_lock(1) -- '
SELECT name FROM employees WHERE name = 'x\' OR pg_sleep(1) IS NULL -- '
# Operators and casts run functions found by name: only pg_catalog's (issue 12)
SELECT 1 ### 2
SELECT 1 OPERATOR(public.+) 2
SELECT a FROM t ORDER BY a USING ###
SELECT 'x'::public.evil
