package pipeline_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/knowledge"
	"github.com/askdb/askdb/internal/llm/llmtest"
	"github.com/askdb/askdb/internal/offline"
	"github.com/askdb/askdb/internal/pipeline"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/trace"
)

// metricGolden are questions the metrics dictionary answers, each with
// hand-written reference SQL over the sample and the metric whose
// definition the answer must name.
var metricGolden = []struct {
	name, question, metric, want string
}{
	{"headcount", "What is the headcount?", "headcount (hr): employees who still work here",
		"SELECT COUNT(*) FROM employees WHERE active"},
	{"headcount by synonym", "What is the number of employees?", "headcount (hr)",
		"SELECT COUNT(*) FROM employees WHERE active"},
	{"return rate", "What is the return rate?", "return rate (returns-processing): share of shipped or delivered orders that came back",
		"SELECT AVG(CASE WHEN status = 'returned' THEN 1.0 ELSE 0.0 END) FROM orders WHERE status IN ('shipped', 'delivered', 'returned')"},
	{"revenue by month in a year", "revenue by month in 2024", "revenue (sales)",
		`SELECT substr(order_date, 1, 7), SUM(total) FROM orders
		 WHERE status <> 'cancelled' AND order_date BETWEEN '2024-01-01' AND '2024-12-31'
		 GROUP BY substr(order_date, 1, 7) ORDER BY 1`},
	{"monthly revenue of one month", "What was the monthly revenue in March 2024?", "revenue (sales)",
		"SELECT '2024-03', SUM(total) FROM orders WHERE status <> 'cancelled' AND order_date LIKE '2024-03-%'"},
	{"revenue last year", "How much revenue did we make last year?", "revenue (sales)",
		"SELECT SUM(total) FROM orders WHERE status <> 'cancelled' AND order_date LIKE '2024-%'"},
	{"headcount by a joined table", "headcount for each department", "headcount (hr)",
		`SELECT d.name, COUNT(*) AS n FROM employees e JOIN departments d ON d.department_id = e.department_id
		 WHERE e.active GROUP BY d.name ORDER BY n DESC, d.name`},
	{"revenue by a column one join away", "What is the revenue per country?", "revenue (sales)",
		`SELECT c.country, SUM(o.total) AS r FROM orders o JOIN customers c ON c.customer_id = o.customer_id
		 WHERE o.status <> 'cancelled' GROUP BY c.country ORDER BY r DESC, c.country`},
	{"revenue by a column synonym", "aov by customer type", "average order value (sales)",
		`SELECT c.segment, AVG(o.total) AS v FROM orders o JOIN customers c ON c.customer_id = o.customer_id
		 WHERE o.status <> 'cancelled' GROUP BY c.segment ORDER BY v DESC, c.segment`},
	{"revenue for a value one join away", "What is the revenue from customers in Germany?", "revenue (sales)",
		`SELECT SUM(o.total) FROM orders o JOIN customers c ON c.customer_id = o.customer_id
		 WHERE o.status <> 'cancelled' AND c.country = 'Germany'`},
	{"headcount of a department by year", "headcount in Engineering", "headcount (hr)",
		`SELECT COUNT(*) FROM employees e JOIN departments d ON d.department_id = e.department_id
		 WHERE e.active AND d.name = 'Engineering'`},
	{"return rate of a segment by year", "What is the return rate of Corporate customers by year?", "return rate (returns-processing)",
		`SELECT substr(o.order_date, 1, 4), AVG(CASE WHEN o.status = 'returned' THEN 1.0 ELSE 0.0 END) FROM orders o
		 JOIN customers c ON c.customer_id = o.customer_id
		 WHERE o.status IN ('shipped', 'delivered', 'returned') AND c.segment = 'Corporate' GROUP BY 1 ORDER BY 1`},
	{"the dimension with the highest value", "Which department has the highest headcount?", "headcount (hr)",
		`SELECT d.name, COUNT(*) AS n FROM employees e JOIN departments d ON d.department_id = e.department_id
		 WHERE e.active GROUP BY d.department_id, d.name ORDER BY n DESC, d.name LIMIT 1`},
	{"the top three of a column", "top 3 countries by revenue", "revenue (sales)",
		`SELECT c.country, SUM(o.total) AS r FROM orders o JOIN customers c ON c.customer_id = o.customer_id
		 WHERE o.status <> 'cancelled' GROUP BY c.country ORDER BY r DESC, c.country LIMIT 3`},
	{"the month with the lowest value in a year", "Which month had the lowest revenue in 2024?", "revenue (sales)",
		`SELECT substr(order_date, 1, 7), SUM(total) AS r FROM orders
		 WHERE status <> 'cancelled' AND order_date LIKE '2024-%' GROUP BY 1 ORDER BY r, 1 LIMIT 1`},
	{"return rate by year", "return rate by year", "return rate (returns-processing)",
		`SELECT substr(order_date, 1, 4), AVG(CASE WHEN status = 'returned' THEN 1.0 ELSE 0.0 END) FROM orders
		 WHERE status IN ('shipped', 'delivered', 'returned') GROUP BY 1 ORDER BY 1`},
}

