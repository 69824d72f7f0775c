package dbtest

import (
	"testing"

	"github.com/go-sql-driver/mysql"
)

// MySQL creates a fresh, uniquely named MySQL/MariaDB database for t and
// returns an admin DSN for it. The database is dropped in t.Cleanup.
func MySQL(t testing.TB) string {
	t.Helper()
	base := envOr(MySQLEnv, DefaultMySQLDSN)
	cfg := parseMySQL(t, base)
	admin := openAdmin(t, "MySQL", "mysql", MySQLEnv, base)
	name := uniqueName(t)
	exec(t, admin, "CREATE DATABASE `"+name+"`")
	t.Cleanup(func() {
		defer admin.Close()
		exec(t, admin, "DROP DATABASE IF EXISTS `"+name+"`")
	})
	cfg.DBName = name
	return cfg.FormatDSN()
}

// MySQLReadOnly returns a DSN for the database of adminDSN that logs in as
// the read-only user askdb_ro, creating the user when it is missing and
// granting it SELECT and SHOW VIEW on that database. The grant is revoked
// in t.Cleanup, since MySQL keeps grants on a dropped database.
func MySQLReadOnly(t testing.TB, adminDSN string) string {
	t.Helper()
	cfg := parseMySQL(t, adminDSN)
	db := openAdmin(t, "MySQL", "mysql", MySQLEnv, adminDSN)
	var stmts, revokes []string
	for _, host := range []string{"%", "localhost"} {
		account := "'" + ReadOnlyUser + "'@'" + host + "'"
		stmts = append(stmts,
			"CREATE USER IF NOT EXISTS "+account+" IDENTIFIED BY '"+ReadOnlyPassword+"'",
			"GRANT SELECT, SHOW VIEW ON `"+cfg.DBName+"`.* TO "+account)
		revokes = append(revokes, "REVOKE ALL PRIVILEGES ON `"+cfg.DBName+"`.* FROM "+account)
	}
	exec(t, db, stmts...)
	t.Cleanup(func() {
		defer db.Close()
		exec(t, db, revokes...)
	})
	ro := cfg.Clone()
	ro.User, ro.Passwd = ReadOnlyUser, ReadOnlyPassword
	return ro.FormatDSN()
}

func parseMySQL(t testing.TB, dsn string) *mysql.Config {
	t.Helper()
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatalf("dbtest: parse MySQL DSN %q: %v", redact(dsn), err)
	}
	return cfg
}
