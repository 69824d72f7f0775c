package route_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/llm"
	"github.com/askdb/askdb/internal/llm/llmtest"
	_ "github.com/askdb/askdb/internal/llm/openai"
	"github.com/askdb/askdb/internal/route"
)

// table builds a catalog table; a column "name:v1|v2" is a text column
// with sample values.
func table(name, comment string, cols ...string) catalog.Table {
	t := catalog.Table{Name: name, Comment: comment, Kind: catalog.KindTable, RowCount: -1}
	for _, c := range cols {
		n, vals, _ := strings.Cut(c, ":")
		col := catalog.Column{Name: n, Type: catalog.TypeInteger, DBType: "integer"}
		if vals != "" {
			col.Type, col.DBType, col.Samples = catalog.TypeText, "text", strings.Split(vals, "|")
		}
		t.Columns = append(t.Columns, col)
	}
	return t
}

func cat(name string, tables ...catalog.Table) *catalog.Catalog {
	return &catalog.Catalog{Source: name, Dialect: catalog.SQLite, Tables: tables}
}

// company is three sources as a business keeps them: HR, sales and a
// legal archive, plus a second sales copy for close calls.
func company() map[string]route.Input {
	return map[string]route.Input{
		"hr": {Name: "hr", Description: "people, payroll and departments", Catalog: cat("hr",
			table("employees", "", "id", "first_name:Ada|Grace", "salary", "department_id", "hired_on"),
			table("departments", "", "id", "title:Engineering|Finance"),
		), Domains: []route.Domain{{Name: "payroll", Aliases: []string{"compensation"}, Tables: []string{"employees"}}}},
		"sales": {Name: "sales", Description: "orders and invoices of the shop", Catalog: cat("sales",
			table("orders", "one row per order", "id", "customer_id", "amount", "status:shipped|returned"),
			table("customers", "", "id", "country:France|Germany", "segment:retail|wholesale"),
			table("products", "", "id", "sku", "category:bikes|helmets"),
		)},
		"legal": {Name: "legal", Description: "court cases and contracts", Catalog: cat("legal",
			table("cases", "lawsuits we are party to", "id", "court:Paris Tribunal|High Court", "opened_on"),
			table("contracts", "", "id", "counterparty", "signed_on"),
		), Synonyms: map[string][]string{"cases": {"litigation"}}},
		"crm": {Name: "crm", Description: "the marketing team's contacts", Catalog: cat("crm",
			table("customers", "", "id", "email", "segment:retail|wholesale"),
			table("campaigns", "", "id", "channel:email|social"),
		)},
	}
}

func newRouter(ins map[string]route.Input) *route.Router {
	r := route.New()
	for _, in := range ins {
		r.Update(in)
	}
	return r
}

