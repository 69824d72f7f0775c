package pipeline_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/knowledge"
	"github.com/askdb/askdb/internal/llm/llmtest"
	"github.com/askdb/askdb/internal/offline"
	"github.com/askdb/askdb/internal/pipeline"
	"github.com/askdb/askdb/internal/sample"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/source/sourcetest"
	"github.com/askdb/askdb/internal/store"
	"github.com/askdb/askdb/internal/trace"
)

// knowledgePipeline is the SQLite sample with the sample knowledge file,
// a store, and a scripted model that must not be called unless a test says so.
func knowledgePipeline(t *testing.T, replies ...llmtest.Reply) (*pipeline.Pipeline, *llmtest.Server, engine, store.Store) {
	t.Helper()
	opts, e, st := knowledgeOptions(t)
	m, srv := scriptedModel(t, replies...)
	opts.SQLModel, opts.Engine = m, pipeline.EngineModel
	return pipeline.New(opts), srv, e, st
}

// knowledgeOptions are the options of a pipeline over the SQLite sample
// with the sample knowledge file and a store, with no model and no offline engine.
func knowledgeOptions(t *testing.T) (pipeline.Options, engine, store.Store) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "sample.db")
	if err := sample.EnsureSQLite(ctx, path, sourcetest.Options()); err != nil {
		t.Fatal(err)
	}
	k, err := knowledge.Load(filepath.Join("..", "knowledge", "testdata", "sample.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, config.Store{Kind: "sqlite", Path: filepath.Join(dir, "store.db")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cfg := config.Source{Kind: "sqlite", Path: path}
	e := engine{"sample", cfg, cfg, openAdmin(t, "sqlite3", path)}
	set := source.NewSet(&config.Config{Sources: map[string]config.Source{e.name: e.cfg}}, nil)
	t.Cleanup(func() { set.Close() })
	return pipeline.Options{
		Sources: set, RepairAttempts: 1, Summary: false,
		Knowledge: map[string]*knowledge.Knowledge{e.name: k}, Store: st,
		Now: func() time.Time { return sourcetest.FixedToday },
	}, e, st
}

func TestQuestionBank(t *testing.T) {
	ctx := context.Background()
	p, srv, e, _ := knowledgePipeline(t)

	ans, err := p.Ask(ctx, pipeline.Request{Question: "how many employees were hired before 1990"})
	if err != nil || ans.Outcome != pipeline.Answered || ans.Engine != pipeline.EngineBank || ans.Bank == nil || ans.Bank.Template {
		t.Fatalf("exact bank hit: %+v, err %v", ans, err)
	}
	var want int
	if err := e.admin.QueryRow("SELECT count(*) FROM employees WHERE hire_date < '1990-01-01'").Scan(&want); err != nil {
		t.Fatal(err)
	}
	if got := toInt(t, ans.Rows[0][0]); got != want || ans.ModelCalls != 0 {
		t.Errorf("rows %v (want %d), model calls %d", ans.Rows, want, ans.ModelCalls)
	}

	ans, err = p.Ask(ctx, pipeline.Request{Question: "How many employees were hired before 1995?"})
	if err != nil || ans.Engine != pipeline.EngineBank || ans.Bank == nil || !ans.Bank.Template || !strings.Contains(ans.SQL, "1995-01-01") {
		t.Fatalf("template hit: %+v, err %v", ans, err)
	}
	if err := e.admin.QueryRow("SELECT count(*) FROM employees WHERE hire_date < '1995-01-01'").Scan(&want); err != nil {
		t.Fatal(err)
	}
	if got := toInt(t, ans.Rows[0][0]); got != want {
		t.Errorf("template rows %v, want %d", ans.Rows, want)
	}
	var bankStep *trace.Step
	for i := range ans.Steps {
		if ans.Steps[i].Name == trace.StepBank {
			bankStep = &ans.Steps[i]
		}
	}
	if bankStep == nil || !strings.Contains(bankStep.Decision, "template") || !strings.Contains(bankStep.Decision, "knowledge:") {
		t.Errorf("the trace does not say which bank entry answered: %+v", bankStep)
	}
	if srv.Count() != 0 {
		t.Errorf("the model was called %d times for bank hits", srv.Count())
	}
}

func TestMetricsAndSchemaQuestions(t *testing.T) {
	ctx := context.Background()
	p, srv, _, _ := knowledgePipeline(t)

	ans, err := p.Ask(ctx, pipeline.Request{Question: "What is our retention?"})
	if err != nil || ans.Outcome != pipeline.Clarify || ans.Clarification == nil || len(ans.Clarification.Choices) != 2 {
		t.Fatalf("ambiguous metric: %+v, err %v", ans, err)
	}
	labels := ans.Clarification.Choices[0].Label + ans.Clarification.Choices[1].Label
	if !strings.Contains(labels, "(sales)") || !strings.Contains(labels, "(hr)") || ans.SQL != "" {
		t.Errorf("choices %+v", ans.Clarification.Choices)
	}

	ans, err = p.Ask(ctx, pipeline.Request{Question: "What does retention mean in hr?"})
	if err != nil || ans.Outcome != pipeline.Info || ans.Intent != pipeline.IntentMetricInfo || ans.SQL != "" || !strings.Contains(ans.Summary, "still works here") || strings.Contains(ans.Summary, "more than one order") {
		t.Fatalf("metric info: %+v, err %v", ans, err)
	}

	ans, err = p.Ask(ctx, pipeline.Request{Question: "Which tables hold research data?"})
	if err != nil || ans.Outcome != pipeline.Info || ans.Intent != pipeline.IntentSchemaInfo || !strings.Contains(ans.Summary, "project_members") {
		t.Fatalf("schema info: %+v, err %v", ans, err)
	}
	if srv.Count() != 0 {
		t.Errorf("model called %d times for questions that need no SQL", srv.Count())
	}
}

func TestResolvedMetricReachesThePrompt(t *testing.T) {
	p, srv, _, _ := knowledgePipeline(t, sqlReply("SELECT AVG(CASE WHEN active THEN 1.0 ELSE 0.0 END) AS retention FROM employees"))
	ans, err := p.Ask(context.Background(), pipeline.Request{Question: "What is the retention in hr among people hired after 2010?"})
	if err != nil || ans.Outcome != pipeline.Answered || srv.Count() != 1 {
		t.Fatalf("answer %+v, err %v", ans, err)
	}
	msgs := chatMessages(t, srv.Requests()[0].Body)
	prompt := msgs[len(msgs)-1].Content
	if !strings.Contains(prompt, "still works here") || strings.Contains(prompt, "more than one order") {
		t.Errorf("the prompt should carry the hr definition only:\n%s", prompt)
	}
}

func TestAuditLog(t *testing.T) {
	ctx := context.Background()
	p, _, _, st := knowledgePipeline(t, llmtest.Status(503, "down"))
	ids := map[string]pipeline.Outcome{}
	for _, q := range []string{"How many employees were hired before 1990?", "delete the test customers", "", "How many orders were shipped?"} {
		ans, _ := p.Ask(ctx, pipeline.Request{Question: q, User: "ann"})
		ids[ans.ID] = ans.Outcome
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	ans, _ := p.Ask(cancelled, pipeline.Request{Question: "How many customers?", User: "ann"})
	ids[ans.ID] = ans.Outcome
	for id, outcome := range ids {
		rec, err := st.Answer(ctx, id)
		if err != nil {
			t.Errorf("answer %s (%s) is missing from the audit log: %v", id, outcome, err)
			continue
		}
		if rec.Outcome != string(outcome) || rec.User != "ann" || len(rec.Payload) == 0 {
			t.Errorf("audit record %+v, want outcome %q", rec, outcome)
		}
	}
}

func TestPromoteFeedback(t *testing.T) {
	ctx := context.Background()
	const q = "Which department has the biggest budget?"
	p, srv, _, st := knowledgePipeline(t, sqlReply("SELECT name FROM departments ORDER BY budget DESC LIMIT 1"))
	first, err := p.Ask(ctx, pipeline.Request{Question: q})
	if err != nil || first.Outcome != pipeline.Answered || srv.Count() != 1 {
		t.Fatalf("first answer %+v, err %v", first, err)
	}
	if _, err := p.Promote(ctx, first.ID); err != nil {
		t.Fatal(err)
	}
	again, err := p.Ask(ctx, pipeline.Request{Question: strings.ToLower(q)})
	if err != nil || again.Engine != pipeline.EngineBank || again.Bank.Entry.Origin != store.OriginFeedback || srv.Count() != 1 {
		t.Fatalf("after promotion: %+v, err %v, model calls %d", again, err, srv.Count())
	}
	if _, err := p.Promote(ctx, again.ID); !errors.Is(err, pipeline.ErrNotPromotable) {
		t.Errorf("promoting a bank answer: %v", err)
	}
	refused, _ := p.Ask(ctx, pipeline.Request{Question: "drop table employees"})
	if _, err := p.Promote(ctx, refused.ID); !errors.Is(err, pipeline.ErrNotPromotable) {
		t.Errorf("promoting a refusal: %v", err)
	}
	if _, err := p.Promote(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("promoting an unknown answer: %v", err)
	}
	_ = st
}

// TestKnowledgeReachesThePrompt checks that descriptions, synonyms and
// verified examples from the knowledge files shape the SQL prompt.
func TestKnowledgeReachesThePrompt(t *testing.T) {
	p, srv, _, _ := knowledgePipeline(t, sqlReply("SELECT country, count(*) FROM customers GROUP BY country"))
	ans, err := p.Ask(context.Background(), pipeline.Request{Question: "How many clients do we have per country, roughly?"})
	if err != nil || ans.Outcome != pipeline.Answered {
		t.Fatalf("answer %+v, err %v", ans, err)
	}
	msgs := chatMessages(t, srv.Requests()[0].Body)
	prompt := msgs[len(msgs)-1].Content
	for _, want := range []string{
		"Every customer account; one row per person or company", // a table description
		"Q: How many customers do we have in each country?",     // the closest verified example
	} {
		if !strings.Contains(prompt, want) {
			t.Errorf("prompt lacks %q:\n%s", want, prompt)
		}
	}
}

// TestFollowUpQuestion checks that a follow-up in a conversation reaches
// the model with the earlier question and its SQL.
func TestFollowUpQuestion(t *testing.T) {
	ctx := context.Background()
	p, srv, _, _ := knowledgePipeline(t,
		sqlReply("SELECT country, count(*) AS customers FROM customers GROUP BY country"),
		sqlReply("SELECT count(*) AS customers FROM customers WHERE country = 'Germany'"))
	first, err := p.Ask(ctx, pipeline.Request{Question: "How many clients per country, roughly?", ConversationID: "talk-1"})
	if err != nil || first.Outcome != pipeline.Answered || first.ConversationID != "talk-1" {
		t.Fatalf("first: %+v, %v", first, err)
	}
	second, err := p.Ask(ctx, pipeline.Request{Question: "and only for Germany?", ConversationID: "talk-1"})
	if err != nil || second.Outcome != pipeline.Answered || second.Engine != pipeline.EngineModel {
		t.Fatalf("follow-up: %+v, %v", second, err)
	}
	msgs := chatMessages(t, srv.Requests()[1].Body)
	prompt := msgs[len(msgs)-1].Content
	if !strings.Contains(prompt, "Earlier in this conversation") || !strings.Contains(prompt, "Q: How many clients per country, roughly?") || !strings.Contains(prompt, "GROUP BY country") {
		t.Errorf("the follow-up prompt lacks the earlier question and SQL:\n%s", prompt)
	}
	alone, err := p.Ask(ctx, pipeline.Request{Question: "and only for France?", ConversationID: "another"})
	if err != nil {
		t.Fatal(err)
	}
	msgs = chatMessages(t, srv.Requests()[2].Body)
	if strings.Contains(msgs[len(msgs)-1].Content, "Earlier in this conversation") {
		t.Errorf("another conversation saw this one's history")
	}
	_ = alone
}

// TestMetricValue checks that a question asking only for a metric is
// answered with the dictionary's SQL and its required filters, with no
// model call, and that the clarification's suggested follow-up works.
func TestMetricValue(t *testing.T) {
	ctx := context.Background()
	p, srv, e, _ := knowledgePipeline(t)
	ans, err := p.Ask(ctx, pipeline.Request{Question: "What is our retention in hr?"})
	if err != nil || ans.Outcome != pipeline.Answered || ans.Engine != pipeline.EngineMetric || srv.Count() != 0 {
		t.Fatalf("metric answer %+v, err %v, model calls %d", ans, err, srv.Count())
	}
	var want float64
	if err := e.admin.QueryRow("SELECT AVG(CASE WHEN active THEN 1.0 ELSE 0.0 END) FROM employees").Scan(&want); err != nil {
		t.Fatal(err)
	}
	if got, ok := ans.Rows[0][0].(float64); !ok || got != want {
		t.Errorf("retention = %v, want %v", ans.Rows[0][0], want)
	}
	ans, err = p.Ask(ctx, pipeline.Request{Question: "What was the total revenue?"})
	if err != nil || ans.Engine != pipeline.EngineMetric || !strings.Contains(ans.SQL, "cancelled") {
		t.Fatalf("revenue must carry its required filter: %+v, %v", ans, err)
	}
	// More than the metric and its breakdown needs a query, not the dictionary's expression.
	ans, _ = p.Ask(ctx, pipeline.Request{Question: "What was the revenue of our three best customers by month?"})
	if ans.Engine == pipeline.EngineMetric {
		t.Errorf("a question with more than a breakdown was answered from the metric alone: %s", ans.SQL)
	}
}

// TestOutOfScope checks questions the schema knows nothing about: with no
// model they are out of scope at once; with one, the fast model decides.
func TestOutOfScope(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")
	if err := sample.EnsureSQLite(ctx, path, sourcetest.Options()); err != nil {
		t.Fatal(err)
	}
	set := source.NewSet(&config.Config{Sources: map[string]config.Source{"s": {Kind: "sqlite", Path: path}}}, nil)
	defer set.Close()

	p := pipeline.New(pipeline.Options{Sources: set})
	ans, err := p.Ask(ctx, pipeline.Request{Question: "Tell me a joke"})
	if err != nil || ans.Intent != pipeline.IntentOutOfScope || ans.Outcome != pipeline.NoSQL || !strings.Contains(ans.Message, "customers") {
		t.Fatalf("no model: %+v, %v", ans, err)
	}

	m, srv := scriptedModel(t, llmtest.Text("OUT_OF_SCOPE", 20, 2))
	p = pipeline.New(pipeline.Options{Sources: set, SQLModel: m, Engine: pipeline.EngineModel})
	ans, err = p.Ask(ctx, pipeline.Request{Question: "Sing me a song"})
	if err != nil || ans.Intent != pipeline.IntentOutOfScope || srv.Count() != 1 || ans.ModelCalls != 1 {
		t.Fatalf("model says out of scope: %+v, %v, calls %d", ans, err, srv.Count())
	}

	m, srv = scriptedModel(t, llmtest.Text("QUERY", 20, 2), sqlReply("SELECT count(*) FROM employees"))
	p = pipeline.New(pipeline.Options{Sources: set, SQLModel: m, Engine: pipeline.EngineModel})
	ans, err = p.Ask(ctx, pipeline.Request{Question: "How big is our workforce?"})
	if err != nil || ans.Outcome != pipeline.Answered || srv.Count() != 2 { // the decision, then the SQL (no summary model)
		t.Fatalf("model says query: %+v, %v, calls %d", ans, err, srv.Count())
	}

	// A question that links to tables never costs the extra call.
	m, srv = scriptedModel(t, sqlReply("SELECT count(*) FROM customers"))
	p = pipeline.New(pipeline.Options{Sources: set, SQLModel: m, Engine: pipeline.EngineModel, Summary: false})
	if ans, err := p.Ask(ctx, pipeline.Request{Question: "How many customers are there?"}); err != nil || ans.Outcome != pipeline.Answered || srv.Count() != 1 {
		t.Fatalf("in-scope question: %+v, %v, calls %d", ans, err, srv.Count())
	}
}

// TestBankTemplateWithStoredValue checks that a promoted question matches
// another with a different stored value ("France" → "Spain").
func TestBankTemplateWithStoredValue(t *testing.T) {
	ctx := context.Background()
	p, srv, e, _ := knowledgePipeline(t, sqlReply("SELECT count(*) AS customers FROM customers WHERE country = 'France'"))
	first, err := p.Ask(ctx, pipeline.Request{Question: "How many of our clients live in France, roughly?"})
	if err != nil || first.Outcome != pipeline.Answered {
		t.Fatalf("first: %+v, %v", first, err)
	}
	if _, err := p.Promote(ctx, first.ID); err != nil {
		t.Fatal(err)
	}
	ans, err := p.Ask(ctx, pipeline.Request{Question: "How many of our clients live in Spain, roughly?"})
	if err != nil || ans.Engine != pipeline.EngineBank || ans.Bank == nil || !ans.Bank.Template || srv.Count() != 1 {
		t.Fatalf("template answer: %+v, %v, model calls %d", ans, err, srv.Count())
	}
	var want int
	if err := e.admin.QueryRow("SELECT count(*) FROM customers WHERE country = 'Spain'").Scan(&want); err != nil {
		t.Fatal(err)
	}
	if got := toInt(t, ans.Rows[0][0]); got != want {
		t.Errorf("Spain: %d customers, want %d", got, want)
	}
}

// TestNotEnglish checks that a question in another language is not called
// off-topic: with no model askdb says the offline engine reads English
// only; with a model, the model gets the question.
func TestNotEnglish(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")
	if err := sample.EnsureSQLite(ctx, path, sourcetest.Options()); err != nil {
		t.Fatal(err)
	}
	set := source.NewSet(&config.Config{Sources: map[string]config.Source{"s": {Kind: "sqlite", Path: path}}}, nil)
	defer set.Close()

	p := pipeline.New(pipeline.Options{Sources: set, Offline: offline.New()})
	for _, q := range []string{"¿Cuántos clientes hay?", "Wie viele Mitarbeiter gibt es?", "顧客は何人いますか"} {
		ans, err := p.Ask(ctx, pipeline.Request{Question: q})
		if err != nil || ans.Outcome != pipeline.NoSQL || ans.Intent == pipeline.IntentOutOfScope || !strings.Contains(ans.Message, offline.EnglishOnly) {
			t.Errorf("%q with no model: intent %q, outcome %q, message %q, err %v", q, ans.Intent, ans.Outcome, ans.Message, err)
		}
	}
	// An English question about nothing in the data is still off-topic.
	if ans, _ := p.Ask(ctx, pipeline.Request{Question: "Tell me a joke"}); ans.Intent != pipeline.IntentOutOfScope {
		t.Errorf("English joke: intent %q, message %q", ans.Intent, ans.Message)
	}

	m, srv := scriptedModel(t, sqlReply("SELECT count(*) FROM customers"))
	p = pipeline.New(pipeline.Options{Sources: set, SQLModel: m, Engine: pipeline.EngineModel, Summary: false})
	ans, err := p.Ask(ctx, pipeline.Request{Question: "¿Cuántos clientes hay?"})
	if err != nil || ans.Outcome != pipeline.Answered || srv.Count() != 1 {
		t.Fatalf("with a model: outcome %q (%s), err %v, calls %d", ans.Outcome, ans.Message, err, srv.Count())
	}
}
