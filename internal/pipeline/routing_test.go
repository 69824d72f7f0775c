package pipeline_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/dbtest"
	"github.com/askdb/askdb/internal/identity"
	"github.com/askdb/askdb/internal/llm/llmtest"
	"github.com/askdb/askdb/internal/pipeline"
	"github.com/askdb/askdb/internal/route"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/store"
	"github.com/askdb/askdb/internal/trace"
)

// threeSources is a library, a vehicle fleet and a marketing CRM, each
// its own SQLite file, with no default source.
func threeSources(t *testing.T, def string) *source.Set {
	t.Helper()
	library := dbtest.SQLiteFile(t,
		"CREATE TABLE books (book_id INTEGER PRIMARY KEY, title TEXT, author TEXT, genre TEXT)",
		"CREATE TABLE loans (loan_id INTEGER PRIMARY KEY, book_id INTEGER, borrower TEXT, due_on TEXT)",
		"INSERT INTO books VALUES (1, 'Dune', 'Herbert', 'science fiction'), (2, 'Emma', 'Austen', 'romance')",
	)
	fleet := dbtest.SQLiteFile(t,
		"CREATE TABLE vehicles (vehicle_id INTEGER PRIMARY KEY, plate TEXT, make TEXT, mileage INTEGER)",
		"CREATE TABLE trips (trip_id INTEGER PRIMARY KEY, vehicle_id INTEGER, driver TEXT, km REAL)",
		"CREATE TABLE customers (customer_id INTEGER PRIMARY KEY, name TEXT, segment TEXT)",
		"INSERT INTO vehicles VALUES (1, 'AB-123', 'Volvo', 120000)",
		"INSERT INTO customers VALUES (1, 'Acme', 'wholesale')",
	)
	crm := dbtest.SQLiteFile(t,
		"CREATE TABLE customers (customer_id INTEGER PRIMARY KEY, name TEXT, segment TEXT)",
		"CREATE TABLE campaigns (campaign_id INTEGER PRIMARY KEY, channel TEXT)",
		"INSERT INTO customers VALUES (1, 'Acme', 'wholesale'), (2, 'Bolt', 'retail')",
	)
	cfg := &config.Config{DefaultSource: def, Sources: map[string]config.Source{
		"library": {Kind: "sqlite", Path: library, Description: "the lending library's books and loans"},
		"fleet":   {Kind: "sqlite", Path: fleet, Description: "company cars and their trips"},
		"crm":     {Kind: "sqlite", Path: crm, Description: "marketing contacts"},
	}}
	set := source.NewSet(cfg, nil)
	t.Cleanup(func() { set.Close() })
	return set
}

func sourceStep(t *testing.T, a *pipeline.Answer) trace.Step {
	t.Helper()
	for _, s := range a.Steps {
		if s.Name == trace.StepSource {
			return s
		}
	}
	t.Fatalf("no %q step in %v", trace.StepSource, stepNames(a))
	return trace.Step{}
}

func TestRoutingPicksTheSource(t *testing.T) {
	m, srv := scriptedModel(t, sqlReply("SELECT count(*) AS n FROM vehicles WHERE make = 'Volvo'"))
	p := pipeline.New(pipeline.Options{Sources: threeSources(t, ""), SQLModel: m, Summary: false})
	ans, err := p.Ask(context.Background(), pipeline.Request{Question: "how many vehicles have a Volvo make?"})
	if err != nil {
		t.Fatalf("Ask: %v (%s)", err, ans.Message)
	}
	if ans.Source != "fleet" || ans.Outcome != pipeline.Answered || ans.Route == nil || ans.Route.Kind != route.Clear {
		t.Fatalf("got source %q outcome %s route %+v, want fleet answered", ans.Source, ans.Outcome, ans.Route)
	}
	if !slices.Contains(ans.Route.Candidates[0].Tables, "vehicles") {
		t.Errorf("the evidence should name table vehicles: %+v", ans.Route.Candidates)
	}
	if st := sourceStep(t, ans); !strings.Contains(st.Decision, `routed to "fleet"`) || !strings.Contains(st.Decision, "vehicles") {
		t.Errorf("the trace should say which source and why: %q", st.Decision)
	}
	if got := string(srv.Last().Body); strings.Contains(got, "books") || strings.Contains(got, "campaigns") {
		t.Errorf("the SQL prompt should show only the routed source's schema: %s", got)
	}
}

