package pipeline_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/llm"
	_ "github.com/askdb/askdb/internal/llm/anthropic"
	_ "github.com/askdb/askdb/internal/llm/bedrock"
	"github.com/askdb/askdb/internal/llm/llmtest"
	"github.com/askdb/askdb/internal/pipeline"
	"github.com/askdb/askdb/internal/source/sourcetest"
	"github.com/askdb/askdb/internal/trace"
	"github.com/google/go-cmp/cmp"
)

// routedPipeline is the knowledge pipeline with a SQL model and a separate
// fast model, each on its own scripted server, so calls count per model.
func routedPipeline(t *testing.T, fast []llmtest.Reply, sql ...llmtest.Reply) (*pipeline.Pipeline, *llmtest.Server, *llmtest.Server) {
	t.Helper()
	opts, _, _ := knowledgeOptions(t)
	sqlModel, sqlSrv := scriptedModel(t, sql...)
	fastModel, fastSrv := scriptedModel(t, fast...)
	opts.SQLModel, opts.FastModel, opts.Engine = sqlModel, fastModel, pipeline.EngineModel
	return pipeline.New(opts), sqlSrv, fastSrv
}

func routeReply(intent, domain string) llmtest.Reply {
	b, _ := json.Marshal(map[string]string{"intent": intent, "domain": domain})
	return llmtest.Text(string(b), 60, 8)
}

// routeRequest is what the routing call sent: its response format and
// the user message.
type routeRequest struct {
	Format struct {
		Type       string `json:"type"`
		JSONSchema struct {
			Name   string `json:"name"`
			Schema struct {
				Properties struct {
					Intent struct {
						Enum []string `json:"enum"`
					} `json:"intent"`
					Domain struct {
						Enum []string `json:"enum"`
					} `json:"domain"`
				} `json:"properties"`
			} `json:"schema"`
		} `json:"json_schema"`
	} `json:"response_format"`
	Messages []struct {
		Role    string `json:"role"`
		Content string `json:"content"`
	} `json:"messages"`
}

func readRoute(t *testing.T, body []byte) routeRequest {
	t.Helper()
	var r routeRequest
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

func (r routeRequest) prompt() string { return r.Messages[len(r.Messages)-1].Content }

// TestRoutingCall checks that with a fast model one call, with a JSON
// schema naming the intents and the source's domains, decides the intent
// and the domain, and that the SQL model is not asked to decide.
func TestRoutingCall(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name       string
		question   string
		fast       llmtest.Reply
		outcome    pipeline.Outcome
		intent     pipeline.Intent
		domains    []string
		sqlCalls   int
		clarifying bool
	}{
		{name: "out of scope", question: "Sing me a song", fast: routeReply("out_of_scope", ""),
			outcome: pipeline.NoSQL, intent: pipeline.IntentOutOfScope},
		// The rules would send this to the SQL model: its words name a table.
		{name: "model says out of scope over the rules", question: "Write a poem about our customers", fast: routeReply("out_of_scope", ""),
			outcome: pipeline.NoSQL, intent: pipeline.IntentOutOfScope},
		{name: "query in a domain its words do not name", question: "How many staff do we have?", fast: routeReply("query", "hr"),
			outcome: pipeline.Answered, intent: pipeline.IntentQuery, domains: []string{"hr"}, sqlCalls: 1},
		{name: "metric definition", question: "Tell me about retention in hr", fast: routeReply("metric", "hr"),
			outcome: pipeline.Info, intent: pipeline.IntentMetricInfo, domains: []string{"hr"}},
		{name: "clarification", question: "Numbers please", fast: routeReply("clarification_needed", ""),
			outcome: pipeline.Clarify, intent: pipeline.IntentClarify, clarifying: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, sqlSrv, fastSrv := routedPipeline(t, []llmtest.Reply{tt.fast}, sqlReply("SELECT count(*) AS staff FROM employees"))
			ans, err := p.Ask(ctx, pipeline.Request{Question: tt.question})
			if err != nil {
				t.Fatal(err)
			}
			if ans.Outcome != tt.outcome || ans.Intent != tt.intent {
				t.Errorf("outcome %q intent %q, want %q %q (%s)", ans.Outcome, ans.Intent, tt.outcome, tt.intent, ans.Message)
			}
			if d := cmp.Diff(tt.domains, ans.Domains); d != "" {
				t.Errorf("domains (-want +got):\n%s", d)
			}
			if fastSrv.Count() != 1 || sqlSrv.Count() != tt.sqlCalls {
				t.Errorf("fast calls %d, SQL calls %d; want 1 and %d", fastSrv.Count(), sqlSrv.Count(), tt.sqlCalls)
			}
			if tt.clarifying && (ans.Clarification == nil || len(ans.Clarification.Choices) != 4) {
				t.Errorf("clarification %+v, want the four domains as choices", ans.Clarification)
			}
			req := readRoute(t, fastSrv.Requests()[0].Body)
			f := req.Format
			if f.Type != "json_schema" || f.JSONSchema.Name != "route" {
				t.Errorf("response_format %+v, want json_schema \"route\"", f)
			}
			if d := cmp.Diff([]string{"query", "metric", "schema_info", "out_of_scope", "clarification_needed"}, f.JSONSchema.Schema.Properties.Intent.Enum); d != "" {
				t.Errorf("intent enum (-want +got):\n%s", d)
			}
			if d := cmp.Diff([]string{"", "sales", "returns-processing", "hr", "research"}, f.JSONSchema.Schema.Properties.Domain.Enum); d != "" {
				t.Errorf("domain enum (-want +got):\n%s", d)
			}
			if !strings.HasSuffix(req.prompt(), "Question: "+tt.question) || !strings.Contains(req.prompt(), "- hr (also human resources") {
				t.Errorf("routing prompt lacks the question or the domains:\n%s", req.prompt())
			}
		})
	}
}

