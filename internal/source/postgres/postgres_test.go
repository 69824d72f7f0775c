package postgres_test

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
	_ "github.com/askdb/askdb/internal/source/postgres"
)

func openSource(t testing.TB, dsn string, schemas ...string) source.Source {
	t.Helper()
	src, err := source.Open(context.Background(), "pg", config.Source{Kind: "postgres", DSN: dsn, Schemas: schemas}, source.Options{})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { src.Close() })
	return src
}

func execAll(t testing.TB, dsn string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

const multiSchemaDDL = `
CREATE SCHEMA staff;
CREATE SCHEMA research;
CREATE TABLE staff.departments (
  id integer PRIMARY KEY,
  name varchar(80) NOT NULL,
  budget numeric(12,2) DEFAULT 0
);
COMMENT ON TABLE staff.departments IS 'Organisational units';
COMMENT ON COLUMN staff.departments.budget IS 'Yearly budget in EUR';
CREATE TABLE staff.employees (
  id integer PRIMARY KEY,
  department_id integer REFERENCES staff.departments(id),
  hired_on date NOT NULL
);
CREATE TABLE research.projects (
  code text,
  year integer,
  lead_id integer CONSTRAINT projects_lead_fk REFERENCES staff.employees(id),
  PRIMARY KEY (code, year)
);
CREATE TABLE research.milestones (
  id serial PRIMARY KEY,
  project_year integer NOT NULL,
  project_code text NOT NULL,
  CONSTRAINT milestones_project_fk FOREIGN KEY (project_year, project_code)
    REFERENCES research.projects(year, code)
);
CREATE VIEW research.active_projects AS SELECT code, year FROM research.projects;
ANALYZE staff.departments;
`

func TestIntegrationMultiSchema(t *testing.T) {
	dsn := dbtest.Postgres(t)
	execAll(t, dsn, multiSchemaDDL)
	ctx := context.Background()

	cat, err := openSource(t, dsn).Introspect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tb := range cat.Tables {
		names = append(names, tb.QualifiedName()+":"+string(tb.Kind))
	}
	want := []string{"research.active_projects:view", "research.milestones:table", "research.projects:table",
		"staff.departments:table", "staff.employees:table"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Fatalf("tables (-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(cat.Version, "PostgreSQL ") || cat.Dialect != catalog.Postgres {
		t.Errorf("version %q dialect %q", cat.Version, cat.Dialect)
	}

	dep, _ := cat.Table("staff.departments")
	zero := "0"
	wantDep := catalog.Table{
		Schema: "staff", Name: "departments", Kind: catalog.KindTable, Comment: "Organisational units",
		Columns: []catalog.Column{
			{Name: "id", DBType: "integer", Type: catalog.TypeInteger},
			{Name: "name", DBType: "character varying(80)", Type: catalog.TypeText},
			{Name: "budget", DBType: "numeric(12,2)", Type: catalog.TypeDecimal, Nullable: true, Default: &zero, Comment: "Yearly budget in EUR"},
		},
		PrimaryKey: []string{"id"},
		RowCount:   0, // analysed and empty
	}
	if diff := cmp.Diff(wantDep, *dep); diff != "" {
		t.Errorf("staff.departments (-want +got):\n%s", diff)
	}

	emp, _ := cat.Table("staff.employees")
	if emp.RowCount != -1 {
		t.Errorf("never analysed table: RowCount = %d, want -1", emp.RowCount)
	}
	proj, _ := cat.Table("research.projects")
	wantProj := []catalog.ForeignKey{{Name: "projects_lead_fk", Columns: []string{"lead_id"}, RefSchema: "staff", RefTable: "employees", RefColumns: []string{"id"}}}
	if diff := cmp.Diff(wantProj, proj.ForeignKeys); diff != "" {
		t.Errorf("cross-schema FK (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"code", "year"}, proj.PrimaryKey); diff != "" {
		t.Errorf("composite PK (-want +got):\n%s", diff)
	}
	ms, _ := cat.Table("research.milestones")
	wantMs := []catalog.ForeignKey{{Name: "milestones_project_fk", Columns: []string{"project_year", "project_code"},
		RefSchema: "research", RefTable: "projects", RefColumns: []string{"year", "code"}}}
	if diff := cmp.Diff(wantMs, ms.ForeignKeys); diff != "" {
		t.Errorf("composite FK paired by position (-want +got):\n%s", diff)
	}
	if c, _ := ms.Column("id"); c.Default == nil || !strings.HasPrefix(*c.Default, "nextval(") {
		t.Errorf("serial default = %v, want nextval(...)", c.Default)
	}

	only, err := openSource(t, dsn, "research").Introspect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"research"}, only.Schemas()); diff != "" {
		t.Errorf("schemas: [research] (-want +got):\n%s", diff)
	}
}

func TestIntegrationQuerySafety(t *testing.T) {
	dsn := dbtest.Postgres(t)
	execAll(t, dsn, `CREATE TABLE t (id int PRIMARY KEY, price numeric(10,2), at date)`,
		`INSERT INTO t SELECT g, g * 1.25, date '2024-01-01' + g FROM generate_series(1, 50) g`)
	src := openSource(t, dsn)
	ctx := context.Background()

	tests := []struct {
		name  string
		sql   string
		lim   source.Limits
		want  error
		code  string
		inMsg string
	}{
		{name: "insert refused", sql: "INSERT INTO t VALUES (100, 1, NULL)", want: source.ErrReadOnly, code: "25006"},
		{name: "ddl refused", sql: "CREATE TABLE u (id int)", want: source.ErrReadOnly, code: "25006"},
		{name: "cte write refused", sql: "WITH d AS (DELETE FROM t RETURNING id) SELECT count(*) FROM d", want: source.ErrReadOnly, code: "25006"},
		{name: "statement timeout", sql: "SELECT pg_sleep(5)", lim: source.Limits{Timeout: 200 * time.Millisecond}, want: source.ErrTimeout, code: "57014"},
		{name: "empty", sql: "  \n", want: source.ErrEmptyQuery},
		{name: "engine error verbatim", sql: "SELECT nope FROM t", code: "42703", inMsg: `column "nope" does not exist`},
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
				t.Errorf("error %#v, want EngineError code %s containing %q", err, tt.code, tt.inMsg)
			}
		})
	}

	res, err := src.Query(ctx, "SELECT id, price, at FROM t ORDER BY id", source.Limits{MaxRows: 3})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Truncated || res.TruncatedBy != source.TruncatedByRows || len(res.Rows) != 3 {
		t.Errorf("truncated=%v by %q rows=%d, want 3 rows truncated by rows", res.Truncated, res.TruncatedBy, len(res.Rows))
	}
	if diff := cmp.Diff([]any{int64(1), "1.25", "2024-01-02"}, stringify(res.Rows[0])); diff != "" {
		t.Errorf("first row (-want +got):\n%s", diff)
	}
}

