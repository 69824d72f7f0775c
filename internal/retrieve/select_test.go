package retrieve

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/askdb/askdb/internal/catalog"
)

// league has role foreign keys (three columns of game into club.club_id)
// and alternate keys (two foreign keys of rating into two keys of player).
func league() *catalog.Catalog {
	fk := func(c, table, ref string) catalog.ForeignKey {
		return catalog.ForeignKey{Columns: []string{c}, RefTable: table, RefColumns: []string{ref}}
	}
	return &catalog.Catalog{Dialect: catalog.SQLite, Tables: []catalog.Table{
		{Name: "club", RowCount: -1, PrimaryKey: []string{"club_id"},
			Columns: []catalog.Column{col("club_id"), col("club_name")}},
		{Name: "game", RowCount: -1, PrimaryKey: []string{"game_id"},
			Columns: []catalog.Column{col("game_id"), col("host"), col("guest"), col("judge"), col("season"),
				{Name: "goals", DBType: "integer", Type: catalog.TypeInteger, Comment: "Goals scored in the game"}},
			ForeignKeys: []catalog.ForeignKey{fk("host", "club", "club_id"), fk("guest", "club", "club_id"),
				fk("judge", "club", "club_id")}},
		{Name: "player", RowCount: -1, PrimaryKey: []string{"id"},
			Columns: []catalog.Column{col("id"), col("player_api_id"), col("player_fifa_api_id"), col("player_name")}},
		{Name: "rating", RowCount: -1, PrimaryKey: []string{"id"},
			Columns: []catalog.Column{col("id"), col("player_api_id"), col("player_fifa_api_id"), col("overall_rating")},
			ForeignKeys: []catalog.ForeignKey{fk("player_fifa_api_id", "player", "player_fifa_api_id"),
				fk("player_api_id", "player", "player_api_id")}},
	}}
}

// linkColumns lists the "table.column" names of a link's columns in table t.
func linkColumns(l Link, table string) []string {
	var out []string
	for _, c := range l.Columns {
		if c.Table == table {
			out = append(out, c.Column)
		}
	}
	slices.Sort(out)
	return out
}

func TestLinkForeignKeyRoles(t *testing.T) {
	ix := Build(league(), Extra{})
	tests := []struct {
		name     string
		question string
		table    string
		want     []string // the join columns the table must show
		not      []string // columns it must not show
	}{
		// Three roles into club.club_id: two are kept; unscored ones tie,
		// so the first declared win.
		{name: "roles capped", question: "club name and goals of each game", table: "game",
			want: []string{"guest", "host"}, not: []string{"judge"}},
		// A role the question names is kept, before the first declared.
		{name: "named role first", question: "club name of the judge of games with goals", table: "game",
			want: []string{"judge"}},
		// Foreign keys into different keys of player are no roles: both stay.
		{name: "alternate keys", question: "overall rating of the player named Messi", table: "rating",
			want: []string{"player_api_id", "player_fifa_api_id"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := ix.Link(context.Background(), tc.question, Options{})
			got := linkColumns(l, tc.table)
			for _, w := range tc.want {
				if !slices.Contains(got, w) {
					t.Errorf("%s columns = %v, want %s (tables %v)", tc.table, got, w, l.TableNames())
				}
			}
			for _, n := range tc.not {
				if slices.Contains(got, n) {
					t.Errorf("%s columns = %v, want no %s", tc.table, got, n)
				}
			}
			// Every foreign key line of the slice names shown columns only.
			ddl := ix.SliceDDL(l)
			for _, line := range strings.Split(ddl, "\n") {
				if c, ok := strings.CutPrefix(strings.TrimSpace(line), "FOREIGN KEY ("); ok {
					c, _, _ = strings.Cut(c, ")")
					if !strings.Contains(ddl, "  "+c+" ") {
						t.Errorf("foreign key on pruned column %s:\n%s", c, ddl)
					}
				}
			}
		})
	}
}