// TestRoutingFallsBackToRules checks that a failed routing call, or an
// answer outside the schema, leaves the decision to the rules, after
// exactly one call.
func TestRoutingFallsBackToRules(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		fast llmtest.Reply
	}{
		{"error", llmtest.Status(http.StatusBadRequest, "response_format is not supported")},
		{"not JSON", llmtest.Text("It is a query.", 10, 4)},
		{"intent outside the schema", llmtest.Text(`{"intent":"chitchat","domain":""}`, 10, 4)},
		{"domain outside the schema", llmtest.Text(`{"intent":"out_of_scope","domain":"finance"}`, 10, 4)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, sqlSrv, fastSrv := routedPipeline(t, []llmtest.Reply{tt.fast})
			// The rules: a metric definition, answered from the dictionary.
			ans, err := p.Ask(ctx, pipeline.Request{Question: "How is retention in hr calculated?"})
			if err != nil || ans.Outcome != pipeline.Info || ans.Intent != pipeline.IntentMetricInfo || !strings.Contains(ans.Summary, "still works here") {
				t.Fatalf("rules after a failed routing call: %+v, %v", ans, err)
			}
			if fastSrv.Count() != 1 || sqlSrv.Count() != 0 || ans.ModelCalls != 1 {
				t.Errorf("fast calls %d, SQL calls %d, answer calls %d; want 1, 0, 1", fastSrv.Count(), sqlSrv.Count(), ans.ModelCalls)
			}
			if s := routeStep(t, ans); strings.Contains(s.Decision, "fast model") {
				t.Errorf("route step %q claims the model decided", s.Decision)
			}
		})
	}
}

func routeStep(t *testing.T, a *pipeline.Answer) trace.Step {
	t.Helper()
	for _, s := range a.Steps {
		if s.Name == trace.StepRoute {
			return s
		}
	}
	t.Fatalf("no route step in %v", stepNames(a))
	return trace.Step{}
}

// TestDomainPersists checks, with no model at all, that a domain named in
// one turn settles a metric defined in several domains in the next, until
// the user names another, and that another conversation does not inherit it.
func TestDomainPersists(t *testing.T) {
	ctx := context.Background()
	opts, _, _ := knowledgeOptions(t)
	// Turns a second apart: the store orders a conversation by time.
	var tick atomic.Int64
	opts.Now = func() time.Time { return sourcetest.FixedToday.Add(time.Duration(tick.Add(1)) * time.Second) }
	p := pipeline.New(opts)
	ask := func(conv, q string) *pipeline.Answer {
		t.Helper()
		ans, err := p.Ask(ctx, pipeline.Request{Question: q, ConversationID: conv})
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		return ans
	}
	hr := ask("c1", "What is our retention in hr?")
	if hr.Outcome != pipeline.Answered || hr.Engine != pipeline.EngineMetric || !strings.Contains(hr.SQL, "employees") {
		t.Fatalf("hr retention: %+v", hr)
	}
	if a := ask("c2", "What is the retention?"); a.Outcome != pipeline.Clarify {
		t.Fatalf("a new conversation must ask which retention: %q %s", a.Outcome, a.SQL)
	}
	kept := ask("c1", "What is the retention?")
	if kept.Outcome != pipeline.Answered || kept.SQL != hr.SQL || !slices.Equal(kept.Domains, []string{"hr"}) {
		t.Fatalf("the next turn lost the domain: %q %v %s", kept.Outcome, kept.Domains, kept.SQL)
	}
	if s := routeStep(t, kept); !strings.Contains(s.Decision, "domain hr, kept from the conversation") {
		t.Errorf("route step %q does not say the domain was kept", s.Decision)
	}
	sales := ask("c1", "What is the retention in sales?")
	if sales.Outcome != pipeline.Answered || !strings.Contains(sales.SQL, "orders") {
		t.Fatalf("sales retention: %+v", sales)
	}
	if a := ask("c1", "What is the retention?"); !strings.Contains(a.SQL, "orders") || !slices.Equal(a.Domains, []string{"sales"}) {
		t.Errorf("after the user changed the domain: %v %s", a.Domains, a.SQL)
	}
}

