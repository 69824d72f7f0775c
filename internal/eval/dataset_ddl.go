package eval

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/askdb/askdb/internal/catalog"
)

// ddlTable is what the annotated BIRD DDL says about one table.
type ddlTable struct {
	name     string
	comment  string
	rowCount int64
	columns  []ddlColumn
}

// ddlColumn is what the annotated DDL says about one column: its
// description, the example values quoted in it, and its foreign keys.
type ddlColumn struct {
	name, dbType string
	comment      string
	samples      []string
	fks          []ddlFK
}

type ddlFK struct {
	table, column, kind string // kind: one-to-one, one-to-many, many-to-one
}

var (
	createRe  = regexp.MustCompile(`(?i)^CREATE\s+TABLE\s+("[^"]+"|` + "`[^`]+`" + `|\S+)\s*\(`)
	rowsRe    = regexp.MustCompile(`^(\d+) rows`)
	quotedRe  = regexp.MustCompile(`(?:^|[^\w'])'([^']{1,80})'`)
	fkEntryRe = regexp.MustCompile(`([\w ]+)\.("[^"]+"|[^\s(,]+)\s*\(([a-z-]+)\)`)
)

// parseAnnotatedDDL reads BIRD's annotated DDL: comment lines before
// CREATE TABLE describe the table ("N rows, primary key: …" gives the row
// count); comment lines before a column describe it, except "Stats:" lines,
// and "Foreign keys:" lines list its links.
func parseAnnotatedDDL(text string) []ddlTable {
	var out []ddlTable
	var pending []string
	var cur *ddlTable
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
		case strings.HasPrefix(line, "--"):
			pending = append(pending, strings.TrimSpace(strings.TrimPrefix(line, "--")))
		case createRe.MatchString(line):
			out = append(out, ddlTable{name: unquoteIdent(createRe.FindStringSubmatch(line)[1]), rowCount: -1})
			cur = &out[len(out)-1]
			cur.comment, cur.rowCount = tableNotes(pending)
			pending = nil
		case strings.HasPrefix(line, ")"):
			cur, pending = nil, nil
		case cur != nil:
			cur.columns = append(cur.columns, parseColumnLine(line, pending))
			pending = nil
		}
	}
	return out
}

func tableNotes(lines []string) (string, int64) {
	var notes []string
	rows := int64(-1)
	for _, l := range lines {
		if m := rowsRe.FindStringSubmatch(l); m != nil {
			rows, _ = strconv.ParseInt(m[1], 10, 64)
			continue
		}
		notes = append(notes, l)
	}
	return strings.Join(notes, " "), rows
}

func parseColumnLine(line string, notes []string) ddlColumn {
	line = strings.TrimSuffix(strings.TrimSpace(line), ",")
	name, rest := splitIdent(line)
	c := ddlColumn{name: name, dbType: strings.TrimSpace(rest)}
	var desc []string
	for _, n := range notes {
		switch {
		case strings.HasPrefix(n, "Stats:"):
		case strings.HasPrefix(n, "Foreign keys:"):
			for _, m := range fkEntryRe.FindAllStringSubmatch(strings.TrimPrefix(n, "Foreign keys:"), -1) {
				c.fks = append(c.fks, ddlFK{table: strings.TrimSpace(m[1]), column: unquoteIdent(m[2]), kind: m[3]})
			}
		default:
			desc = append(desc, n)
		}
	}
	c.comment = strings.Join(desc, " ")
	for _, m := range quotedRe.FindAllStringSubmatch(c.comment, -1) {
		c.samples = append(c.samples, m[1])
	}
	return c
}

// splitIdent splits a leading (possibly quoted) identifier from the rest.
func splitIdent(s string) (string, string) {
	if s == "" {
		return "", ""
	}
	if closeCh, ok := map[byte]byte{'"': '"', '`': '`', '[': ']'}[s[0]]; ok {
		if i := strings.IndexByte(s[1:], closeCh); i >= 0 {
			return s[1 : i+1], s[i+2:]
		}
	}
	if i := strings.IndexAny(s, " \t"); i >= 0 {
		return s[:i], s[i:]
	}
	return s, ""
}

func unquoteIdent(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '`' || s[0] == '[') {
		return s[1 : len(s)-1]
	}
	return s
}

// annotate copies comments, row counts, samples and foreign keys from the
// annotated DDL onto a catalog built from the Spider-format schema.
func annotate(cat *catalog.Catalog, tables []ddlTable) {
	for _, dt := range tables {
		t, ok := cat.Table(dt.name)
		if !ok {
			continue
		}
		t.Comment, t.RowCount = dt.comment, dt.rowCount
		for _, dc := range dt.columns {
			c, ok := t.Column(dc.name)
			if !ok {
				continue
			}
			c.Comment, c.Samples = dc.comment, dc.samples
			for _, fk := range dc.fks {
				addAnnotatedFK(cat, t, c.Name, fk)
			}
		}
	}
}

// addAnnotatedFK records a link in its direction: "many-to-one" and
// "one-to-one" mean this column refers to the other, "one-to-many" that the
// other refers to this one.
func addAnnotatedFK(cat *catalog.Catalog, t *catalog.Table, col string, fk ddlFK) {
	other, ok := cat.Table(fk.table)
	if !ok {
		return
	}
	oc, ok := other.Column(fk.column)
	if !ok {
		return
	}
	if fk.kind == "one-to-many" {
		addFK(other, oc.Name, t.Name, col)
		return
	}
	if fk.kind == "one-to-one" && hasFK(other, oc.Name, t.Name) {
		return // already recorded from the other side
	}
	addFK(t, col, other.Name, oc.Name)
}

func hasFK(t *catalog.Table, col, refTable string) bool {
	for _, fk := range t.ForeignKeys {
		if len(fk.Columns) == 1 && strings.EqualFold(fk.Columns[0], col) && strings.EqualFold(fk.RefTable, refTable) {
			return true
		}
	}
	return false
}