// TestMetricGoldenRows asks each golden question with no model and with
// one (which must not be called), and compares the answer's rows with the
// reference SQL's.
func TestMetricGoldenRows(t *testing.T) {
	for _, withModel := range []bool{false, true} {
		opts, e, _ := knowledgeOptions(t)
		opts.Offline = offline.New()
		var srv *llmtest.Server
		if withModel {
			opts.SQLModel, srv = scriptedModel(t)
		}
		p := pipeline.New(opts)
		for _, tc := range metricGolden {
			t.Run(fmt.Sprintf("%s/model=%v", tc.name, withModel), func(t *testing.T) {
				ans, err := p.Ask(context.Background(), pipeline.Request{Question: tc.question})
				if err != nil || ans.Outcome != pipeline.Answered {
					t.Fatalf("outcome %s, err %v: %s", ans.Outcome, err, ans.Message)
				}
				if ans.Engine != pipeline.EngineMetric || ans.ChosenBy == nil || ans.ChosenBy.Kind != pipeline.ChosenByMetric {
					t.Fatalf("engine %q, chosen by %+v; want the metric", ans.Engine, ans.ChosenBy)
				}
				t.Logf("SQL: %s\nsummary: %s", ans.SQL, ans.Summary)
				if diff := cmp.Diff(queryRows(t, e.admin, tc.want), normalRows(ans.Rows)); diff != "" {
					t.Errorf("rows differ from the reference (-want +got):\n%s\nSQL: %s", diff, ans.SQL)
				}
				if !strings.Contains(ans.ChosenBy.Label, tc.metric) || !strings.Contains(ans.Summary, "Definition used: "+tc.metric) {
					t.Errorf("label %q, summary %q: the definition %q is not named", ans.ChosenBy.Label, ans.Summary, tc.metric)
				}
			})
		}
		if srv != nil && srv.Count() != 0 {
			t.Errorf("the model was called %d times for questions the dictionary answers", srv.Count())
		}
	}
}

