package pipeline_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/llm/llmtest"
	"github.com/askdb/askdb/internal/pipeline"
	"github.com/askdb/askdb/internal/trace"
)

// Candidate queries over the SQLite sample: two agree on the employee
// count, one counts departments instead, one would write.
const (
	countStar  = "SELECT count(*) AS n FROM employees"
	countIDs   = "SELECT count(employee_id) AS total FROM employees"
	countDepts = "SELECT count(*) AS n FROM departments"
	deleteAll  = "DELETE FROM employees"
)

func sqlText(q string) string { return "```sql\n" + q + "\n```" }

// choices is one reply answering n > 1 with one choice per query.
func choices(qs ...string) llmtest.Reply {
	texts := make([]string, len(qs))
	for i, q := range qs {
		texts[i] = sqlText(q)
	}
	return llmtest.Reply{Text: texts[0], Choices: texts, InputTokens: 100, OutputTokens: 20 * len(qs)}
}

func candidatesPipeline(t *testing.T, n int, replies ...llmtest.Reply) (*pipeline.Pipeline, *llmtest.Server, engine) {
	t.Helper()
	e := engines(t)[0](t)
	p, srv := newPipelineWith(t, e, func(o *pipeline.Options) { o.Candidates, o.Summary = n, false }, replies...)
	return p, srv, e
}

func askQ(t *testing.T, p *pipeline.Pipeline, dryRun bool) *pipeline.Answer {
	t.Helper()
	ans, err := p.Ask(context.Background(), pipeline.Request{Question: "How many employees are there?", DryRun: dryRun})
	if err != nil {
		t.Fatal(err)
	}
	return ans
}

// sentN is the n field of each chat request the server got (0 when absent).
func sentN(t *testing.T, srv *llmtest.Server) []int {
	t.Helper()
	var out []int
	for _, r := range srv.Requests() {
		var body struct {
			N int `json:"n"`
		}
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Fatal(err)
		}
		out = append(out, body.N)
	}
	return out
}

// generateDetails are the details of the generate steps: the candidates'
// cost first, then the vote.
func generateDetails(a *pipeline.Answer) []map[string]any {
	var out []map[string]any
	for _, s := range a.Steps {
		if s.Name == trace.StepGenerate {
			d, _ := s.Detail.(map[string]any)
			out = append(out, d)
		}
	}
	return out
}

func TestCandidates(t *testing.T) {
	tests := []struct {
		name    string
		replies []llmtest.Reply
		// wantSQL is the start of the chosen query.
		wantSQL   string
		wantCalls int
		wantN     []int
		wantTok   int
		wantAgree int
		wantDrop  int
	}{
		{
			name:    "one call with n, the agreeing pair wins over the first",
			replies: []llmtest.Reply{choices(countDepts, countStar, countIDs)},
			wantSQL: countStar, wantCalls: 1, wantN: []int{3}, wantTok: 160, wantAgree: 2,
		},
		{
			name:    "a server that ignores n gets one call per candidate",
			replies: []llmtest.Reply{sqlReply(countDepts), sqlReply(countStar), sqlReply(countIDs)},
			wantSQL: countStar, wantCalls: 3, wantN: []int{3, 2, 0}, wantTok: 360, wantAgree: 2,
		},
		{
			name:    "a candidate the guard refuses is dropped, not voted",
			replies: []llmtest.Reply{choices(deleteAll, countDepts, countStar)},
			wantSQL: countDepts, wantCalls: 1, wantN: []int{3}, wantTok: 160, wantAgree: 1, wantDrop: 1,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, srv, e := candidatesPipeline(t, 3, tc.replies...)
			ans := askQ(t, p, false)
			if ans.Outcome != pipeline.Answered || !strings.HasPrefix(ans.SQL, tc.wantSQL) {
				t.Fatalf("outcome %q, SQL %q; want answered with %q (%s)", ans.Outcome, ans.SQL, tc.wantSQL, ans.Message)
			}
			wantRows := count(t, e.admin, "employees")
			if tc.wantSQL == countDepts {
				wantRows = count(t, e.admin, "departments")
			}
			if len(ans.Rows) != 1 || toInt(t, ans.Rows[0][0]) != wantRows {
				t.Errorf("rows = %v, want [[%d]]", ans.Rows, wantRows)
			}
			if ans.ModelCalls != tc.wantCalls || srv.Count() != tc.wantCalls {
				t.Errorf("model calls %d, server calls %d; want %d", ans.ModelCalls, srv.Count(), tc.wantCalls)
			}
			if got := sentN(t, srv); !slices.Equal(got, tc.wantN) {
				t.Errorf("n sent = %v, want %v", got, tc.wantN)
			}
			if ans.Tokens.Total() != tc.wantTok {
				t.Errorf("tokens = %+v, want %d in total", ans.Tokens, tc.wantTok)
			}
			d := generateDetails(ans)
			if len(d) != 2 {
				t.Fatalf("generate steps = %v, want the candidates and the vote", d)
			}
			cost, vote := d[0], d[1]
			if cost["candidates"] != 3 || cost["calls"] != tc.wantCalls || cost["tokens"].(trace.Tokens).Total() != tc.wantTok {
				t.Errorf("cost detail = %v, want 3 candidates in %d calls, %d tokens", cost, tc.wantCalls, tc.wantTok)
			}
			if vote["agree"] != tc.wantAgree || vote["dropped"] != tc.wantDrop {
				t.Errorf("vote detail = %v, want agree %d, dropped %d", vote, tc.wantAgree, tc.wantDrop)
			}
			if got := count(t, e.admin, "employees"); got == 0 {
				t.Errorf("employees emptied by a candidate")
			}
		})
	}
}

