-- Installs the dblink extension and takes EXECUTE on its functions away
-- from PUBLIC, as askdb's README asks of a database where dblink is
-- installed: dblink opens its own connection, so a READ ONLY transaction
-- does not hold for what it runs, and only the privilege stops it.
-- Used by dbtest.PostgresDblink and scripts/testdb.sh.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS dblink;
DO $$
DECLARE f regprocedure;
BEGIN
  FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
           JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass AND d.deptype = 'e'
           JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'dblink' LOOP
    EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
  END LOOP;
END $$;
