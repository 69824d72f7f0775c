// Package dbtest gives integration tests a fresh, uniquely named database on
// a real PostgreSQL or MariaDB/MySQL server, dropped when the test ends.
//
// The server is found from ASKDB_TEST_POSTGRES_DSN / ASKDB_TEST_MYSQL_DSN or
// the local defaults that scripts/testdb.sh sets up. When it cannot be
// reached the test is skipped with a clear message, except under CI=true,
// where it fails: CI must never pass by skipping its databases.
//
// dbtest is imported only by tests.
package dbtest
