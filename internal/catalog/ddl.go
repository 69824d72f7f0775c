package catalog

import (
	"fmt"
	"strings"
)

// DDLOptions tune how a catalog slice is rendered for a prompt.
type DDLOptions struct {
	// Tables limits the output to these (qualified or bare) names; empty means all.
	Tables []string
	// MaxSamples bounds the sample values shown per column; 0 shows none.
	MaxSamples int
}

// DDL renders tables as CREATE TABLE statements, with comments, row counts,
// sample values and foreign keys as SQL comments and constraints. Models
// read DDL more reliably than any other schema format, and the output is
// stable so prompts can be golden-tested.
func (c *Catalog) DDL(opts DDLOptions) string {
	want := map[string]bool{}
	for _, n := range opts.Tables {
		want[strings.ToLower(n)] = true
	}
	var b strings.Builder
	for i := range c.Tables {
		t := &c.Tables[i]
		if len(want) > 0 && !want[strings.ToLower(t.QualifiedName())] && !want[strings.ToLower(t.Name)] {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		writeTableDDL(&b, t, opts)
	}
	return b.String()
}

func writeTableDDL(b *strings.Builder, t *Table, opts DDLOptions) {
	kw := "TABLE"
	if t.Kind == KindView {
		kw = "VIEW"
	}
	fmt.Fprintf(b, "CREATE %s %s (", kw, t.QualifiedName())
	var notes []string
	if t.Comment != "" {
		notes = append(notes, oneLine(t.Comment))
	}
	if t.RowCount >= 0 {
		notes = append(notes, fmt.Sprintf("~%d rows", t.RowCount))
	}
	if len(notes) > 0 {
		fmt.Fprintf(b, " -- %s", strings.Join(notes, "; "))
	}
	b.WriteByte('\n')
	lines := make([]string, 0, len(t.Columns)+len(t.ForeignKeys)+1)
	comments := make([]string, 0, cap(lines))
	for _, col := range t.Columns {
		line := "  " + col.Name + " " + col.DBType
		if !col.Nullable {
			line += " NOT NULL"
		}
		lines = append(lines, line)
		comments = append(comments, columnNote(col, opts.MaxSamples))
	}
	if len(t.PrimaryKey) > 0 {
		lines = append(lines, "  PRIMARY KEY ("+strings.Join(t.PrimaryKey, ", ")+")")
		comments = append(comments, "")
	}
	for _, fk := range t.ForeignKeys {
		ref := fk.RefTable
		if fk.RefSchema != "" {
			ref = fk.RefSchema + "." + ref
		}
		lines = append(lines, fmt.Sprintf("  FOREIGN KEY (%s) REFERENCES %s(%s)",
			strings.Join(fk.Columns, ", "), ref, strings.Join(fk.RefColumns, ", ")))
		comments = append(comments, "")
	}
	for i, line := range lines {
		b.WriteString(line)
		if i < len(lines)-1 {
			b.WriteByte(',')
		}
		if comments[i] != "" {
			b.WriteString(" -- " + comments[i])
		}
		b.WriteByte('\n')
	}
	b.WriteString(");\n")
}

func columnNote(col Column, maxSamples int) string {
	var parts []string
	if col.Comment != "" {
		parts = append(parts, oneLine(col.Comment))
	}
	if n := min(len(col.Samples), maxSamples); n > 0 {
		quoted := make([]string, n)
		for i, s := range col.Samples[:n] {
			quoted[i] = "'" + strings.ReplaceAll(oneLine(s), "'", "''") + "'"
		}
		parts = append(parts, "e.g. "+strings.Join(quoted, ", "))
	}
	return strings.Join(parts, "; ")
}

// oneLine keeps a comment from breaking out of its SQL comment.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