func TestRoutingCloseCallAsks(t *testing.T) {
	m, srv := scriptedModel(t, llmtest.Text("UNSURE", 40, 1))
	p := pipeline.New(pipeline.Options{Sources: threeSources(t, ""), SQLModel: m})
	ans, err := p.Ask(context.Background(), pipeline.Request{Question: "how many wholesale customers are there?"})
	if err != nil {
		t.Fatal(err)
	}
	if ans.Outcome != pipeline.Clarify || ans.Clarification == nil {
		t.Fatalf("want a clarification, got %s (%s)", ans.Outcome, ans.Message)
	}
	var got []string
	for _, c := range ans.Clarification.Choices {
		got = append(got, c.Source)
		if want := "how many wholesale customers are there in " + c.Source + "?"; c.Question != want {
			t.Errorf("choice %q should ask %q, got %q", c.Source, want, c.Question)
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, []string{"crm", "fleet"}) {
		t.Errorf("choices %v, want crm and fleet", got)
	}
	if srv.Count() != 1 || ans.ModelCalls != 1 {
		t.Errorf("one tie-break call expected, got %d requests, %d model calls", srv.Count(), ans.ModelCalls)
	}
	// Asking again with the chosen source answers it; so does the choice's
	// question alone (a UI that resends only the text), which names it.
	choice := ans.Clarification.Choices[1]
	m2, _ := scriptedModel(t, sqlReply("SELECT count(*) AS n FROM customers WHERE segment = 'wholesale'"), sqlReply("SELECT count(*) AS n FROM customers"))
	p2 := pipeline.New(pipeline.Options{Sources: threeSources(t, ""), SQLModel: m2, Summary: false})
	ans, err = p2.Ask(context.Background(), pipeline.Request{Question: choice.Question, Source: choice.Source})
	if err != nil || ans.Outcome != pipeline.Answered || ans.Route != nil {
		t.Fatalf("the chosen source should answer without routing: %v %s route %+v", err, ans.Outcome, ans.Route)
	}
	ans, err = p2.Ask(context.Background(), pipeline.Request{Question: choice.Question})
	if err != nil || ans.Source != choice.Source || ans.Route == nil || ans.Route.By != route.ByName {
		t.Fatalf("the choice's question alone should land on %q: %v %q %+v", choice.Source, err, ans.Source, ans.Route)
	}
}

func TestRoutingTieBreakers(t *testing.T) {
	tests := []struct {
		name  string
		def   string
		reply string
		want  string
		by    string
	}{
		{name: "the fast model", reply: "crm", want: "crm", by: route.ByModel},
		{name: "default_source", def: "fleet", reply: "UNSURE", want: "fleet", by: route.ByDefault},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _ := scriptedModel(t, llmtest.Text(tt.reply, 40, 1), sqlReply("SELECT count(*) AS n FROM customers"))
			p := pipeline.New(pipeline.Options{Sources: threeSources(t, tt.def), SQLModel: m, Summary: false})
			ans, err := p.Ask(context.Background(), pipeline.Request{Question: "how many wholesale customers are there?"})
			if err != nil {
				t.Fatal(err)
			}
			if ans.Source != tt.want || ans.Route == nil || ans.Route.By != tt.by || ans.Outcome != pipeline.Answered {
				t.Fatalf("got %q by %+v, outcome %s (%s)", ans.Source, ans.Route, ans.Outcome, ans.Message)
			}
		})
	}
}

func TestRoutingNoMatch(t *testing.T) {
	p := pipeline.New(pipeline.Options{Sources: threeSources(t, "crm")})
	ans, err := p.Ask(context.Background(), pipeline.Request{Question: "tell me a joke about penguins"})
	if err != nil {
		t.Fatal(err)
	}
	if ans.Outcome != pipeline.NoSQL || ans.Intent != pipeline.IntentOutOfScope || ans.Source != "" {
		t.Fatalf("got %s %s source %q", ans.Outcome, ans.Intent, ans.Source)
	}
	if !strings.Contains(ans.Message, "closest sources") || !strings.Contains(ans.Message, `"crm"`) {
		t.Errorf("the message should name the closest sources: %q", ans.Message)
	}
}

func TestRoutingEachQuestionItsSource(t *testing.T) {
	m, _ := scriptedModel(t, sqlReply("SELECT count(*) AS n FROM books"), sqlReply("SELECT count(*) AS n FROM trips"))
	p := pipeline.New(pipeline.Options{Sources: threeSources(t, ""), SQLModel: m, Summary: false})
	for _, q := range []struct{ q, want string }{{"how many books are on loan?", "library"}, {"total km of all trips by driver", "fleet"}} {
		ans, err := p.Ask(context.Background(), pipeline.Request{Question: q.q})
		if err != nil || ans.Source != q.want {
			t.Fatalf("%q: source %q, want %q (%v, %s)", q.q, ans.Source, q.want, err, ans.Message)
		}
	}
}