func TestRoute(t *testing.T) {
	r := newRouter(company())
	tests := []struct {
		name     string
		question string
		opts     route.Options
		kind     route.Kind
		source   string
		by       string
		table    string // must be among the evidence of the chosen or first candidate
		choices  []string
	}{
		{name: "column and table names", question: "average salary of employees by department", kind: route.Clear, source: "hr", by: route.ByScore, table: "employees"},
		{name: "a stored value", question: "how many orders were shipped to France", kind: route.Clear, source: "sales", by: route.ByScore, table: "customers"},
		{name: "a synonym from the knowledge files", question: "open litigation in the High Court", kind: route.Clear, source: "legal", table: "cases", by: route.ByScore},
		{name: "a domain alias", question: "total compensation this year", kind: route.Clear, source: "hr", by: route.ByScore, table: "employees"},
		{name: "the description", question: "which contracts were signed last month", kind: route.Clear, source: "legal", by: route.ByScore},
		{name: "a synonym no source holds stands in", question: "list every nation by segment", kind: route.Clear, source: "sales", by: route.ByScore, table: "customers"},
		{name: "nothing matches", question: "tell me a joke about penguins", kind: route.NoMatch},
		{name: "two sources hold it", question: "how many wholesale customers are there", kind: route.Close, choices: []string{"crm", "sales"}},
		{name: "default_source breaks a tie", question: "how many wholesale customers are there", opts: route.Options{Default: "crm"}, kind: route.Clear, source: "crm", by: route.ByDefault},
		{name: "the question names the source", question: "how many wholesale customers are there in crm?", kind: route.Clear, source: "crm", by: route.ByName},
		{name: "names it as a database", question: "wholesale customers from the sales database", kind: route.Clear, source: "sales", by: route.ByName},
		{name: "a name inside another word is no mention", question: "how many wholesale customers are there in crmx?", kind: route.Close, choices: []string{"crm", "sales"}},
		{name: "default_source is no gate", question: "average salary of employees by department", opts: route.Options{Default: "sales"}, kind: route.Clear, source: "hr", by: route.ByScore},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, resp := r.Route(context.Background(), tt.question, tt.opts)
			if resp != nil {
				t.Errorf("no model was given, yet a model answered")
			}
			if d.Kind != tt.kind || d.Source != tt.source || d.By != tt.by {
				t.Fatalf("Route(%q) = %s %q by %q, want %s %q by %q; %s; candidates %+v", tt.question, d.Kind, d.Source, d.By, tt.kind, tt.source, tt.by, d.Reason, d.Candidates)
			}
			if tt.table != "" && (len(d.Candidates) == 0 || !slices.Contains(d.Candidates[0].Tables, tt.table)) {
				t.Errorf("evidence %+v lacks table %q", d.Candidates, tt.table)
			}
			if tt.table != "" && !strings.Contains(d.Reason, tt.table) {
				t.Errorf("reason %q does not name table %q", d.Reason, tt.table)
			}
			if tt.choices != nil {
				var got []string
				for _, c := range d.Candidates {
					got = append(got, c.Source)
				}
				slices.Sort(got)
				if diff := cmp.Diff(tt.choices, got); diff != "" {
					t.Errorf("close-call choices (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestRouteSplit(t *testing.T) {
	r := newRouter(company())
	d, _ := r.Route(context.Background(), "salary of employees in each department against the court cases and contracts they signed", route.Options{})
	if d.Kind != route.Clear || len(d.Split) != 2 || !slices.Contains(d.Split, "hr") || !slices.Contains(d.Split, "legal") || d.Source != d.Split[0] {
		t.Fatalf("want a split between hr and legal answered by the first, got %s %q split %v (%s)", d.Kind, d.Source, d.Split, d.Reason)
	}
	if !strings.Contains(d.Reason, "only") {
		t.Errorf("the reason should say the other part needs the other source: %q", d.Reason)
	}
	one, _ := r.Route(context.Background(), "average salary of employees by department", route.Options{})
	if len(one.Split) != 0 {
		t.Errorf("a one-source question was called split: %v", one.Split)
	}
}

// provider serves inputs and counts how often each is read.
type provider struct {
	ins   map[string]route.Input
	reads map[string]int
}

func (p *provider) Names() []string {
	var out []string
	for n := range p.ins {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

func (p *provider) Fingerprint(_ context.Context, name string) (string, error) {
	return route.Fingerprint(p.ins[name]), nil
}

func (p *provider) Input(_ context.Context, name string) (route.Input, error) {
	p.reads[name]++
	if name == "broken" {
		return route.Input{}, fmt.Errorf("database down")
	}
	return p.ins[name], nil
}

func TestSyncRefreshesOnlyChangedSources(t *testing.T) {
	ctx := context.Background()
	ins := company()
	p := &provider{ins: ins, reads: map[string]int{}}
	r := route.New()
	if err := r.Sync(ctx, p); err != nil {
		t.Fatal(err)
	}
	if err := r.Sync(ctx, p); err != nil {
		t.Fatal(err)
	}
	for n := range ins {
		if p.reads[n] != 1 {
			t.Errorf("source %q read %d times over two syncs with no change, want 1", n, p.reads[n])
		}
	}
	if d, _ := r.Route(ctx, "warehouse shelf inventory", route.Options{}); d.Kind != route.NoMatch {
		t.Fatalf("before the change: %s %q", d.Kind, d.Source)
	}
	sales := ins["sales"]
	sales.Catalog = cat("sales", append(sales.Catalog.Tables, table("inventory", "stock per warehouse shelf", "sku", "shelf", "quantity"))...)
	ins["sales"] = sales
	delete(ins, "crm")
	ins["broken"] = route.Input{Name: "broken"}
	err := r.Sync(ctx, p)
	if err == nil || !strings.Contains(err.Error(), `"broken"`) {
		t.Errorf("Sync should report the broken source by name, got %v", err)
	}
	if p.reads["sales"] != 2 || p.reads["hr"] != 1 {
		t.Errorf("reads after a change to sales: %v", p.reads)
	}
	if d, _ := r.Route(ctx, "warehouse shelf inventory", route.Options{}); d.Source != "sales" {
		t.Errorf("the new table is not routed: %s %q", d.Kind, d.Source)
	}
	if slices.Contains(r.Names(), "crm") {
		t.Errorf("a removed source is still indexed: %v", r.Names())
	}
	if d, _ := r.Route(ctx, "how many wholesale customers are there", route.Options{}); d.Kind != route.Clear || d.Source != "sales" {
		t.Errorf("with crm gone the customers question is sales': %s %q", d.Kind, d.Source)
	}
}

func scripted(t *testing.T, replies ...llmtest.Reply) (llm.Model, *llmtest.Server) {
	t.Helper()
	srv := llmtest.NewOpenAI(t, replies...)
	retries := 0
	m, err := llm.Open(context.Background(), "fast", config.Model{Kind: "openai", Model: "scripted", BaseURL: srv.BaseURL(), MaxRetries: &retries, Timeout: config.Duration(5 * time.Second)},
		llm.Options{RetryBaseDelay: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return m, srv
}

func TestModelBreaksTies(t *testing.T) {
	r := newRouter(company())
	q := "how many wholesale customers are there"
	tests := []struct {
		name   string
		reply  llmtest.Reply
		kind   route.Kind
		source string
		by     string
	}{
		{name: "names a candidate", reply: llmtest.Text("crm", 50, 1), kind: route.Clear, source: "crm", by: route.ByModel},
		{name: "quoted, other case", reply: llmtest.Text("`Sales`", 50, 1), kind: route.Clear, source: "sales", by: route.ByModel},
		{name: "unsure", reply: llmtest.Text("UNSURE", 50, 1), kind: route.Close},
		{name: "names a source that is not a candidate", reply: llmtest.Text("hr", 50, 1), kind: route.Close},
		{name: "model down, default decides", reply: llmtest.Status(500, "boom"), kind: route.Clear, source: "sales", by: route.ByDefault},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, srv := scripted(t, tt.reply)
			opts := route.Options{Model: m}
			if tt.by == route.ByDefault {
				opts.Default = "sales"
			}
			d, _ := r.Route(context.Background(), q, opts)
			if d.Kind != tt.kind || d.Source != tt.source || d.By != tt.by {
				t.Fatalf("got %s %q by %q, want %s %q by %q (%s)", d.Kind, d.Source, d.By, tt.kind, tt.source, tt.by, d.Reason)
			}
			if srv.Count() == 0 {
				t.Fatal("the model was not asked")
			}
			body := string(srv.Last().Body)
			for _, want := range []string{"crm", "sales", "customers", "wholesale"} {
				if !strings.Contains(body, want) {
					t.Errorf("the tie-break prompt lacks %q", want)
				}
			}
			// Only the candidates and their matching tables: never a catalog.
			for _, never := range []string{"employees", "contracts", "campaigns", "segment"} {
				if strings.Contains(body, never) {
					t.Errorf("the tie-break prompt leaks %q, which is no candidate's matching table", never)
				}
			}
		})
	}
}

func TestClearWinnerAsksNoModel(t *testing.T) {
	r := newRouter(company())
	m, srv := scripted(t, llmtest.Text("crm", 1, 1))
	d, resp := r.Route(context.Background(), "average salary of employees by department", route.Options{Model: m})
	if d.Source != "hr" || srv.Count() != 0 || resp != nil {
		t.Errorf("a clear winner should not cost a model call: %q, %d calls", d.Source, srv.Count())
	}
}

func TestNamedSourceThatIsAlsoATableElsewhere(t *testing.T) {
	r := newRouter(map[string]route.Input{
		"election": {Name: "election", Catalog: cat("election", table("county", "", "id", "name"), table("party", "", "id", "name"))},
		"election_representative": {Name: "election_representative", Catalog: cat("er",
			table("election", "", "id", "representative_id", "votes"), table("representative", "", "id", "name"))},
	})
	d, _ := r.Route(context.Background(), "names of representatives with more than 10000 votes in election", route.Options{})
	if d.By == route.ByName || d.Source != "election_representative" {
		t.Errorf("\"in election\" is a table of the other source, not a sure mention: %s %q by %q", d.Kind, d.Source, d.By)
	}
	d, _ = r.Route(context.Background(), "how many parties are there in the election database", route.Options{})
	if d.Source != "election" {
		t.Errorf("%s %q by %q", d.Kind, d.Source, d.By)
	}
}