func TestCandidatesAllRefusedRepairs(t *testing.T) {
	p, srv, _ := candidatesPipeline(t, 3, choices(deleteAll, deleteAll, "SELECT * FROM nowhere_at_all"), sqlReply(countStar))
	ans := askQ(t, p, false)
	if ans.Outcome != pipeline.Answered || !strings.HasPrefix(ans.SQL, countStar) {
		t.Fatalf("outcome %q, SQL %q (%s); want the repaired count", ans.Outcome, ans.SQL, ans.Message)
	}
	if srv.Count() != 2 || ans.ModelCalls != 2 {
		t.Fatalf("server calls %d, model calls %d; want the candidates call and one repair", srv.Count(), ans.ModelCalls)
	}
	msgs := chatMessages(t, srv.Requests()[1].Body)
	if last := msgs[len(msgs)-1]; last.Role != "user" || !strings.Contains(last.Content, "not DELETE") {
		t.Errorf("repair message = %+v, want the first candidate's refusal", last)
	}
	if got := sentN(t, srv); !slices.Equal(got, []int{3, 0}) {
		t.Errorf("n sent = %v, want [3 0]: a repair asks for one query", got)
	}
}

func TestCandidatesDryRun(t *testing.T) {
	p, srv, _ := candidatesPipeline(t, 2, choices(deleteAll, countIDs))
	ans := askQ(t, p, true)
	if ans.Outcome != pipeline.Generated || !strings.HasPrefix(ans.SQL, countIDs) || hasStep(ans, trace.StepExecute) {
		t.Fatalf("outcome %q, SQL %q, steps %v; want the first passing candidate, not run", ans.Outcome, ans.SQL, stepNames(ans))
	}
	if srv.Count() != 1 {
		t.Errorf("server calls = %d, want 1", srv.Count())
	}
}

// TestCandidatesOff checks that 0 and 1 keep today's single call, with no n.
func TestCandidatesOff(t *testing.T) {
	for _, n := range []int{0, 1} {
		p, srv, _ := candidatesPipeline(t, n, sqlReply(countStar))
		ans := askQ(t, p, false)
		if ans.Outcome != pipeline.Answered || ans.ModelCalls != 1 || srv.Count() != 1 {
			t.Errorf("candidates %d: outcome %q, model calls %d, server calls %d; want one call", n, ans.Outcome, ans.ModelCalls, srv.Count())
		}
		if got := sentN(t, srv); !slices.Equal(got, []int{0}) {
			t.Errorf("candidates %d: n sent = %v, want none", n, got)
		}
		want := "input,source,retrieve,route,generate,guard,verify,execute,summary"
		if got := strings.Join(stepNames(ans), ","); got != want {
			t.Errorf("candidates %d: steps %s, want %s", n, got, want)
		}
	}
}

// TestCandidatesFromConfig checks that ask.candidates reaches the pipeline
// from a parsed askdb.yaml, and stays off when absent.
func TestCandidatesFromConfig(t *testing.T) {
	for _, tc := range []struct {
		name string
		yaml string
		want int
	}{
		{name: "absent", yaml: "ask: {}\n", want: 0},
		{name: "three", yaml: "ask: {candidates: 3}\n", want: 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := config.Parse([]byte(tc.yaml), func(string) (string, bool) { return "", false })
			if err != nil {
				t.Fatal(err)
			}
			if got := pipeline.OptionsFromConfig(cfg).Candidates; got != tc.want {
				t.Errorf("Candidates = %d, want %d", got, tc.want)
			}
		})
	}
}