func TestRoutingFollowUpKeepsTheConversationSource(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, config.Store{Kind: "sqlite", Path: filepath.Join(t.TempDir(), "store.db")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	m, _ := scriptedModel(t,
		sqlReply("SELECT count(*) AS n FROM customers"),
		sqlReply("SELECT segment, count(*) AS n FROM customers GROUP BY segment"))
	p := pipeline.New(pipeline.Options{Sources: threeSources(t, ""), SQLModel: m, Summary: false, Store: st})
	first, err := p.Ask(ctx, pipeline.Request{Question: "how many wholesale customers are there?", Source: "crm", ConversationID: "c1", User: "ana"})
	if err != nil || first.Outcome != pipeline.Answered {
		t.Fatalf("first: %v %s", err, first.Message)
	}
	// "those" leans on the first answer: it stays on crm, with no routing
	// (which would call it a close call between crm and fleet).
	next, err := p.Ask(ctx, pipeline.Request{Question: "break those down by segment", ConversationID: "c1", User: "ana"})
	if err != nil || next.Source != "crm" || next.Route != nil || next.Outcome != pipeline.Answered {
		t.Fatalf("follow-up: source %q route %+v outcome %s (%v, %s)", next.Source, next.Route, next.Outcome, err, next.Message)
	}
	// Another user's conversation does not steer it.
	other, _ := p.Ask(ctx, pipeline.Request{Question: "break those customers down by segment", ConversationID: "c1", User: "bo"})
	if other.Route == nil {
		t.Errorf("another user's follow-up should be routed afresh, got source %q", other.Source)
	}
}

// countingSet counts how often each source is opened.
type countingSet struct {
	*source.Set
	gets map[string]int
}

func (c *countingSet) Get(ctx context.Context, name string) (source.Source, error) {
	c.gets[name]++
	return c.Set.Get(ctx, name)
}

func TestRoutingLeavesADownSourceAlone(t *testing.T) {
	good := threeSources(t, "")
	cfg := &config.Config{Sources: map[string]config.Source{
		"library": good.Config("library"), "fleet": good.Config("fleet"),
		"down": {Kind: "sqlite", Path: filepath.Join(t.TempDir(), "missing", "gone.db")},
	}}
	set := &countingSet{Set: source.NewSet(cfg, nil), gets: map[string]int{}}
	t.Cleanup(func() { set.Close() })
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	m, _ := scriptedModel(t, sqlReply("SELECT count(*) FROM books"), sqlReply("SELECT count(*) FROM books"), sqlReply("SELECT count(*) FROM books"))
	p := pipeline.New(pipeline.Options{Sources: set, SQLModel: m, Summary: false, Now: func() time.Time { return now }})
	ask := func() {
		t.Helper()
		ans, err := p.Ask(context.Background(), pipeline.Request{Question: "how many books are there"})
		if err != nil || ans.Source != "library" {
			t.Fatalf("with one source down the others still route: %q %v %s", ans.Source, err, ans.Message)
		}
	}
	ask()
	ask()
	if set.gets["down"] != 1 {
		t.Errorf("the down source was tried %d times in two questions, want 1", set.gets["down"])
	}
	now = now.Add(time.Minute)
	ask()
	if set.gets["down"] != 2 {
		t.Errorf("after a minute the down source should be tried again: %d attempts", set.gets["down"])
	}
}

func TestRoutingOnlyAmongReadableSources(t *testing.T) {
	m, _ := scriptedModel(t, sqlReply("SELECT count(*) AS n FROM customers"), sqlReply("SELECT count(*) AS n FROM customers"))
	p := pipeline.New(pipeline.Options{Sources: threeSources(t, ""), SQLModel: m, Summary: false, Access: []config.AccessRule{
		{Groups: []string{"marketing"}, Sources: []string{"crm", "library"}, Deny: []string{"crm.campaigns"}},
		{Groups: []string{"ops"}, Sources: []string{"fleet", "crm", "library"}},
	}})
	ask := func(group string) *pipeline.Answer {
		t.Helper()
		ctx := identity.With(context.Background(), identity.Identity{User: group + "-user", Groups: []string{group}})
		ans, err := p.Ask(ctx, pipeline.Request{Question: "how many wholesale customers are there?", User: group + "-user"})
		if err != nil {
			t.Fatalf("%s: %v (%s)", group, err, ans.Message)
		}
		return ans
	}
	// fleet also has customers, but marketing may not read it: no close call.
	mk := ask("marketing")
	if mk.Source != "crm" || mk.Route == nil || mk.Route.Kind != route.Clear {
		t.Fatalf("marketing: source %q route %+v, want crm", mk.Source, mk.Route)
	}
	for _, c := range mk.Route.Candidates {
		if c.Source == "fleet" {
			t.Errorf("a source the caller may not read is named: %+v", c)
		}
		if len(c.Tables) > 0 {
			t.Errorf("crm hides a table from marketing, so its evidence should name none: %+v", c)
		}
	}
	// ops reads both: the usual close call.
	if ops := ask("ops"); ops.Outcome != pipeline.Clarify {
		t.Errorf("ops: %s %q, want a close call between crm and fleet", ops.Outcome, ops.Source)
	}
}