func TestSliceKeyComments(t *testing.T) {
	cat := shop()
	cat.Tables[0].Columns[0].Comment = "Unique identifier of the customer"
	cat.Tables[0].Columns[2].Comment = "Customer country of residence"
	ix := Build(cat, Extra{})
	ddl := ix.SliceDDL(ix.Link(context.Background(), "customer identifier and country", Options{}))
	if strings.Contains(ddl, "Unique identifier") {
		t.Errorf("slice keeps the primary key's comment:\n%s", ddl)
	}
	if !strings.Contains(ddl, "country of residence") {
		t.Errorf("slice lost a matched column's comment:\n%s", ddl)
	}
}

// TestLinkYearColumn: a question naming a year shows the year column, not
// only the first date column.
func TestLinkYearColumn(t *testing.T) {
	cat := &catalog.Catalog{Dialect: catalog.SQLite, Tables: []catalog.Table{
		{Name: "races", RowCount: -1, PrimaryKey: []string{"race_id"},
			Columns: []catalog.Column{col("race_id"), {Name: "date", DBType: "date", Type: catalog.TypeDate}, col("name"), col("circuit"),
				col("round"), col("url"), col("year")}},
	}}
	ix := Build(cat, Extra{})
	for q, want := range map[string]bool{"name of the races in 2008": true, "name of the races": false} {
		got := slices.Contains(linkColumns(ix.Link(context.Background(), q, Options{}), "races"), "year")
		if got != want {
			t.Errorf("%q: year shown = %v, want %v", q, got, want)
		}
	}
}

// TestRankLimit checks the bounded ranking against a full sort.
func TestRankLimit(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 50 {
		scores := make([]tableScore, 200)
		for i := range scores {
			scores[i] = tableScore{table: int32(i), total: float32(r.IntN(40))} // many ties
		}
		full := rank(scores, 0)
		var want []int32
		for _, s := range full {
			if len(want) < 8 && s.total >= relativeCut*full[0].total {
				want = append(want, s.table)
			}
		}
		var got []int32
		for _, s := range rank(scores, 8) {
			got = append(got, s.table)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("rank with limit (-full sort +limited):\n%s", diff)
		}
	}
}

// TestLinkRepeatable checks that pooled scratch memory leaves nothing
// behind: a question links the same before and after others.
func TestLinkRepeatable(t *testing.T) {
	ix := Build(shop(), Extra{})
	ctx := context.Background()
	first := ix.Link(ctx, "orders shipped to Germany", Options{})
	ix.Link(ctx, "product category Garden tools per customer", Options{})
	ix.Link(ctx, "status = 'late' by ordered_at", Options{})
	if diff := cmp.Diff(first, ix.Link(ctx, "orders shipped to Germany", Options{})); diff != "" {
		t.Errorf("second link differs (-first +second):\n%s", diff)
	}
}

// TestLinkConcurrent links from several goroutines at once (run with
// -race): each must get what a lone call gets.
func TestLinkConcurrent(t *testing.T) {
	ix := Build(shop(), Extra{})
	ctx := context.Background()
	questions := []string{"orders shipped to Germany", "product category Garden tools", "status = 'late' by ordered_at", "customers name"}
	want := make([]Link, len(questions))
	for i, q := range questions {
		want[i] = ix.Link(ctx, q, Options{})
	}
	errs := make(chan string, 8*len(questions))
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for k := range 20 {
				i := (g + k) % len(questions)
				if diff := cmp.Diff(want[i], ix.Link(ctx, questions[i], Options{})); diff != "" {
					errs <- questions[i] + ":\n" + diff
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestTablesInWords(t *testing.T) {
	ix := Build(&catalog.Catalog{Dialect: catalog.SQLite, Tables: []catalog.Table{
		{Name: "Patient", RowCount: -1}, {Name: "zip_code", RowCount: -1}, {Name: "Laboratory", RowCount: -1},
		{Name: "superhero", RowCount: -1},
	}}, Extra{})
	tests := map[string][]string{
		"how many patients had a test":     {"Patient"},
		"cities per zip codes":             {"zip_code"},
		"the patient's laboratory results": {"Laboratory", "Patient"},
		"laboratories":                     {"Laboratory"},
		"lab results of a code":            nil,
	}
	for q, want := range tests {
		var got []string
		for ti := range ix.tablesInWords(q) {
			got = append(got, ix.tables[ti].qname)
		}
		slices.Sort(got)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("tablesInWords(%q) (-want +got):\n%s", q, diff)
		}
	}
}
