package offline

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/askdb/askdb/internal/catalog"
)

// ambiguityCatalog is a small schema whose column names repeat across
// tables (details, description) and whose channels have many cartoons.
func ambiguityCatalog() *catalog.Catalog {
	txt := func(name string, samples ...string) catalog.Column {
		return catalog.Column{Name: name, Type: catalog.TypeText, Samples: samples}
	}
	num := func(name string) catalog.Column { return catalog.Column{Name: name, Type: catalog.TypeInteger} }
	fk := func(col, table, ref string) []catalog.ForeignKey {
		return []catalog.ForeignKey{{Columns: []string{col}, RefTable: table, RefColumns: []string{ref}}}
	}
	return &catalog.Catalog{Dialect: catalog.SQLite, Tables: []catalog.Table{
		{Name: "tv_channel", PrimaryKey: []string{"id"}, Columns: []catalog.Column{num("id"), txt("series_name"), txt("country", "Italy", "UK")}},
		{Name: "cartoon", PrimaryKey: []string{"id"}, ForeignKeys: fk("channel", "tv_channel", "id"), Columns: []catalog.Column{
			num("id"), txt("title"), txt("directed_by", "Ben Jones", "Michael Chang"), txt("written_by", "Todd Casey"), num("channel")}},
		{Name: "ref_template_types", PrimaryKey: []string{"template_type_code"}, Columns: []catalog.Column{
			txt("template_type_code", "PP", "BK"), txt("template_type_description", "Presentation", "Book")}},
		{Name: "templates", PrimaryKey: []string{"template_id"}, ForeignKeys: fk("template_type_code", "ref_template_types", "template_type_code"),
			Columns: []catalog.Column{num("template_id"), txt("template_type_code"), num("version_number"), txt("template_details")}},
		{Name: "documents", PrimaryKey: []string{"document_id"}, ForeignKeys: fk("template_id", "templates", "template_id"),
			Columns: []catalog.Column{num("document_id"), num("template_id"), txt("document_name"), txt("document_description")}},
		{Name: "paragraphs", PrimaryKey: []string{"paragraph_id"}, ForeignKeys: fk("document_id", "documents", "document_id"),
			Columns: []catalog.Column{num("paragraph_id"), num("document_id"), txt("paragraph_text", "Korea"), txt("other_details")}},
		{Name: "students", PrimaryKey: []string{"student_id"}, Columns: []catalog.Column{num("student_id"), txt("first_name")}},
		{Name: "programs", PrimaryKey: []string{"program_id"}, Columns: []catalog.Column{num("program_id"), txt("program_name", "Bachelor", "Master")}},
		{Name: "enrolment", PrimaryKey: []string{"enrolment_id"}, ForeignKeys: append(fk("student_id", "students", "student_id"), fk("program_id", "programs", "program_id")...),
			Columns: []catalog.Column{num("enrolment_id"), num("student_id"), num("program_id")}},
	}}
}

// TestAmbiguousReadings checks that questions whose reading needs a set
// operation, or whose words fit columns of several tables, are abstained
// on, and that the plain readings next to them are still answered.
func TestAmbiguousReadings(t *testing.T) {
	tests := []struct {
		name, question string
		abstain        bool
		want           string // a fragment of the SQL when answered
	}{
		{"both conjuncts on related rows", "What is the series name of tv channels playing cartoons directed by Ben Jones and cartoons directed by Michael Chang?", true, ""},
		{"either value", "What is the series name of tv channels playing cartoons directed by Ben Jones or Michael Chang?", false, "IN ('Ben Jones', 'Michael Chang')"},
		{"possessive owner under negation", "Which countries' tv channels are not playing any cartoon written by Todd Casey?", true, ""},
		{"rows under negation", "What are the series names of tv channels that are not playing any cartoon written by Todd Casey?", false, "NOT IN"},
		{"shortened name of another table's column", "What are the details for the paragraph with text 'Korea'?", true, ""},
		{"shortened name shared across tables", "Return the different descriptions for templates used in a document.", true, ""},
		{"quoted value of another column", "Return the ids of templates with the details 'Presentation'.", true, ""},
		{"ranked value kept along with another", "Return the lowest version number, along with its template type code.", false, "SELECT version_number, template_type_code FROM templates ORDER BY version_number LIMIT 1"},
		{"distinct rows of the shown table", "Who is enrolled in a Bachelor program? List the first name.", false, "SELECT DISTINCT T3.first_name"},
		{"plural kind counted once", "How many countries have tv channels?", false, "count(DISTINCT country)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := New().Translate(context.Background(), ambiguityCatalog(), tt.question, time.Now())
			switch {
			case tt.abstain && res.SQL != "":
				t.Errorf("answered %q; want an abstention", res.SQL)
			case !tt.abstain && !strings.Contains(res.SQL, tt.want):
				t.Errorf("SQL %q (abstain %q); want it to contain %q", res.SQL, res.Abstain, tt.want)
			}
		})
	}
}
