package catalog

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func testCatalog() *Catalog {
	def := "0"
	return &Catalog{Source: "s", Dialect: Postgres, Tables: []Table{
		{Schema: "staff", Name: "employees", Kind: KindTable, Comment: "People on the payroll", RowCount: 300,
			Columns: []Column{
				{Name: "employee_id", DBType: "integer", Type: TypeInteger},
				{Name: "department_id", DBType: "integer", Type: TypeInteger, Nullable: true},
				{Name: "salary", DBType: "numeric(10,2)", Type: TypeDecimal, Default: &def, Comment: "Yearly,\n gross"},
				{Name: "country", DBType: "text", Type: TypeText, Nullable: true, Samples: []string{"Germany", "O'Hara", "USA"}},
			},
			PrimaryKey:  []string{"employee_id"},
			ForeignKeys: []ForeignKey{{Columns: []string{"department_id"}, RefSchema: "staff", RefTable: "departments", RefColumns: []string{"department_id"}}},
		},
		{Schema: "research", Name: "projects", Kind: KindView, RowCount: -1, Columns: []Column{{Name: "title", DBType: "text", Type: TypeText}}},
		{Schema: "sales", Name: "employees", Kind: KindTable, RowCount: -1},
	}}
}

func TestDDL(t *testing.T) {
	got := testCatalog().DDL(DDLOptions{Tables: []string{"staff.employees", "projects"}, MaxSamples: 2})
	want := `CREATE TABLE staff.employees ( -- People on the payroll; ~300 rows
  employee_id integer NOT NULL,
  department_id integer,
  salary numeric(10,2) NOT NULL, -- Yearly, gross
  country text, -- e.g. 'Germany', 'O''Hara'
  PRIMARY KEY (employee_id),
  FOREIGN KEY (department_id) REFERENCES staff.departments(department_id)
);

CREATE VIEW research.projects (
  title text NOT NULL
);
`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("DDL (-want +got):\n%s", diff)
	}
}

func TestTableLookup(t *testing.T) {
	c := testCatalog()
	if tb, ok := c.Table("RESEARCH.Projects"); !ok || tb.Name != "projects" {
		t.Errorf("qualified, case-insensitive lookup failed: %v %v", tb, ok)
	}
	if _, ok := c.Table("employees"); ok {
		t.Error("bare name present in two schemas must be ambiguous")
	}
	if _, ok := c.Table("projects"); !ok {
		t.Error("unambiguous bare name not found")
	}
	if got := c.Schemas(); !cmp.Equal(got, []string{"research", "sales", "staff"}) {
		t.Errorf("Schemas = %v", got)
	}
	if col, ok := c.Tables[0].Column("SALARY"); !ok || col.Type != TypeDecimal {
		t.Errorf("Column lookup = %v %v", col, ok)
	}
}

func TestNormalizeType(t *testing.T) {
	tests := map[string]Type{
		"INTEGER": TypeInteger, "bigint unsigned": TypeInteger, "int(11)": TypeInteger, "tinyint(1)": TypeInteger,
		"numeric(10,2)": TypeDecimal, "DECIMAL(12, 2)": TypeDecimal, "double precision": TypeFloat, "REAL": TypeFloat,
		"character varying(255)": TypeText, "VARCHAR(20)": TypeText, "longtext": TypeText, "NVARCHAR(10)": TypeText,
		"date": TypeDate, "timestamp with time zone": TypeTimestamp, "DATETIME": TypeTimestamp, "timestamp(6) without time zone": TypeTimestamp, "time(3) without time zone": TypeTime, "numeric(": TypeDecimal,
		"bytea": TypeBytes, "BLOB": TypeBytes, "jsonb": TypeJSON, "uuid": TypeUUID, "boolean": TypeBoolean,
		"integer[]": TypeOther, "": TypeOther, "UNSIGNED BIG INT": TypeInteger, "interval": TypeOther,
	}
	for in, want := range tests {
		if got := NormalizeType(in); got != want {
			t.Errorf("NormalizeType(%q) = %q, want %q", in, got, want)
		}
	}
	if !strings.Contains(string(TypeDecimal), "decimal") || !TypeDecimal.IsNumeric() || !TypeDate.IsTemporal() {
		t.Error("type predicates")
	}
}

func TestParseDialect(t *testing.T) {
	for in, want := range map[string]Dialect{"PostgreSQL": Postgres, "redshift": Postgres, "mariadb": MySQL, "sqlite3": SQLite, "duckdb": DuckDB} {
		if got, ok := ParseDialect(in); !ok || got != want {
			t.Errorf("ParseDialect(%q) = %q, %v", in, got, ok)
		}
	}
	if _, ok := ParseDialect("oracle"); ok {
		t.Error("oracle must be unknown")
	}
}
