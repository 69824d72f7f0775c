package sample

import (
	"strconv"
	"time"
)

// Options decide the generated data: it depends only on Seed and on the
// calendar date of Today.
type Options struct {
	Seed  int64
	Today time.Time
}

// DefaultOptions returns seed 1 and now's date (UTC).
func DefaultOptions(now time.Time) Options {
	return Options{Seed: 1, Today: dateOf(now.UTC())}
}

// Tables returns the sample's table names in creation order (parents first).
func Tables() []string {
	out := make([]string, len(schema))
	for i, t := range schema {
		out[i] = t.name
	}
	return out
}

// Cents is an exact decimal with two fractional digits (money, hours),
// stored as hundredths.
type Cents int64

// String renders c as an exact decimal, e.g. "123.45" or "-0.05".
func (c Cents) String() string {
	sign, v := "", int64(c)
	if v < 0 {
		sign, v = "-", -v
	}
	frac := strconv.FormatInt(v%100, 10)
	if len(frac) == 1 {
		frac = "0" + frac
	}
	return sign + strconv.FormatInt(v/100, 10) + "." + frac
}

// Customer is a row of customers. City is nil when unknown.
type Customer struct {
	ID         int64
	Name       string
	Email      string
	Country    string
	City       *string
	Segment    string
	SignupDate time.Time
}

// Product is a row of products.
type Product struct {
	ID       int64
	Name     string
	Category string
	Price    Cents
	Active   bool
}

// Order is a row of orders; Total is the sum of its items.
type Order struct {
	ID         int64
	CustomerID int64
	OrderDate  time.Time
	Status     string
	Total      Cents
}

// OrderItem is a row of order_items.
type OrderItem struct {
	OrderID   int64
	LineNo    int64
	ProductID int64
	Quantity  int64
	UnitPrice Cents
}

// Department is a row of departments.
type Department struct {
	ID       int64
	Name     string
	Location string
	Budget   Cents
}

// Employee is a row of employees. ManagerID is nil for the chief executive.
type Employee struct {
	ID           int64
	FirstName    string
	LastName     string
	Email        string
	DepartmentID int64
	ManagerID    *int64
	JobTitle     string
	HireDate     time.Time
	BirthDate    time.Time
	Salary       Cents
	Active       bool
}

// Project is a row of projects. EndDate is nil while a project is open.
type Project struct {
	ID           int64
	Title        string
	DepartmentID int64
	StartDate    time.Time
	EndDate      *time.Time
	Budget       Cents
	Status       string
}

// ProjectMember is a row of project_members.
type ProjectMember struct {
	ProjectID  int64
	EmployeeID int64
	Role       string
	JoinedDate time.Time
}

// Timesheet is a row of timesheets.
type Timesheet struct {
	ID         int64
	ProjectID  int64
	EmployeeID int64
	WeekStart  time.Time
	Hours      Cents
}

// Data is one generated sample.
type Data struct {
	Today          time.Time
	Customers      []Customer
	Products       []Product
	Orders         []Order
	OrderItems     []OrderItem
	Departments    []Department
	Employees      []Employee
	Projects       []Project
	ProjectMembers []ProjectMember
	Timesheets     []Timesheet
}

// RowCounts returns the number of rows of every table.
func (d *Data) RowCounts() map[string]int {
	out := map[string]int{}
	for _, t := range schema {
		_, rows := d.Table(t.name)
		out[t.name] = len(rows)
	}
	return out
}

// Table returns a table's column names and rows, with values as int64,
// string, Cents, bool, time.Time (a date at UTC midnight) or nil. It
// returns nil slices for an unknown table.
func (d *Data) Table(name string) (columns []string, rows [][]any) {
	for _, t := range schema {
		if t.name == name {
			columns = make([]string, len(t.cols))
			for i, c := range t.cols {
				columns[i] = c.name
			}
			return columns, d.rows(name)
		}
	}
	return nil, nil
}

func (d *Data) rows(name string) [][]any {
	var out [][]any
	switch name {
	case "customers":
		for _, c := range d.Customers {
			out = append(out, []any{c.ID, c.Name, c.Email, c.Country, strPtr(c.City), c.Segment, c.SignupDate})
		}
	case "products":
		for _, p := range d.Products {
			out = append(out, []any{p.ID, p.Name, p.Category, p.Price, p.Active})
		}
	case "orders":
		for _, o := range d.Orders {
			out = append(out, []any{o.ID, o.CustomerID, o.OrderDate, o.Status, o.Total})
		}
	case "order_items":
		for _, i := range d.OrderItems {
			out = append(out, []any{i.OrderID, i.LineNo, i.ProductID, i.Quantity, i.UnitPrice})
		}
	case "departments":
		for _, x := range d.Departments {
			out = append(out, []any{x.ID, x.Name, x.Location, x.Budget})
		}
	case "employees":
		for _, e := range d.Employees {
			var mgr any
			if e.ManagerID != nil {
				mgr = *e.ManagerID
			}
			out = append(out, []any{e.ID, e.FirstName, e.LastName, e.Email, e.DepartmentID, mgr, e.JobTitle,
				e.HireDate, e.BirthDate, e.Salary, e.Active})
		}
	case "projects":
		for _, p := range d.Projects {
			var end any
			if p.EndDate != nil {
				end = *p.EndDate
			}
			out = append(out, []any{p.ID, p.Title, p.DepartmentID, p.StartDate, end, p.Budget, p.Status})
		}
	case "project_members":
		for _, m := range d.ProjectMembers {
			out = append(out, []any{m.ProjectID, m.EmployeeID, m.Role, m.JoinedDate})
		}
	case "timesheets":
		for _, t := range d.Timesheets {
			out = append(out, []any{t.ID, t.ProjectID, t.EmployeeID, t.WeekStart, t.Hours})
		}
	}
	return out
}

func strPtr(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
