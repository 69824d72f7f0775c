package eval

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/sqlguard"
)

// promptGoldSet is what a gold query needs from a prompt, resolved against
// the catalog from the guard's parse of it.
type promptGoldSet struct {
	tables  []*catalog.Table
	columns []goldColumn
	values  []goldValue
}

type goldColumn struct {
	table *catalog.Table
	col   *catalog.Column
}

type goldValue struct {
	goldColumn
	lit sqlguard.Literal
}

// promptGold resolves the tables, columns and compared constants of sql
// against cat: aliases and table names qualify columns; a bare column
// belongs to the first table read that has it; a constant counts when its
// column resolves (a double-quoted name only when no column has it).
func promptGold(cat *catalog.Catalog, sql string) (promptGoldSet, error) {
	refs, err := sqlguard.References(sql, cat.Dialect)
	if err != nil {
		return promptGoldSet{}, err
	}
	var g promptGoldSet
	byName := map[string]*catalog.Table{}
	for _, r := range refs.Tables {
		t, ok := cat.Table(r.Name)
		if !ok {
			continue
		}
		if byName[strings.ToLower(t.Name)] == nil {
			g.tables = append(g.tables, t)
		}
		byName[strings.ToLower(t.Name)] = t
		if r.Alias != "" {
			byName[strings.ToLower(r.Alias)] = t
		}
	}
	resolve := func(c sqlguard.ColumnRef) (goldColumn, bool) {
		if c.Qualifier != "" {
			if t := byName[strings.ToLower(c.Qualifier)]; t != nil {
				if col, ok := t.Column(c.Name); ok {
					return goldColumn{t, col}, true
				}
			}
			return goldColumn{}, false
		}
		for _, t := range g.tables {
			if col, ok := t.Column(c.Name); ok {
				return goldColumn{t, col}, true
			}
		}
		return goldColumn{}, false
	}
	seen := map[goldColumn]bool{}
	for _, c := range refs.Columns {
		if gc, ok := resolve(c); ok && !seen[gc] {
			seen[gc] = true
			g.columns = append(g.columns, gc)
		}
	}
	seenValue := map[string]bool{}
	for _, l := range refs.Literals {
		if l.Quoted {
			if _, isColumn := resolve(sqlguard.ColumnRef{Name: l.Value}); isColumn {
				continue
			}
		}
		gc, ok := resolve(l.Column)
		if !ok {
			continue
		}
		key := gc.table.Name + "." + gc.col.Name + "=" + l.Value
		if seenValue[key] {
			continue
		}
		seenValue[key] = true
		g.values = append(g.values, goldValue{gc, l})
	}
	return g, nil
}

// promptScore is how one prompt fares against its gold.
type promptScore struct {
	tableRecall, columnRecall  float64
	strHit, strN, numHit, numN int
	heldHit, heldN             int
	example, hasExample        bool
	tokens, schemaTokens       int
	missing                    []string
}

