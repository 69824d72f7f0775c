package sample

import (
	"fmt"
	"strings"

	"github.com/askdb/askdb/internal/catalog"
)

type colType int

const (
	tInt colType = iota
	tText
	tDecimal
	tDate
	tBool
)

type column struct {
	name    string
	typ     colType
	size    int // VARCHAR length or DECIMAL precision
	notNull bool
	def     string // SQL literal, "" for none
	comment string
}

type foreignKey struct {
	cols    []string
	ref     string
	refCols []string
}

type table struct {
	name    string
	comment string
	cols    []column
	pk      []string
	fks     []foreignKey
}

func idCol(name, comment string) column {
	return column{name: name, typ: tInt, notNull: true, comment: comment}
}

func text(name string, size int, notNull bool, comment string) column {
	return column{name: name, typ: tText, size: size, notNull: notNull, comment: comment}
}

func money(name string, precision int, comment string) column {
	return column{name: name, typ: tDecimal, size: precision, notNull: true, comment: comment}
}

func date(name string, notNull bool, comment string) column {
	return column{name: name, typ: tDate, notNull: notNull, comment: comment}
}

func fk(cols, ref string, refCols string) foreignKey {
	return foreignKey{cols: strings.Split(cols, ","), ref: ref, refCols: strings.Split(refCols, ",")}
}

// schema lists the tables parents first; comments avoid quotes so they
// render unchanged in every dialect.
var schema = []table{
	{name: "customers", comment: "People and companies that buy from the shop", pk: []string{"customer_id"}, cols: []column{
		idCol("customer_id", "Unique customer number"),
		text("name", 120, true, "Full name of a person or company name"),
		text("email", 160, true, "Contact e-mail address"),
		text("country", 60, true, "Country of the billing address"),
		text("city", 80, false, "City of the billing address; NULL when unknown"),
		text("segment", 30, true, "Customer segment: Consumer, Corporate or Small Business"),
		date("signup_date", true, "Day the customer created an account"),
	}},
	{name: "products", comment: "Products for sale in the catalogue", pk: []string{"product_id"}, cols: []column{
		idCol("product_id", "Unique product number"),
		text("name", 120, true, "Product name"),
		text("category", 60, true, "Product category"),
		money("price", 10, "Current list price in EUR"),
		{name: "active", typ: tBool, notNull: true, def: "TRUE", comment: "Whether the product can still be ordered"},
	}},
	{name: "orders", comment: "Customer orders, one row per order", pk: []string{"order_id"},
		fks: []foreignKey{fk("customer_id", "customers", "customer_id")}, cols: []column{
			idCol("order_id", "Unique order number"),
			idCol("customer_id", "Customer who placed the order"),
			date("order_date", true, "Day the order was placed"),
			{name: "status", typ: tText, size: 20, notNull: true, def: "'pending'",
				comment: "Order status: pending, shipped, delivered, cancelled or returned"},
			money("total", 12, "Order total in EUR, the sum of its items"),
		}},
	{name: "order_items", comment: "Lines of an order", pk: []string{"order_id", "line_no"},
		fks: []foreignKey{fk("order_id", "orders", "order_id"), fk("product_id", "products", "product_id")}, cols: []column{
			idCol("order_id", "Order the line belongs to"),
			idCol("line_no", "Line number within the order, from 1"),
			idCol("product_id", "Product ordered"),
			{name: "quantity", typ: tInt, notNull: true, def: "1", comment: "Number of units"},
			money("unit_price", 10, "Price per unit in EUR when ordered"),
		}},
	{name: "departments", comment: "Company departments", pk: []string{"department_id"}, cols: []column{
		idCol("department_id", "Unique department number"),
		text("name", 80, true, "Department name"),
		text("location", 80, true, "City where the department sits"),
		money("budget", 14, "Yearly budget in EUR"),
	}},
	{name: "employees", comment: "Staff, past and present", pk: []string{"employee_id"},
		fks: []foreignKey{fk("department_id", "departments", "department_id"), fk("manager_id", "employees", "employee_id")},
		cols: []column{
			idCol("employee_id", "Unique employee number"),
			text("first_name", 60, true, "Given name"),
			text("last_name", 60, true, "Family name"),
			text("email", 160, true, "Work e-mail address"),
			idCol("department_id", "Department the employee works in"),
			{name: "manager_id", typ: tInt, comment: "Employee this one reports to; NULL for the chief executive"},
			text("job_title", 80, true, "Job title"),
			date("hire_date", true, "Day the employee was hired"),
			date("birth_date", true, "Date of birth"),
			money("salary", 10, "Yearly gross salary in EUR"),
			{name: "active", typ: tBool, notNull: true, def: "TRUE", comment: "Whether the employee still works here"},
		}},
	{name: "projects", comment: "Research projects", pk: []string{"project_id"},
		fks: []foreignKey{fk("department_id", "departments", "department_id")}, cols: []column{
			idCol("project_id", "Unique project number"),
			text("title", 160, true, "Project title"),
			idCol("department_id", "Department that runs the project"),
			date("start_date", true, "Day the project started or will start"),
			date("end_date", false, "Day the project ended; NULL while it is open"),
			money("budget", 14, "Total budget in EUR"),
			text("status", 20, true, "Project status: planned, active, on hold, completed or cancelled"),
		}},
	{name: "project_members", comment: "Employees working on a project and their role", pk: []string{"project_id", "employee_id"},
		fks: []foreignKey{fk("project_id", "projects", "project_id"), fk("employee_id", "employees", "employee_id")},
		cols: []column{
			idCol("project_id", "Project"),
			idCol("employee_id", "Employee on the project"),
			text("role", 40, true, "Role: principal investigator, co-investigator or research assistant"),
			date("joined_date", true, "Day the employee joined the project"),
		}},
	{name: "timesheets", comment: "Hours a project member booked per week", pk: []string{"timesheet_id"},
		fks: []foreignKey{fk("project_id,employee_id", "project_members", "project_id,employee_id")}, cols: []column{
			idCol("timesheet_id", "Unique timesheet number"),
			idCol("project_id", "Project the hours were booked on"),
			idCol("employee_id", "Employee who booked the hours"),
			date("week_start", true, "Monday of the booked week"),
			{name: "hours", typ: tDecimal, size: 5, notNull: true, comment: "Hours worked that week"},
		}},
}

