package knowledge

import (
	"context"
	"fmt"
	"strings"

	"github.com/askdb/askdb/internal/catalog"
)

// Problem is one thing in the knowledge files that does not hold against
// the live database.
type Problem struct {
	Pos Pos `json:"pos"`
	// Subject names what is wrong: `table "orders"`, `metric "revenue" (sales)`.
	Subject string `json:"subject"`
	Message string `json:"message"`
}

// String is "file:line: subject: message".
func (p Problem) String() string {
	return p.Pos.String() + ": " + p.Subject + ": " + p.Message
}

// Verifier proves that sql is acceptable to run: the CLI passes a function
// that runs the SQL guard and the engine's EXPLAIN.
type Verifier func(ctx context.Context, sql string) error

// Check validates every table, column, domain, metric and example of k
// against cat, and runs each metric (as Metric.Query) and example SQL
// through verify when it is not nil. It returns the problems in file
// order; none means the knowledge matches the database. It stops early
// when ctx is done.
func Check(ctx context.Context, k *Knowledge, cat *catalog.Catalog, verify Verifier) []Problem {
	c := checker{cat: cat}
	for _, key := range k.order {
		c.table(k.tables[key])
	}
	for _, d := range k.domains {
		for _, t := range d.Tables {
			c.needTable(d.Pos, fmt.Sprintf("domain %q", d.Name), t)
		}
	}
	for _, m := range k.metrics {
		if ctx.Err() != nil {
			break
		}
		c.metric(ctx, m, verify)
	}
	for i, e := range k.exams {
		if ctx.Err() != nil {
			break
		}
		if verify != nil && e.SQL != "" {
			if err := verify(ctx, e.SQL); err != nil {
				c.add(e.Pos, fmt.Sprintf("example %d (%q)", i+1, e.Question), "the SQL does not verify: "+oneLine(err))
			}
		}
	}
	if err := ctx.Err(); err != nil {
		c.add(Pos{}, "check", "stopped: "+err.Error())
	}
	return c.problems
}

type checker struct {
	cat      *catalog.Catalog
	problems []Problem
}

func (c *checker) add(p Pos, subject, msg string) {
	c.problems = append(c.problems, Problem{Pos: p, Subject: subject, Message: msg})
}

func (c *checker) table(t *Table) {
	subject := fmt.Sprintf("table %q", t.Name)
	ct, ok := c.cat.Table(t.Name)
	if !ok {
		c.add(t.Pos, subject, fmt.Sprintf("no such table in source %q", c.cat.Source))
		return
	}
	for _, col := range t.Columns {
		if _, ok := ct.Column(col.Name); !ok {
			c.add(col.Pos, fmt.Sprintf("column %q", t.Name+"."+col.Name), fmt.Sprintf("no such column in table %q (columns: %s)", ct.Name, columnNames(ct)))
		}
	}
}

func (c *checker) needTable(p Pos, subject, name string) (*catalog.Table, bool) {
	t, ok := c.cat.Table(name)
	if !ok {
		c.add(p, subject, fmt.Sprintf("table %q is not in source %q", name, c.cat.Source))
	}
	return t, ok
}

func (c *checker) needColumn(p Pos, subject, ref string) {
	i := strings.LastIndexByte(ref, '.')
	if i < 0 {
		c.add(p, subject, fmt.Sprintf("column %q must be written as table.column", ref))
		return
	}
	t, ok := c.needTable(p, subject, ref[:i])
	if !ok {
		return
	}
	if _, ok := t.Column(ref[i+1:]); !ok {
		c.add(p, subject, fmt.Sprintf("column %q is not in table %q (columns: %s)", ref[i+1:], t.Name, columnNames(t)))
	}
}

func (c *checker) metric(ctx context.Context, m Metric, verify Verifier) {
	subject := fmt.Sprintf("metric %q", m.Name)
	if m.Domain != "" {
		subject += fmt.Sprintf(" (%s)", m.Domain)
	}
	ok := true
	for _, t := range m.Tables {
		if _, found := c.needTable(m.Pos, subject, t); !found {
			ok = false
		}
	}
	if m.TimeColumn != "" {
		c.needColumn(m.Pos, subject, m.TimeColumn)
	}
	if !ok || verify == nil || m.SQL == "" || m.FromClause() == "" {
		return
	}
	if err := verify(ctx, m.Query()); err != nil {
		c.add(m.Pos, subject, "the metric query does not verify: "+oneLine(err)+"\n    query: "+m.Query())
	}
}

func columnNames(t *catalog.Table) string {
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = c.Name
	}
	return strings.Join(names, ", ")
}

func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}
