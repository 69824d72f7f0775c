package catalog

import (
	"fmt"
	"slices"
	"strings"
)

// DDLOptions tune how a catalog slice is rendered for a prompt.
type DDLOptions struct {
	// Tables limits the output to these (qualified or bare) names; empty means all.
	Tables []string
	// MaxSamples bounds the sample values shown per column; 0 shows none.
	MaxSamples int
	// Values, when set, adds to a column's line the values it returns:
	// stored values the question mentions, before the samples, and the
	// range of a numeric or temporal column.
	Values func(t *Table, c *Column) ColumnValues
}

// ColumnValues are the values a prompt shows for one column beside its
// samples.
type ColumnValues struct {
	// Matched are stored values the question mentions. They are all shown,
	// first; samples fill the rest of MaxSamples.
	Matched []string
	// Min and Max bound the column's values; both empty when unknown.
	Min, Max string
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
	for i, col := range t.Columns {
		line := "  " + col.Name + " " + col.DBType
		if !col.Nullable {
			line += " NOT NULL"
		}
		lines = append(lines, line)
		var vals ColumnValues
		if opts.Values != nil {
			vals = opts.Values(t, &t.Columns[i])
		}
		comments = append(comments, columnNote(col, opts.MaxSamples, vals))
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

func columnNote(col Column, maxSamples int, vals ColumnValues) string {
	var parts []string
	if col.Comment != "" {
		parts = append(parts, oneLine(col.Comment))
	}
	if shown := shownValues(col.Samples, maxSamples, vals.Matched); len(shown) > 0 {
		quoted := make([]string, len(shown))
		for i, s := range shown {
			quoted[i] = "'" + strings.ReplaceAll(oneLine(s), "'", "''") + "'"
		}
		parts = append(parts, "e.g. "+strings.Join(quoted, ", "))
	}
	if vals.Min != "" || vals.Max != "" {
		parts = append(parts, "range "+oneLine(vals.Min)+".."+oneLine(vals.Max))
	}
	return strings.Join(parts, "; ")
}

// shownValues is every matched value, then samples not already shown
// while fewer than maxSamples values are.
func shownValues(samples []string, maxSamples int, matched []string) []string {
	if len(matched) == 0 {
		return samples[:min(len(samples), maxSamples)]
	}
	out := append([]string(nil), matched...)
	for _, s := range samples {
		if len(out) >= maxSamples {
			break
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// oneLine keeps a comment from breaking out of its SQL comment.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