// scorePrompt looks for each gold table's CREATE TABLE block in the
// prompt, each gold column's line in its block, and each gold value on
// its column's line (the DDL's "-- e.g. 'x', …" comment).
func scorePrompt(g promptGoldSet, prompt string) promptScore {
	var s promptScore
	hits := 0
	for _, t := range g.tables {
		if _, ok := tableBlock(prompt, t); ok {
			hits++
		} else {
			s.missing = append(s.missing, "table "+t.Name)
		}
	}
	s.tableRecall = float64(hits) / float64(len(g.tables))
	s.columnRecall = 1
	if len(g.columns) > 0 {
		colHits := 0
		for _, c := range g.columns {
			if _, ok := columnLine(prompt, c); ok {
				colHits++
			} else {
				s.missing = append(s.missing, "column "+c.table.Name+"."+c.col.Name)
			}
		}
		s.columnRecall = float64(colHits) / float64(len(g.columns))
	}
	for _, v := range g.values {
		line, _ := columnLine(prompt, v.goldColumn)
		ok := valueShown(commentOf(line), v.lit)
		if v.lit.Number {
			s.numN++
			s.numHit += b2i(ok)
		} else {
			s.strN++
			s.strHit += b2i(ok)
		}
		if held(v) {
			s.heldN++
			s.heldHit += b2i(ok)
		}
		if !ok {
			s.missing = append(s.missing, "value "+v.table.Name+"."+v.col.Name+" "+strconv.Quote(v.lit.Value))
		}
	}
	return s
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// held reports whether the catalog knows the gold constant as a value of
// its column: one of the column's samples is it (or matches its pattern).
func held(v goldValue) bool {
	for _, sample := range v.col.Samples {
		quoted := "'" + strings.ReplaceAll(sample, "'", "''") + "'"
		if valueShown(quoted, v.lit) {
			return true
		}
	}
	return false
}

// tableBlock returns the lines of t's CREATE TABLE (or VIEW) in prompt.
func tableBlock(prompt string, t *catalog.Table) ([]string, bool) {
	for _, kw := range []string{"CREATE TABLE ", "CREATE VIEW "} {
		i := strings.Index(prompt, "\n"+kw+t.QualifiedName()+" (")
		if i < 0 {
			continue
		}
		body := prompt[i+1:]
		if end := strings.Index(body, "\n);"); end >= 0 {
			body = body[:end]
		}
		return strings.Split(body, "\n")[1:], true
	}
	return nil, false
}

// columnLine returns the DDL line of a column ("  name TYPE … -- note").
func columnLine(prompt string, c goldColumn) (string, bool) {
	lines, ok := tableBlock(prompt, c.table)
	if !ok {
		return "", false
	}
	head := "  " + c.col.Name + " " + c.col.DBType
	for _, l := range lines {
		if rest, ok := strings.CutPrefix(l, head); ok && (rest == "" || rest[0] == ' ' || rest[0] == ',') {
			return l, true
		}
	}
	return "", false
}

func commentOf(line string) string {
	if _, c, ok := strings.Cut(line, " -- "); ok {
		return c
	}
	return ""
}

// valueShown reports whether a column's comment shows a gold constant: a
// string as the DDL quotes samples; a LIKE or GLOB pattern's fixed parts,
// ignoring case; a number as a sample or a token, or inside a range the
// comment states ("1..100", "1 to 100", "1–100").
func valueShown(comment string, l sqlguard.Literal) bool {
	switch {
	case comment == "":
		return false
	case l.Pattern:
		low := strings.ToLower(comment)
		found := false
		for _, part := range strings.FieldsFunc(strings.ToLower(l.Value), func(r rune) bool { return r == '%' || r == '_' || r == '*' || r == '?' }) {
			if !strings.Contains(low, part) {
				return false
			}
			found = true
		}
		return found
	case l.Number:
		return numberShown(comment, l.Value)
	}
	return strings.Contains(comment, "'"+strings.ReplaceAll(l.Value, "'", "''")+"'")
}

var (
	numberToken = regexp.MustCompile(`-?\d+(?:\.\d+)?`)
	numberRange = regexp.MustCompile(`(-?\d+(?:\.\d+)?)\s*(?:\.\.|–|—| to )\s*(-?\d+(?:\.\d+)?)`)
)

func numberShown(comment, value string) bool {
	want, err := strconv.ParseFloat(value, 64)
	if err != nil {
		return strings.Contains(comment, value)
	}
	for _, tok := range numberToken.FindAllString(comment, -1) {
		if f, err := strconv.ParseFloat(tok, 64); err == nil && f == want {
			return true
		}
	}
	for _, m := range numberRange.FindAllStringSubmatch(comment, -1) {
		lo, err1 := strconv.ParseFloat(m[1], 64)
		hi, err2 := strconv.ParseFloat(m[2], 64)
		if err1 == nil && err2 == nil && lo <= want && want <= hi {
			return true
		}
	}
	return false
}

// promptSchemaText is the schema part of a SQL prompt.
func promptSchemaText(prompt string) string {
	_, rest, ok := strings.Cut(prompt, "\nSchema:\n```sql\n")
	if !ok {
		return ""
	}
	schema, _, _ := strings.Cut(rest, "```\n")
	return schema
}