// stringify turns json.Number into string so that rows compare simply.
func stringify(row []any) []any {
	out := make([]any, len(row))
	for i, v := range row {
		if s, ok := v.(interface{ String() string }); ok {
			v = s.String()
		}
		out[i] = v
	}
	return out
}

func TestIntegrationExplain(t *testing.T) {
	src := openSource(t, dbtest.Postgres(t))
	ctx := context.Background()
	plan, err := src.Explain(ctx, "SELECT * FROM generate_series(1, 10)")
	if err != nil || !strings.Contains(plan, "Function Scan") {
		t.Errorf("plan %q, err %v; want a Function Scan", plan, err)
	}
	_, err = src.Explain(ctx, "SELECT * FROM missing_table")
	var ee *source.EngineError
	if !errors.As(err, &ee) || ee.Code != "42P01" || ee.Message != `relation "missing_table" does not exist` || ee.Op != "explain" {
		t.Errorf("explain error %#v, want EngineError 42P01 verbatim", err)
	}
	if _, err := src.Explain(ctx, ""); !errors.Is(err, source.ErrEmptyQuery) {
		t.Errorf("empty explain: %v", err)
	}
}

// TestIntegrationCancelStopsServerQuery proves that a cancelled context
// stops the statement on the server, not only the client's wait.
func TestIntegrationCancelStopsServerQuery(t *testing.T) {
	dsn := dbtest.Postgres(t)
	src := openSource(t, dsn)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	_, err := src.Query(ctx, "SELECT pg_sleep(30) AS askdb_cancel_probe", source.Limits{Timeout: time.Minute})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i := 0; ; i++ {
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM pg_stat_activity
			WHERE query LIKE '%askdb_cancel_probe%' AND state = 'active' AND pid <> pg_backend_pid()`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
		if i == 50 {
			t.Fatalf("the cancelled query is still running on the server")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestIntegrationReadOnlyRole(t *testing.T) {
	dsn := dbtest.Postgres(t)
	execAll(t, dsn, multiSchemaDDL)
	src := openSource(t, dbtest.PostgresReadOnly(t, dsn))
	cat, err := src.Introspect(context.Background())
	if err != nil || len(cat.Tables) != 5 {
		t.Fatalf("introspect as askdb_ro: %d tables, %v", len(cat.Tables), err)
	}
	if _, err := src.Query(context.Background(), "SELECT count(*) FROM staff.departments", source.Limits{}); err != nil {
		t.Errorf("select as askdb_ro: %v", err)
	}
}

func TestIntegrationBadConnection(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name, dsn string
		want      error
		inMsg     []string
	}{
		{"closed port", "postgres://postgres:hunter2@127.0.0.1:1/postgres?sslmode=disable", source.ErrUnreachable, []string{`source "bad"`, "127.0.0.1:1"}},
		{"unknown role", "postgres://askdb_no_such_role:hunter2@127.0.0.1:5432/postgres?sslmode=disable", source.ErrAuth, []string{`source "bad"`, "127.0.0.1:5432"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.want == source.ErrAuth {
				dbtest.Postgres(t) // skips unless the server is there
			}
			cfg := config.Source{Kind: "postgres", DSN: tt.dsn, ConnectTimeout: config.Duration(2 * time.Second)}
			src, err := source.Open(ctx, "bad", cfg, source.Options{})
			if err == nil {
				src.Close()
				t.Fatal("no error")
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("error %v, want %v", err, tt.want)
			}
			for _, s := range tt.inMsg {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %q", err, s)
				}
			}
			t.Logf("error: %v", err)
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error %q leaks the password", err)
			}
		})
	}
}

// TestIntegrationForeignTable checks that a foreign table is introspected
// as one, so that the guard can refuse it: reading it reaches a file, a
// program or another server.
func TestIntegrationForeignTable(t *testing.T) {
	dsn := dbtest.Postgres(t)
	execAll(t, dsn,
		`CREATE EXTENSION file_fdw`,
		`CREATE SERVER files FOREIGN DATA WRAPPER file_fdw`,
		`CREATE FOREIGN TABLE host_name (name text) SERVER files OPTIONS (filename '/etc/hostname')`,
		`CREATE TABLE local_orders (id integer PRIMARY KEY)`,
	)
	cat, err := openSource(t, dsn).Introspect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]catalog.TableKind{}
	for _, tb := range cat.Tables {
		kinds[tb.Name] = tb.Kind
	}
	if kinds["host_name"] != catalog.KindForeign || kinds["local_orders"] != catalog.KindTable {
		t.Errorf("kinds = %v", kinds)
	}
}
