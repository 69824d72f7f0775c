package sqlguard

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/askdb/askdb/internal/catalog"
)

// deepSum is "SELECT 1+1+...+1" with n operands: about 2n bytes.
func deepSum(n int) string { return "SELECT " + strings.Repeat("1+", n-1) + "1" }

func TestComplexity(t *testing.T) {
	nested := "SELECT " + strings.Repeat("(", 1200) + "1" + strings.Repeat(")", 1200)
	groupThenChain := "SELECT (" + strings.Repeat("1+", 600) + "1)" + strings.Repeat("+1", 600)
	tests := []struct {
		name     string
		dialects []catalog.Dialect
		sql      string
		want     Rule // "" means accepted
	}{
		{"long chain", catalog.Dialects(), deepSum(1500), RuleTooComplex},
		{"chain at the limit", catalog.Dialects(), deepSum(900), ""},
		{"deep parentheses", catalog.Dialects(), nested, RuleTooComplex},
		{"parenthesized chain continued", catalog.Dialects(), groupThenChain, RuleTooComplex},
		{"long IN list is flat", catalog.Dialects(), "SELECT a FROM t WHERE a IN (" + strings.Repeat("1, ", 5000) + "1)", ""},
		{"operators inside a string do not count", catalog.Dialects(), "SELECT '" + strings.Repeat("+", 5000) + "' AS s", ""},
		{"too long", catalog.Dialects(), "SELECT a FROM t WHERE a IN (" + strings.Repeat("1,", MaxSQLBytes/2) + "1)", RuleTooComplex},
		{"pg dollar quote cannot hide a chain", []catalog.Dialect{catalog.Postgres}, "SELECT $$ ' $$ || " + strings.Repeat("1+", 1500) + "1 AS x", RuleTooComplex},
		{"pg E-string cannot hide a chain", []catalog.Dialect{catalog.Postgres}, `SELECT E'\'' || ` + strings.Repeat("1+", 1500) + "1 || '' AS x", RuleTooComplex},
		{"mysql backslash cannot hide a chain", []catalog.Dialect{catalog.MySQL}, `SELECT 'a\'' , ` + strings.Repeat("1+", 1500) + "1, 'b'", RuleTooComplex},
		{"mysql ANDs chain", []catalog.Dialect{catalog.MySQL}, "SELECT a FROM t WHERE " + strings.Repeat("a=1 AND ", 700) + "a=1", RuleTooComplex},
	}
	for _, tc := range tests {
		for _, d := range tc.dialects {
			t.Run(string(d)+"/"+tc.name, func(t *testing.T) {
				v := check(tc.sql, Options{Dialect: d, MaxRows: 10})
				if diff := cmp.Diff(tc.want, v.Rule); diff != "" {
					t.Errorf("rule mismatch (-want +got):\n%s\nmessage: %s", diff, v.Message)
				}
			})
		}
	}
}

func TestComplexityMessage(t *testing.T) {
	v := Check(deepSum(1500), Options{Dialect: catalog.Postgres})
	want := "query too complex: 1499 operators in one expression; the limit is 1000; split the expression or simplify the query"
	if v.Message != want {
		t.Errorf("message = %q, want %q", v.Message, want)
	}
}

// childEnv makes the test binary check one query and print the verdict, so
// a parser crash (SIGSEGV in C code cannot be recovered) kills only the child.
const childEnv = "SQLGUARD_TEST_CHILD_DIALECT"

func TestChildCheck(t *testing.T) {
	d := os.Getenv(childEnv)
	if d == "" {
		t.Skip("only runs as the child of TestDeepInputDoesNotCrash")
	}
	sql, err := os.ReadFile(os.Getenv(childEnv + "_FILE"))
	if err != nil {
		t.Fatalf("read input: %v", err)
	}
	v := Check(string(sql), Options{Dialect: catalog.Dialect(d), MaxRows: 10})
	b, _ := json.Marshal(v)
	fmt.Printf("VERDICT %s\n", b)
}

// TestDeepInputDoesNotCrash checks a 60 KB "SELECT 1+1+...+1" (30,000
// operands) in a child process: libpg_query segfaulted on it, killing the
// whole server. The child must exit cleanly with a too_complex refusal.
func TestDeepInputDoesNotCrash(t *testing.T) {
	file := t.TempDir() + "/deep.sql"
	if err := os.WriteFile(file, []byte(deepSum(30000)), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, d := range catalog.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestChildCheck$", "-test.v")
			cmd.Env = append(os.Environ(), childEnv+"="+string(d), childEnv+"_FILE="+file)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("child process failed (%v): %.600s", err, out)
			}
			_, js, ok := strings.Cut(string(out), "VERDICT ")
			if !ok {
				t.Fatalf("child printed no verdict: %.600s", out)
			}
			var v Verdict
			if err := json.Unmarshal([]byte(strings.SplitN(js, "\n", 2)[0]), &v); err != nil {
				t.Fatalf("decode verdict: %v", err)
			}
			if v.Accepted || v.Rule != RuleTooComplex {
				t.Errorf("verdict = %s (%s), want rule %s", v.Rule, v.Message, RuleTooComplex)
			}
		})
	}
}
