package retrieve

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/askdb/askdb/internal/catalog"
)

// columnsOf lists a link's "table.column" names, sorted.
func columnsOf(l Link) []string {
	var out []string
	for _, c := range l.Columns {
		out = append(out, c.Table+"."+c.Column)
	}
	slices.Sort(out)
	return out
}

func TestIdentKeyAndIdentLike(t *testing.T) {
	for in, want := range map[string]string{"customer_id": "customerid", "CustomerID": "customerid", "Free Meal Count (K-12)": "freemealcountk12"} {
		if got := identKey(in); got != want {
			t.Errorf("identKey(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]bool{"home_team_goal": true, "borderColor": true, "status": false, "_x": false, "ID": false} {
		if got := identLike(in); got != want {
			t.Errorf("identLike(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestLinkMentions(t *testing.T) {
	ix := Build(shop(), Extra{})
	tests := []struct {
		name     string
		question string
		table    string // a table the link must hold
		column   string // a column the link must name, reason "named"
	}{
		{name: "qualified", question: "how many? refers to customers.country", table: "customers", column: "customers.country"},
		{name: "comparison", question: "count them where status = 'late'", table: "orders", column: "orders.status"},
		{name: "snake case", question: "latest by ordered_at", table: "orders", column: "orders.ordered_at"},
		{name: "backticks", question: "sum of `quantity`", table: "order_items", column: "order_items.quantity"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := ix.Link(context.Background(), tc.question, Options{})
			if !slices.Contains(l.TableNames(), tc.table) {
				t.Fatalf("tables = %v, want %s", l.TableNames(), tc.table)
			}
			for _, c := range l.Columns {
				if c.Table+"."+c.Column == tc.column {
					if c.Reason != "named" {
						t.Errorf("%s reason = %q, want named", tc.column, c.Reason)
					}
					return
				}
			}
			t.Errorf("columns = %v, want %s", columnsOf(l), tc.column)
		})
	}
}

// cardGame has no declared foreign keys, like many SQLite files: joins go
// through same-named uuid columns and cards.setCode → sets.code.
func cardGame() *catalog.Catalog {
	return &catalog.Catalog{Dialect: catalog.SQLite, Tables: []catalog.Table{
		{Name: "cards", RowCount: -1, PrimaryKey: []string{"id"},
			Columns: []catalog.Column{col("id"), col("uuid"), col("setCode"), col("artist"), col("power"), col("flavor")}},
		{Name: "sets", RowCount: -1, PrimaryKey: []string{"id"},
			Columns: []catalog.Column{col("id"), col("code"), col("name"), col("releaseDate")}},
		{Name: "legalities", RowCount: -1, PrimaryKey: []string{"id"},
			Columns: []catalog.Column{col("id"), col("uuid"), col("format"), col("status")}},
	}}
}

func TestLinkImplicitJoins(t *testing.T) {
	ix := Build(cardGame(), Extra{})
	l := ix.Link(context.Background(), "artist of banned cards in the set released in 2007; set refers to sets.name = 'Coldsnap', banned to status = 'Banned'", Options{})
	got := columnsOf(l)
	for _, want := range []string{"cards.setCode", "sets.code", "cards.uuid", "legalities.uuid", "sets.releaseDate"} {
		if !slices.Contains(got, want) {
			t.Errorf("columns = %v, want %s", got, want)
		}
	}
	if slices.Contains(got, "cards.flavor") {
		t.Errorf("columns = %v: cards.flavor has no evidence", got)
	}
}

// club is a many-to-many: attendance joins member and event.
func club() *catalog.Catalog {
	return &catalog.Catalog{Dialect: catalog.SQLite, Tables: []catalog.Table{
		{Name: "member", RowCount: -1, PrimaryKey: []string{"member_id"},
			Columns:     []catalog.Column{col("member_id"), col("first_name"), col("zip"), col("position")},
			ForeignKeys: []catalog.ForeignKey{{Columns: []string{"zip"}, RefTable: "zip_code", RefColumns: []string{"zip_code"}}}},
		{Name: "event", RowCount: -1, PrimaryKey: []string{"event_id"},
			Columns:     []catalog.Column{col("event_id"), col("event_name"), col("zip")},
			ForeignKeys: []catalog.ForeignKey{{Columns: []string{"zip"}, RefTable: "zip_code", RefColumns: []string{"zip_code"}}}},
		{Name: "attendance", RowCount: -1,
			Columns: []catalog.Column{col("link_to_event"), col("link_to_member")},
			ForeignKeys: []catalog.ForeignKey{
				{Columns: []string{"link_to_event"}, RefTable: "event", RefColumns: []string{"event_id"}},
				{Columns: []string{"link_to_member"}, RefTable: "member", RefColumns: []string{"member_id"}}}},
		{Name: "zip_code", RowCount: -1, PrimaryKey: []string{"zip_code"},
			Columns: []catalog.Column{col("zip_code"), col("city")}},
	}}
}

func TestLinkJunctionAndSliceForeignKeys(t *testing.T) {
	ix := Build(club(), Extra{})
	l := ix.Link(context.Background(), "first name of each member at the event named Kickoff", Options{})
	if !slices.Contains(l.TableNames(), "attendance") {
		t.Fatalf("tables = %v, want the junction attendance", l.TableNames())
	}
	ddl := ix.SliceDDL(l)
	for _, want := range []string{"link_to_event", "link_to_member", "REFERENCES member(member_id)"} {
		if !strings.Contains(ddl, want) {
			t.Errorf("slice DDL lacks %q:\n%s", want, ddl)
		}
	}
	if !slices.Contains(l.TableNames(), "zip_code") && strings.Contains(ddl, "REFERENCES zip_code") {
		t.Errorf("slice DDL keeps a foreign key into zip_code, which is not in the slice:\n%s", ddl)
	}
}

func TestFirstSentence(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{in: "One. Two.", max: 100, want: "One."},
		{in: "a long comment here", max: 8, want: "a long…"},
		{in: "kept whole. yes", max: -1, want: "kept whole. yes"},
		{in: "dropped", max: 0, want: ""},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, firstSentence(tc.in, tc.max)); diff != "" {
			t.Errorf("firstSentence(%q, %d) (-want +got):\n%s", tc.in, tc.max, diff)
		}
	}
}

func TestBigramTerms(t *testing.T) {
	if diff := cmp.Diff([]string{"highschooler"}, bigramTerms("how many high schoolers")); diff != "" {
		t.Errorf("bigramTerms (-want +got):\n%s", diff)
	}
}
