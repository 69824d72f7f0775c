package sample

import (
	"math"
	"strings"
	"time"
)

func (g *generator) departments() {
	for i, d := range departments {
		g.d.Departments = append(g.d.Departments, Department{
			ID: int64(i + 1), Name: d.name, Location: d.location, Budget: Cents(d.budget * 100),
		})
	}
}

// employees builds a reporting tree: the chief executive (1), a head for
// every other department (reporting to 1), then staff who report to an
// earlier colleague in their department, so manager_id < employee_id.
func (g *generator) employees() {
	first := time.Date(1978, 1, 1, 0, 0, 0, 0, time.UTC)
	last := time.Date(g.today.Year()-1, 12, 31, 0, 0, 0, 0, time.UTC)
	span := last.Sub(first).Hours() / 24
	emails := map[string]bool{}
	byDept := map[int64][]int64{}
	for i := range numEmployees {
		id := int64(i + 1)
		deptID, title, salary := g.role(i)
		// Hiring picks up over the years: about one in ten joined before 1990.
		hire := first.AddDate(0, 0, int(span*math.Pow(g.r.Float64(), 0.6)))
		if i == 0 {
			hire = time.Date(1978, 3, 1, 0, 0, 0, 0, time.UTC)
		}
		birth := hire.AddDate(-(21 + g.r.IntN(25)), 0, -g.r.IntN(365))
		c := g.country()
		fn, ln := g.pick(c.first), g.pick(c.last)
		e := Employee{
			ID: id, FirstName: fn, LastName: ln, DepartmentID: deptID, JobTitle: title,
			HireDate: hire, BirthDate: birth, Salary: salary, Active: true,
		}
		local := asciiLocal(fn) + "." + asciiLocal(ln)
		if c.name == "China" {
			local = "staff"
		}
		e.Email = strings.Replace(uniqueEmail(emails, local, id, "com"), "@example.com", "@askdb-sample.com", 1)
		if age := g.today.Year() - birth.Year(); age >= 67 || (i > 0 && g.chance(0.07)) {
			e.Active = false
		}
		if i > 0 {
			var mgr int64 = 1
			if peers := byDept[deptID]; len(peers) > 0 && i >= len(departments) {
				mgr = peers[g.r.IntN(len(peers))]
			}
			e.ManagerID = &mgr
		}
		byDept[deptID] = append(byDept[deptID], id)
		g.d.Employees = append(g.d.Employees, e)
	}
}

// role returns the department, title and salary of the i-th employee.
func (g *generator) role(i int) (int64, string, Cents) {
	if i == 0 {
		return 1, "Chief Executive Officer", 32000000
	}
	if i < len(departments) {
		return int64(i + 1), "Head of " + departments[i].name, Cents(int64(14000000 + g.r.IntN(60000)*100))
	}
	total := 0
	for _, d := range departments {
		total += d.weight
	}
	n := g.r.IntN(total)
	k := 0
	for n >= departments[k].weight {
		n -= departments[k].weight
		k++
	}
	title := g.pick(departments[k].titles)
	base := 3800000 + g.r.IntN(5000000)
	if strings.Contains(title, "Senior") || strings.Contains(title, "Staff") || strings.Contains(title, "Lead") {
		base += 2000000
	}
	return int64(k + 1), title, Cents(int64(base) / 100 * 100)
}

func (g *generator) projects() {
	seen := map[string]bool{}
	for i := range numProjects {
		var title string
		for title == "" || seen[title] {
			title = g.pick(projectTopics) + " " + g.pick(projectScopes)
		}
		seen[title] = true
		dept := int64(7) // Research
		if u := g.r.Float64(); u >= 0.5 && u < 0.8 {
			dept = 2 // Engineering
		} else if u >= 0.8 {
			dept = int64(1 + g.r.IntN(len(departments)))
		}
		p := Project{ID: int64(i + 1), Title: title, DepartmentID: dept,
			Budget: Cents(int64(50000+g.r.IntN(1950000)) * 100)}
		g.schedule(&p)
		g.d.Projects = append(g.d.Projects, p)
		g.members(p)
	}
}

// schedule sets a project's dates and its status, which follows from them.
func (g *generator) schedule(p *Project) {
	p.StartDate = g.between(g.today.AddDate(-6, 0, 0), g.today.AddDate(0, 3, 0))
	switch end := p.StartDate.AddDate(0, 6+g.r.IntN(36), 0); {
	case p.StartDate.After(g.today):
		p.Status = "planned"
	case end.Before(g.today):
		p.Status = "completed"
		if g.chance(0.12) {
			p.Status = "cancelled"
		}
		p.EndDate = &end
	default:
		p.Status = "active"
		if g.chance(0.12) {
			p.Status = "on hold"
		}
	}
}

func (g *generator) members(p Project) {
	n := 3 + g.r.IntN(6)
	used := map[int64]bool{}
	for k := range n {
		var e Employee
		for e.ID == 0 || used[e.ID] {
			e = g.d.Employees[g.r.IntN(len(g.d.Employees))]
			if e.DepartmentID != p.DepartmentID && g.chance(0.6) {
				e = Employee{}
			}
		}
		used[e.ID] = true
		role := "research assistant"
		switch {
		case k == 0:
			role = "principal investigator"
		case k <= 1+g.r.IntN(2):
			role = "co-investigator"
		}
		joined := p.StartDate.AddDate(0, 0, g.r.IntN(60))
		if joined.After(g.today) {
			joined = g.today.AddDate(0, 0, -1-g.r.IntN(20))
		}
		g.d.ProjectMembers = append(g.d.ProjectMembers, ProjectMember{
			ProjectID: p.ID, EmployeeID: e.ID, Role: role, JoinedDate: joined,
		})
	}
}

// timesheets books weekly hours for members of open projects over the
// last 16 weeks.
func (g *generator) timesheets() {
	monday := g.today.AddDate(0, 0, -(int(g.today.Weekday())+6)%7)
	for _, m := range g.d.ProjectMembers {
		p := g.d.Projects[m.ProjectID-1]
		if p.Status != "active" && p.Status != "on hold" {
			continue
		}
		for w := 16; w >= 1; w-- {
			week := monday.AddDate(0, 0, -7*w)
			if week.Before(m.JoinedDate) || week.Before(p.StartDate) || !g.chance(0.75) {
				continue
			}
			quarters := 8 + g.r.IntN(121) // 2 to 32 hours
			if m.Role == "research assistant" {
				quarters += 32
			}
			g.d.Timesheets = append(g.d.Timesheets, Timesheet{
				ID: int64(len(g.d.Timesheets) + 1), ProjectID: m.ProjectID, EmployeeID: m.EmployeeID,
				WeekStart: week, Hours: Cents(int64(quarters) * 25),
			})
		}
	}
}
