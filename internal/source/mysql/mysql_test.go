package mysql_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/dbtest"
	"github.com/askdb/askdb/internal/source"
	_ "github.com/askdb/askdb/internal/source/mysql"
)

func openSource(t testing.TB, dsn string) source.Source {
	t.Helper()
	src, err := source.Open(context.Background(), "my", config.Source{Kind: "mysql", DSN: dsn}, source.Options{})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { src.Close() })
	return src
}

func openAdmin(t testing.TB, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func execAll(t testing.TB, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

var schemaDDL = []string{
	`CREATE TABLE departments (
	  id int PRIMARY KEY,
	  name varchar(80) NOT NULL,
	  budget decimal(12,2) DEFAULT 0 COMMENT 'Yearly budget in EUR',
	  open boolean NOT NULL DEFAULT TRUE,
	  note varchar(20) DEFAULT NULL
	) COMMENT 'Organisational units'`,
	`CREATE TABLE projects (code varchar(10), year int, PRIMARY KEY (code, year), UNIQUE KEY projects_year_code (year, code))`,
	`CREATE TABLE milestones (
	  id int AUTO_INCREMENT PRIMARY KEY,
	  project_year int NOT NULL,
	  project_code varchar(10) NOT NULL,
	  department_id int,
	  due datetime,
	  CONSTRAINT milestones_project_fk FOREIGN KEY (project_year, project_code) REFERENCES projects (year, code),
	  CONSTRAINT milestones_department_fk FOREIGN KEY (department_id) REFERENCES departments (id)
	)`,
	`CREATE VIEW open_departments AS SELECT id, name FROM departments WHERE open`,
}

func TestIntegrationIntrospect(t *testing.T) {
	dsn := dbtest.MySQL(t)
	execAll(t, openAdmin(t, dsn), schemaDDL...)
	cat, err := openSource(t, dsn).Introspect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tb := range cat.Tables {
		names = append(names, tb.QualifiedName()+":"+string(tb.Kind))
	}
	if diff := cmp.Diff([]string{"departments:table", "milestones:table", "open_departments:view", "projects:table"}, names); diff != "" {
		t.Fatalf("tables (-want +got):\n%s", diff)
	}
	if cat.Version == "" || cat.Dialect != catalog.MySQL {
		t.Errorf("version %q dialect %q", cat.Version, cat.Dialect)
	}
	dep, _ := cat.Table("departments")
	if dep.Comment != "Organisational units" || dep.RowCount < 0 {
		t.Errorf("departments: comment %q row count %d", dep.Comment, dep.RowCount)
	}
	budget, _ := dep.Column("budget")
	if budget.DBType != "decimal(12,2)" || budget.Type != catalog.TypeDecimal || !budget.Nullable ||
		budget.Default == nil || *budget.Default != "0.00" || budget.Comment != "Yearly budget in EUR" {
		t.Errorf("budget column = %+v (default %v)", *budget, deref(budget.Default))
	}
	if c, _ := dep.Column("open"); c.Type != catalog.TypeBoolean || c.Nullable {
		t.Errorf("boolean column = %+v, want type boolean, not null", *c)
	}
	if c, _ := dep.Column("note"); c.Default != nil {
		t.Errorf("note default = %q, want none", *c.Default)
	}
	if c, _ := dep.Column("name"); c.Default != nil || c.Nullable || c.Type != catalog.TypeText {
		t.Errorf("name column = %+v", *c)
	}
	view, _ := cat.Table("open_departments")
	if view.Comment != "" || view.RowCount != -1 || len(view.Columns) != 2 {
		t.Errorf("view = %+v", *view)
	}
	ms, _ := cat.Table("milestones")
	wantFKs := []catalog.ForeignKey{
		{Name: "milestones_department_fk", Columns: []string{"department_id"}, RefTable: "departments", RefColumns: []string{"id"}},
		{Name: "milestones_project_fk", Columns: []string{"project_year", "project_code"}, RefTable: "projects", RefColumns: []string{"year", "code"}},
	}
	if diff := cmp.Diff(wantFKs, ms.ForeignKeys); diff != "" {
		t.Errorf("foreign keys, composite paired by position (-want +got):\n%s", diff)
	}
	proj, _ := cat.Table("projects")
	if diff := cmp.Diff([]string{"code", "year"}, proj.PrimaryKey); diff != "" {
		t.Errorf("composite PK (-want +got):\n%s", diff)
	}
	if c, _ := ms.Column("due"); c.Type != catalog.TypeTimestamp {
		t.Errorf("datetime column type %q", c.Type)
	}
}

func deref(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

func TestIntegrationQuerySafety(t *testing.T) {
	dsn := dbtest.MySQL(t)
	admin := openAdmin(t, dsn)
	execAll(t, admin, schemaDDL...)
	execAll(t, admin, `INSERT INTO departments (id, name, budget) VALUES (1, 'Sales', 10.50), (2, 'Research', 20.25), (3, 'Ops', NULL)`)
	src := openSource(t, dsn)
	ctx := context.Background()
	tests := []struct {
		name, sql string
		lim       source.Limits
		want      error
		code      string
		inMsg     string
	}{
		{name: "insert refused", sql: "INSERT INTO departments (id, name) VALUES (9, 'x')", want: source.ErrReadOnly, code: "1792"},
		// DDL commits implicitly and would escape a READ ONLY transaction
		// alone; the session characteristic must stop it.
		{name: "create refused", sql: "CREATE TABLE intruder (id int)", want: source.ErrReadOnly, code: "1792"},
		{name: "drop refused", sql: "DROP TABLE projects", want: source.ErrReadOnly, code: "1792"},
		{name: "statement timeout", sql: "SELECT SLEEP(5)", lim: source.Limits{Timeout: 300 * time.Millisecond}, want: source.ErrTimeout},
		{name: "empty", sql: " ", want: source.ErrEmptyQuery},
		{name: "engine error verbatim", sql: "SELECT nope FROM departments", code: "1054", inMsg: "Unknown column 'nope'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := src.Query(ctx, tt.sql, tt.lim)
			if err == nil {
				t.Fatal("no error")
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("error %v, want %v", err, tt.want)
			}
			var ee *source.EngineError
			if tt.code != "" && (!errors.As(err, &ee) || ee.Code != tt.code || !strings.Contains(ee.Message, tt.inMsg)) {
				t.Errorf("error %#v, want EngineError %s containing %q", err, tt.code, tt.inMsg)
			}
		})
	}
	var n int
	if err := admin.QueryRow("SELECT count(*) FROM information_schema.tables WHERE table_schema = database()").Scan(&n); err != nil || n != 4 {
		t.Errorf("after refused DDL: %d tables (%v), want the 4 created", n, err)
	}

	res, err := src.Query(ctx, "SELECT id, budget, open FROM departments ORDER BY id", source.Limits{MaxRows: 2})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Truncated || len(res.Rows) != 2 {
		t.Errorf("rows %d truncated %v, want 2 truncated", len(res.Rows), res.Truncated)
	}
	got := []any{res.Rows[0][0], res.Rows[0][1].(interface{ String() string }).String(), res.Rows[0][2]}
	if diff := cmp.Diff([]any{int64(1), "10.50", int64(1)}, got); diff != "" {
		t.Errorf("first row (-want +got):\n%s", diff)
	}
	// The time limit must not stay on the pooled connection.
	if _, err := src.Query(ctx, "SELECT SLEEP(1.5)", source.Limits{Timeout: 10 * time.Second}); err != nil {
		t.Errorf("query after a short limit: %v", err)
	}
}

func TestIntegrationExplain(t *testing.T) {
	dsn := dbtest.MySQL(t)
	execAll(t, openAdmin(t, dsn), schemaDDL...)
	src := openSource(t, dsn)
	ctx := context.Background()
	plan, err := src.Explain(ctx, "SELECT * FROM departments WHERE name LIKE 'S%'")
	if err != nil || !strings.HasPrefix(plan, "id\tselect_type\ttable") || !strings.Contains(plan, "departments") {
		t.Errorf("plan %q, err %v", plan, err)
	}
	_, err = src.Explain(ctx, "SELECT * FROM missing_table")
	var ee *source.EngineError
	if !errors.As(err, &ee) || ee.Code != "1146" || !strings.Contains(ee.Message, "missing_table' doesn't exist") || ee.Op != "explain" {
		t.Errorf("explain error %#v, want EngineError 1146 verbatim", err)
	}
}

// TestIntegrationCancelStopsServerQuery proves that a cancelled context
// stops the statement on the server (KILL QUERY), not only the client's wait.
func TestIntegrationCancelStopsServerQuery(t *testing.T) {
	dsn := dbtest.MySQL(t)
	src := openSource(t, dsn)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	_, err := src.Query(ctx, "SELECT SLEEP(30) AS askdb_cancel_probe", source.Limits{Timeout: time.Minute})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	admin := openAdmin(t, dsn)
	for i := 0; ; i++ {
		var n int
		if err := admin.QueryRow(`SELECT count(*) FROM information_schema.processlist
			WHERE info LIKE '%askdb_cancel_probe%' AND id <> CONNECTION_ID()`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
		if i == 20 {
			t.Fatal("the cancelled query is still running on the server")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestIntegrationReadOnlyUser(t *testing.T) {
	dsn := dbtest.MySQL(t)
	execAll(t, openAdmin(t, dsn), schemaDDL...)
	src := openSource(t, dbtest.MySQLReadOnly(t, dsn))
	cat, err := src.Introspect(context.Background())
	if err != nil || len(cat.Tables) != 4 {
		t.Fatalf("introspect as askdb_ro: %d tables, %v", len(cat.Tables), err)
	}
	if _, err := src.Query(context.Background(), "SELECT count(*) FROM departments", source.Limits{}); err != nil {
		t.Errorf("select as askdb_ro: %v", err)
	}
}

func TestIntegrationBadConnection(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		dsn  func(t *testing.T) string
		want error
		host string
	}{
		{"closed port", func(*testing.T) string { return "root:hunter2@tcp(127.0.0.1:1)/" }, source.ErrUnreachable, "127.0.0.1:1"},
		{"wrong password", func(t *testing.T) string {
			dbtest.MySQLReadOnly(t, dbtest.MySQL(t)) // makes sure the user exists
			return dbtest.ReadOnlyUser + ":hunter2@tcp(127.0.0.1:3306)/"
		}, source.ErrAuth, "127.0.0.1:3306"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := config.Source{Kind: "mysql", DSN: tt.dsn(t), ConnectTimeout: config.Duration(2 * time.Second)}
			src, err := source.Open(ctx, "bad", cfg, source.Options{})
			if err == nil {
				src.Close()
				t.Fatal("no error")
			}
			t.Logf("error: %v", err)
			if !errors.Is(err, tt.want) {
				t.Errorf("error %v, want %v", err, tt.want)
			}
			for _, s := range []string{`source "bad"`, tt.host} {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %q", err, s)
				}
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error %q leaks the password", err)
			}
		})
	}
}