// TestTwoReadingsSayWhichDefinition checks the two readings of "how many
// employees": every row, or the headcount metric's active employees, and
// that the metric answer says which definition gave its number.
func TestTwoReadingsSayWhichDefinition(t *testing.T) {
	opts, e, _ := knowledgeOptions(t)
	opts.Offline = offline.New()
	p := pipeline.New(opts)
	ctx := context.Background()
	all, err := p.Ask(ctx, pipeline.Request{Question: "How many employees are there?"})
	if err != nil || all.Outcome != pipeline.Answered {
		t.Fatalf("all employees: %+v, %v", all, err)
	}
	active, err := p.Ask(ctx, pipeline.Request{Question: "What is the number of employees?"})
	if err != nil || active.Outcome != pipeline.Answered {
		t.Fatalf("headcount: %+v, %v", active, err)
	}
	var everyone, still int
	if err := e.admin.QueryRow("SELECT COUNT(*), SUM(CASE WHEN active THEN 1 ELSE 0 END) FROM employees").Scan(&everyone, &still); err != nil {
		t.Fatal(err)
	}
	if everyone == still {
		t.Fatal("the sample has no former employees: the two readings cannot be told apart")
	}
	if got := toInt(t, all.Rows[0][0]); got != everyone || all.ChosenBy == nil || all.ChosenBy.Kind != pipeline.ChosenByOffline {
		t.Errorf("how many employees: %d chosen by %+v, want %d by the offline rules", got, all.ChosenBy, everyone)
	}
	if !strings.Contains(all.Summary, "Every row of employees is counted; the metric headcount (hr) counts only employees who still work here.") {
		t.Errorf("the count of every employee does not name the other reading: %q", all.Summary)
	}
	early, err := p.Ask(ctx, pipeline.Request{Question: "How many employees were hired before 1990?"})
	if err != nil || early.Outcome != pipeline.Answered || strings.Contains(early.Summary, "headcount") {
		t.Errorf("a count of a subset names the headcount: %q, %v", early.Summary, err)
	}
	if got := toInt(t, active.Rows[0][0]); got != still || !strings.Contains(active.Summary, "employees who still work here") {
		t.Errorf("number of employees: %d, summary %q; want %d with the headcount definition", got, active.Summary, still)
	}
}

// TestChosenByOnEachPath checks that every way of choosing SQL says so,
// on the answer and in the trace.
func TestChosenByOnEachPath(t *testing.T) {
	ctx := context.Background()
	opts, _, _ := knowledgeOptions(t)
	opts.Offline = offline.New()
	m, _ := scriptedModel(t, sqlReply("SELECT name FROM departments ORDER BY budget DESC LIMIT 1"))
	opts.SQLModel = m
	opts.OfflineMinConfidence = 0.99 // the departments question goes to the model
	p := pipeline.New(opts)

	cases := []struct {
		name, question, kind, label, step string
	}{
		{"bank", "How many employees were hired before 1990?", pipeline.ChosenByBank, `verified question "How many employees were hired before 1990?"`, trace.StepBank},
		{"bank template", "How many employees were hired before 1995?", pipeline.ChosenByBank, `verified question "How many employees were hired before 1990?" with other values`, trace.StepBank},
		{"metric", "What is the headcount?", pipeline.ChosenByMetric, "metric: headcount (hr): employees who still work here", trace.StepGenerate},
		{"model", "Which department has the biggest budget, please, if you know?", pipeline.ChosenByModel, "model: scripted", trace.StepGenerate},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ans, err := p.Ask(ctx, pipeline.Request{Question: tc.question})
			if err != nil || ans.Outcome != pipeline.Answered {
				t.Fatalf("%+v, %v", ans, err)
			}
			if ans.ChosenBy == nil || ans.ChosenBy.Kind != tc.kind || ans.ChosenBy.Label != tc.label {
				t.Fatalf("chosen by %+v, want %s %q", ans.ChosenBy, tc.kind, tc.label)
			}
			if !stepSays(ans, tc.step, tc.label) {
				t.Errorf("no %s step says %q: %+v", tc.step, tc.label, ans.Steps)
			}
		})
	}

	t.Run("offline", func(t *testing.T) {
		opts, _, _ := knowledgeOptions(t)
		opts.Offline = offline.New()
		ans, err := pipeline.New(opts).Ask(ctx, pipeline.Request{Question: "How many customers are there?"})
		if err != nil || ans.Outcome != pipeline.Answered || ans.ChosenBy == nil {
			t.Fatalf("%+v, %v", ans, err)
		}
		c := ans.ChosenBy
		want := fmt.Sprintf("offline rules, confidence %.2f", c.Confidence)
		if c.Kind != pipeline.ChosenByOffline || c.Confidence <= 0 || c.Confidence > 1 || c.Label != want || !stepSays(ans, trace.StepGenerate, want) {
			t.Errorf("chosen by %+v", c)
		}
	})
	t.Run("user", func(t *testing.T) {
		ans, err := p.RunSQL(ctx, "", "SELECT count(*) FROM customers", nil)
		if err != nil || ans.ChosenBy == nil || ans.ChosenBy.Kind != pipeline.ChosenByUser {
			t.Errorf("%+v, %v", ans.ChosenBy, err)
		}
	})
	t.Run("abstention", func(t *testing.T) {
		opts, _, _ := knowledgeOptions(t)
		opts.Offline = offline.New()
		ans, _ := pipeline.New(opts).Ask(ctx, pipeline.Request{Question: "Which employee has the most unusual hobby?"})
		if ans.Outcome == pipeline.Answered || ans.ChosenBy != nil {
			t.Errorf("an unanswered question claims a choice: %s, %+v", ans.Outcome, ans.ChosenBy)
		}
	})
}

