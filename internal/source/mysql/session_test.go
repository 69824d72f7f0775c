package mysql_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"
	"github.com/google/go-cmp/cmp"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/dbtest"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/sqlguard"
)

func query(t *testing.T, src source.Source, q string) [][]any {
	t.Helper()
	res, err := src.Query(context.Background(), q, source.Limits{})
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return res.Rows
}

func lockHolder(t *testing.T, db *sql.DB, name string) sql.NullInt64 {
	t.Helper()
	var id sql.NullInt64
	if err := db.QueryRow("SELECT IS_USED_LOCK(?)", name).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// withSQLMode returns dsn with a session sql_mode the driver sets on every
// connection, as a hostile server or account default would be.
func withSQLMode(t *testing.T, dsn, mode string) string {
	t.Helper()
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Params = map[string]string{"sql_mode": "'" + mode + "'"}
	return cfg.FormatDSN()
}

// TestIntegrationSQLModePinnedAgainstHostileDefault catches a session that
// keeps a default sql_mode the guard's parser does not share: with
// NO_BACKSLASH_ESCAPES, 'x\' ends the literal the guard saw, and GET_LOCK
// runs and its lock outlives the query.
func TestIntegrationSQLModePinnedAgainstHostileDefault(t *testing.T) {
	dsn := dbtest.MySQL(t)
	admin := openAdmin(t, dsn)
	hostile := withSQLMode(t, dsn, "NO_BACKSLASH_ESCAPES,ANSI_QUOTES,PIPES_AS_CONCAT,ONLY_FULL_GROUP_BY")
	var mode, version string
	if err := openAdmin(t, hostile).QueryRow("SELECT @@SESSION.sql_mode, VERSION()").Scan(&mode, &version); err != nil {
		t.Fatal(err)
	}
	if mode != "PIPES_AS_CONCAT,ANSI_QUOTES,ONLY_FULL_GROUP_BY,NO_BACKSLASH_ESCAPES" {
		t.Fatalf("fixture: a plain session has sql_mode %q", mode)
	}
	src := openSource(t, hostile)

	want := "ONLY_FULL_GROUP_BY"
	if strings.Contains(strings.ToLower(version), "mariadb") {
		want = "IGNORE_SPACE,ONLY_FULL_GROUP_BY"
	}
	if diff := cmp.Diff([][]any{{want}}, query(t, src, "SELECT @@SESSION.sql_mode AS m")); diff != "" {
		t.Errorf("the source's sql_mode (-want +got):\n%s", diff)
	}

	rows := query(t, src, `SELECT 'x\', GET_LOCK(0x7274,0) -- ' AS s`)
	if diff := cmp.Diff([][]any{{`x', GET_LOCK(0x7274,0) -- `}}, rows); diff != "" {
		t.Errorf("the string literal ran as code (-want +got):\n%s", diff)
	}
	if id := lockHolder(t, admin, "rt"); id.Valid {
		t.Errorf("connection %d holds the lock \"rt\" after the query ended", id.Int64)
	}
}

// TestIntegrationNothingOutlivesAQuery catches a pooled connection that
// keeps what a hostile query left on its session: a named lock and a user
// variable.
func TestIntegrationNothingOutlivesAQuery(t *testing.T) {
	dsn := dbtest.MySQL(t)
	admin := openAdmin(t, dsn)
	src := openSource(t, dsn)
	lock := fmt.Sprintf("askdb_t_%d", rand.Int64())
	query(t, src, fmt.Sprintf("SELECT CONNECTION_ID() AS id, GET_LOCK('%s', 0) AS got, @askdb_left := 'hostile' AS v", lock))

	if id := lockHolder(t, admin, lock); id.Valid {
		t.Errorf("another session sees connection %d holding %q after the query ended", id.Int64, lock)
	}
	next := query(t, src, fmt.Sprintf("SELECT IS_USED_LOCK('%s') AS l, @askdb_left AS v", lock))
	if diff := cmp.Diff([][]any{{nil, nil}}, next); diff != "" {
		t.Errorf("the next query found state left behind (-want +got):\n%s", diff)
	}
}

// TestIntegrationAllowlistIsBuiltIn catches a name the guard allows on this
// server that the server does not have as a built-in: there, a call
// resolves to a stored function of the current database (MariaDB 10.11
// has no REGEXP_LIKE).
func TestIntegrationAllowlistIsBuiltIn(t *testing.T) {
	dsn := dbtest.MySQL(t)
	admin := openAdmin(t, dsn)
	cat, err := openSource(t, dsn).Introspect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	opts := sqlguard.Options{Dialect: catalog.MySQL, Catalog: cat}
	var allowed int
	for _, f := range sqlguard.Functions(catalog.MySQL) {
		if v := sqlguard.Check("SELECT "+f+"()", opts); !v.Accepted && v.Rule == sqlguard.RuleFunction {
			continue // not on this server's allowlist
		}
		allowed++
		_, err := admin.Exec("SELECT " + f + "()")
		var me *mysql.MySQLError
		if errors.As(err, &me) && (me.Number == 1305 || me.Number == 1630) { // ER_SP_DOES_NOT_EXIST, ER_FUNC_INEXISTENT_NAME_COLLISION
			t.Errorf("%s is allowed on %s but is not a built-in there: %v", f, cat.Version, err)
		}
	}
	if allowed < 100 {
		t.Fatalf("only %d names allowed on %s: the probe proves little", allowed, cat.Version)
	}
}

// TestIntegrationSpaceBeforeParenthesisIsBuiltIn catches a MariaDB session
// without IGNORE_SPACE, where "now ()" calls a stored function now of the
// current database while the guard's parser reads the built-in.
func TestIntegrationSpaceBeforeParenthesisIsBuiltIn(t *testing.T) {
	dsn := dbtest.MySQL(t)
	admin := openAdmin(t, dsn)
	var version string
	if err := admin.QueryRow("SELECT VERSION()").Scan(&version); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.ToLower(version), "mariadb") {
		t.Skipf("IGNORE_SPACE is pinned on MariaDB only; the server is %s", version)
	}
	execAll(t, admin, "CREATE FUNCTION `now`() RETURNS varchar(10) DETERMINISTIC RETURN 'shadowed'")
	rows := query(t, openSource(t, dsn), "SELECT now () = now() AS builtin")
	if diff := cmp.Diff([][]any{{int64(1)}}, rows); diff != "" {
		t.Errorf("now () did not call the built-in (-want +got):\n%s", diff)
	}
}
