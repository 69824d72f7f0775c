ATTACH DATABASE '/tmp/x.db' AS x
PRAGMA writable_schema = 1
SELECT load_extension('x')
SELECT readfile('x')
SELECT writefile('x', 'y')
SELECT fts3_tokenizer('simple')
SELECT * FROM sqlite_master
SELECT * FROM sqlite_schema
SELECT * FROM pragma_table_info('t')
SELECT * FROM sqlite_dbpage
SELECT edit('x')
VACUUM INTO '/tmp/x'
REPLACE INTO t VALUES (1)
INSERT OR IGNORE INTO t VALUES (1)
WITH x AS (SELECT 1) DELETE FROM t
SELECT * FROM t; DELETE FROM t
SELECT zeroblob(1000000000)
CREATE TRIGGER x AFTER INSERT ON t BEGIN DELETE FROM t; END
SELECT * FROM json_each(readfile('x'))
SELECT sqlite_compileoption_get(1)
SELECT * FROM temp.sqlite_master
SELECT * FROM main.sqlite_master
SELECT * FROM "sqlite_master"
SELECT * FROM pragma_function_list
SELECT * FROM fts5vocab('x')
SELECT * FROM t WHERE a = (SELECT load_extension('/tmp/evil.so'))
SELECT likelihood(load_extension('x'), 0.5)
SELECT * FROM t ORDER BY writefile('x', 'y')
DETACH DATABASE x
PRAGMA query_only = 0
BEGIN; DELETE FROM t; COMMIT
SELECT * FROM generate_series(1, 10) JOIN readfile('x')
SELECT sqlite_offset(a) FROM t
SELECT changes(), last_insert_rowid(), total_changes()
SELECT * FROM "SQLITE_MASTER"
SELECT * FROM t INDEXED BY sqlite_autoindex_t_1 WHERE a = 1 UNION SELECT sql FROM sqlite_master
SELECT quote(readfile('/etc/passwd'))
SELECT * FROM t WHERE 1 = 1 UNION SELECT name FROM sqlite_temp_master