func stepSays(ans *pipeline.Answer, name, text string) bool {
	for _, s := range ans.Steps {
		if s.Name == name && strings.Contains(s.Decision, text) {
			return true
		}
	}
	return false
}

// queryRows runs reference SQL and returns its rows as strings, so that
// an int64 from one query and a float64 from another compare by value.
func queryRows(t *testing.T, db *sql.DB, q string) [][]string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatalf("reference SQL: %v\n%s", err, q)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, vals)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return normalRows(out)
}

func normalRows(rows [][]any) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = make([]string, len(r))
		for j, v := range r {
			switch x := v.(type) {
			case []byte:
				v = string(x)
			case json.Number:
				v = x.String()
			}
			if s, ok := v.(string); ok {
				if f, err := strconv.ParseFloat(s, 64); err == nil {
					v = f // a DECIMAL read as text
				}
			}
			switch x := v.(type) {
			case float64:
				out[i][j] = fmt.Sprintf("%.6f", x)
			case int64:
				out[i][j] = fmt.Sprintf("%.6f", float64(x))
			default:
				out[i][j] = fmt.Sprint(x)
			}
		}
	}
	return out
}

// TestIntegrationMetricDialects asks metric breakdowns on SQLite,
// PostgreSQL and MariaDB: the grain uses each dialect's date functions,
// checked against reference SQL that groups by EXTRACT (or substr on
// SQLite) rather than the formatting the pipeline writes.
func TestIntegrationMetricDialects(t *testing.T) {
	k, err := knowledge.Load(filepath.Join("..", "knowledge", "testdata", "sample.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, open := range engines(t) {
		e := open(t)
		t.Run(e.name, func(t *testing.T) {
			set := source.NewSet(&config.Config{Sources: map[string]config.Source{e.name: e.cfg}}, nil)
			t.Cleanup(func() { set.Close() })
			p := pipeline.New(pipeline.Options{Sources: set, Knowledge: map[string]*knowledge.Knowledge{e.name: k}, Summary: false})
			month := "EXTRACT(MONTH FROM order_date)"
			if e.cfg.Kind == "sqlite" {
				month = "substr(order_date, 6, 2)"
			}
			cases := []struct{ question, want string }{
				{"revenue by month in 2024", "SELECT SUM(total) FROM orders WHERE status <> 'cancelled' AND order_date >= '2024-01-01' AND order_date <= '2024-12-31' GROUP BY " + month + " ORDER BY " + month},
				{"headcount for each department", "SELECT COUNT(*) AS n FROM employees e JOIN departments d ON d.department_id = e.department_id WHERE e.active GROUP BY d.department_id ORDER BY n DESC, MIN(d.name)"},
			}
			for _, tc := range cases {
				ans, err := p.Ask(context.Background(), pipeline.Request{Question: tc.question})
				if err != nil || ans.Outcome != pipeline.Answered || ans.Engine != pipeline.EngineMetric {
					t.Fatalf("%q: %s by %q, err %v: %s\n%s", tc.question, ans.Outcome, ans.Engine, err, ans.Message, ans.SQL)
				}
				last := len(ans.Columns) - 1
				got := make([][]any, len(ans.Rows))
				for i, r := range ans.Rows {
					got[i] = []any{r[last]}
				}
				if diff := cmp.Diff(queryRows(t, e.admin, tc.want), normalRows(got)); diff != "" {
					t.Errorf("%q: values differ from the reference (-want +got):\n%s\nSQL: %s", tc.question, diff, ans.SQL)
				}
			}
		})
	}
}

// TestMetricQuestionNotReadable checks a question that names a metric but
// asks for more than the dictionary path reads: with no model it abstains
// in the question's own words rather than let the offline engine, which
// knows no definitions, sum cancelled orders into revenue; with a model,
// the model answers with the definition in its prompt.
func TestMetricQuestionNotReadable(t *testing.T) {
	const q = "What was the revenue of our three best customers?"
	opts, _, _ := knowledgeOptions(t)
	opts.Offline = offline.New()
	ans, err := pipeline.New(opts).Ask(context.Background(), pipeline.Request{Question: q})
	if err != nil || ans.Outcome != pipeline.NoSQL || ans.SQL != "" || ans.ChosenBy != nil {
		t.Fatalf("no model: %s, SQL %q, chosen by %+v, err %v", ans.Outcome, ans.SQL, ans.ChosenBy, err)
	}
	if !strings.Contains(ans.Message, `the metric "revenue" (sales)`) || !strings.Contains(ans.Message, `could not read "three"`) {
		t.Errorf("message: %s", ans.Message)
	}

	m, srv := scriptedModel(t, sqlReply("SELECT customer_id, SUM(total) AS revenue FROM orders WHERE status <> 'cancelled' GROUP BY customer_id ORDER BY revenue DESC LIMIT 3"))
	opts.SQLModel = m
	ans, err = pipeline.New(opts).Ask(context.Background(), pipeline.Request{Question: q})
	if err != nil || ans.Outcome != pipeline.Answered || ans.ChosenBy == nil || ans.ChosenBy.Kind != pipeline.ChosenByModel || srv.Count() != 1 {
		t.Fatalf("with a model: %s, chosen by %+v, err %v, calls %d", ans.Outcome, ans.ChosenBy, err, srv.Count())
	}
	msgs := chatMessages(t, srv.Requests()[0].Body)
	if !strings.Contains(msgs[len(msgs)-1].Content, "excluding cancelled orders") {
		t.Errorf("the prompt lacks the revenue definition")
	}
	if !stepSays(ans, trace.StepGenerate, `could not read "three"`) {
		t.Errorf("the trace does not say why the metric path passed: %+v", ans.Steps)
	}
}

// TestMetricBreakdownThatFails checks a dictionary whose time column is
// wrong: the breakdown fails EXPLAIN, and with no model the answer says so
// rather than let the offline engine answer without the definition.
func TestMetricBreakdownThatFails(t *testing.T) {
	k, err := knowledge.Parse("broken.yaml", []byte(`
metrics:
  - name: revenue
    definition: Sum of order totals, excluding cancelled orders.
    sql: SUM(orders.total)
    tables: [orders]
    filters: ["orders.status <> 'cancelled'"]
    time_column: orders.booked_on
`))
	if err != nil {
		t.Fatal(err)
	}
	opts, _, _ := knowledgeOptions(t)
	opts.Offline = offline.New()
	opts.Knowledge = map[string]*knowledge.Knowledge{"sample": k}
	ans, err := pipeline.New(opts).Ask(context.Background(), pipeline.Request{Question: "revenue by month"})
	if err != nil || ans.Outcome != pipeline.NoSQL || ans.ChosenBy != nil || !strings.Contains(ans.Message, `The metric "revenue" by month gave SQL that did not pass`) {
		t.Errorf("%s, chosen by %+v, err %v: %s", ans.Outcome, ans.ChosenBy, err, ans.Message)
	}
}