func (c column) sqlType(d catalog.Dialect) string {
	switch c.typ {
	case tInt:
		return "INTEGER"
	case tText:
		return fmt.Sprintf("VARCHAR(%d)", c.size)
	case tDecimal:
		return fmt.Sprintf("DECIMAL(%d,2)", c.size)
	case tDate:
		return "DATE"
	}
	return "BOOLEAN"
}

func (c column) definition(d catalog.Dialect) string {
	var b strings.Builder
	b.WriteString(c.name + " " + c.sqlType(d))
	if c.notNull {
		b.WriteString(" NOT NULL")
	}
	if c.def != "" {
		b.WriteString(" DEFAULT " + c.def)
	}
	if d == catalog.MySQL && c.comment != "" {
		b.WriteString(" COMMENT " + quote(c.comment, d))
	}
	return b.String()
}

// createStatements renders the DDL for t. SQLite keeps comments as "--"
// comments inside CREATE TABLE (it stores the text verbatim in
// sqlite_schema); the table comment sits on the opening line.
func (t table) createStatements(d catalog.Dialect) []string {
	var b strings.Builder
	b.WriteString("CREATE TABLE " + t.name + " (")
	if d == catalog.SQLite {
		b.WriteString(" -- " + t.comment)
	}
	b.WriteString("\n")
	for _, c := range t.cols {
		b.WriteString("  " + c.definition(d) + ",")
		if d == catalog.SQLite && c.comment != "" {
			b.WriteString(" -- " + c.comment)
		}
		b.WriteString("\n")
	}
	b.WriteString("  PRIMARY KEY (" + strings.Join(t.pk, ", ") + ")")
	for i, f := range t.fks {
		fmt.Fprintf(&b, ",\n  CONSTRAINT fk_%s_%d FOREIGN KEY (%s) REFERENCES %s (%s)",
			t.name, i+1, strings.Join(f.cols, ", "), f.ref, strings.Join(f.refCols, ", "))
	}
	b.WriteString("\n)")
	if d == catalog.MySQL {
		b.WriteString(" ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT=" + quote(t.comment, d))
	}
	stmts := []string{b.String()}
	if d == catalog.Postgres || d == catalog.DuckDB {
		stmts = append(stmts, fmt.Sprintf("COMMENT ON TABLE %s IS %s", t.name, quote(t.comment, d)))
		for _, c := range t.cols {
			stmts = append(stmts, fmt.Sprintf("COMMENT ON COLUMN %s.%s IS %s", t.name, c.name, quote(c.comment, d)))
		}
	}
	return stmts
}

// quote renders s as a string literal. MySQL's default sql_mode treats a
// backslash as an escape, so it is doubled there.
func quote(s string, d catalog.Dialect) string {
	s = strings.ReplaceAll(s, "'", "''")
	if d == catalog.MySQL {
		s = strings.ReplaceAll(s, `\`, `\\`)
	}
	return "'" + s + "'"
}

// Comment returns the comment of a sample table (column "") or of one of
// its columns, as Load writes it; "" when there is none.
func Comment(table, column string) string {
	for _, t := range schema {
		if t.name != table {
			continue
		}
		if column == "" {
			return t.comment
		}
		for _, c := range t.cols {
			if c.name == column {
				return c.comment
			}
		}
	}
	return ""
}