// TestRoutingKeepsTheDomain checks the model path over two turns: the
// second routing call sees the first question and the current domain,
// each turn costs exactly one routing call, and a follow-up keeps the domain.
func TestRoutingKeepsTheDomain(t *testing.T) {
	ctx := context.Background()
	p, sqlSrv, fastSrv := routedPipeline(t,
		[]llmtest.Reply{routeReply("query", "hr"), routeReply("query", "")},
		sqlReply("SELECT count(*) AS staff FROM employees"),
		sqlReply("SELECT count(*) AS staff FROM employees WHERE active"))
	first, err := p.Ask(ctx, pipeline.Request{Question: "How many staff do we have?", ConversationID: "talk"})
	if err != nil || first.Outcome != pipeline.Answered || !slices.Equal(first.Domains, []string{"hr"}) {
		t.Fatalf("first turn: %+v, %v", first, err)
	}
	second, err := p.Ask(ctx, pipeline.Request{Question: "and only the active ones?", ConversationID: "talk"})
	if err != nil || second.Outcome != pipeline.Answered || !slices.Equal(second.Domains, []string{"hr"}) {
		t.Fatalf("follow-up: %+v, %v", second, err)
	}
	if fastSrv.Count() != 2 || sqlSrv.Count() != 2 {
		t.Errorf("fast calls %d, SQL calls %d; want one of each per turn", fastSrv.Count(), sqlSrv.Count())
	}
	prompt := readRoute(t, fastSrv.Requests()[1].Body).prompt()
	for _, want := range []string{"Current domain of this conversation: hr", "- How many staff do we have?", "Question: and only the active ones?"} {
		if !strings.Contains(prompt, want) {
			t.Errorf("second routing prompt lacks %q:\n%s", want, prompt)
		}
	}
	if first := readRoute(t, fastSrv.Requests()[0].Body).prompt(); strings.Contains(first, "Current domain") || strings.Contains(first, "Earlier questions") {
		t.Errorf("first routing prompt shows a conversation that did not exist:\n%s", first)
	}
}

// TestRoutingOverTools checks the routing call through the providers whose
// structured answer is a forced tool call: the tool input is the decision.
func TestRoutingOverTools(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		srv  func(t *testing.T, r ...llmtest.Reply) *llmtest.Server
		cfg  func(url string) config.Model
	}{
		{"anthropic", func(t *testing.T, r ...llmtest.Reply) *llmtest.Server { return llmtest.NewAnthropic(t, r...) },
			func(url string) config.Model {
				return config.Model{Kind: "anthropic", Model: "claude-haiku", BaseURL: url, APIKey: "sk-test"}
			}},
		{"bedrock", func(t *testing.T, r ...llmtest.Reply) *llmtest.Server {
			llmtest.AWSEnv(t)
			return llmtest.NewBedrock(t, r...)
		}, func(url string) config.Model {
			return config.Model{Kind: "bedrock", Model: "anthropic.claude-3-haiku", Region: "us-east-1", BaseURL: url}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts, _, _ := knowledgeOptions(t)
			srv := tt.srv(t, routeReply("out_of_scope", ""))
			fast, err := llm.Open(ctx, "fast", tt.cfg(srv.BaseURL()), llm.Options{RetryBaseDelay: time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			sqlModel, sqlSrv := scriptedModel(t)
			opts.SQLModel, opts.FastModel, opts.Engine = sqlModel, fast, pipeline.EngineModel
			ans, err := pipeline.New(opts).Ask(ctx, pipeline.Request{Question: "Write a poem about our customers"})
			if err != nil || ans.Intent != pipeline.IntentOutOfScope || srv.Count() != 1 || sqlSrv.Count() != 0 {
				t.Fatalf("intent %q (%v), fast calls %d, SQL calls %d", ans.Intent, err, srv.Count(), sqlSrv.Count())
			}
			if body := string(srv.Last().Body); !strings.Contains(body, `"name":"route"`) {
				t.Errorf("request names no route tool: %s", body)
			}
		})
	}
}
