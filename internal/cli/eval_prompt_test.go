package cli_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/askdb/askdb/internal/dbtest"
)

// TestEvalPromptNeedsNoModel runs askdb eval prompt on a slice of Spider
// with no model configured and reads its JSON report.
func TestEvalPromptNeedsNoModel(t *testing.T) {
	data := dbtest.Dataset(t, "spider-dev")
	sampleEnv(t)
	code, out, errOut := run(t, "", "eval", "prompt", "--dataset", "spider", "--data", data, "--limit", "20", "--json")
	var rep struct {
		Questions    int      `json:"questions"`
		TableRecall  float64  `json:"table_recall"`
		ColumnRecall float64  `json:"column_recall"`
		ValueRecall  *float64 `json:"value_recall"`
		ExampleHit   *float64 `json:"example_hit"`
		PromptTokens struct {
			Mean float64 `json:"mean"`
			P90  int     `json:"p90"`
		} `json:"prompt_tokens"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &rep) != nil {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	if rep.Questions != 20 || rep.TableRecall < 0.9 || rep.ColumnRecall < 0.9 || rep.ValueRecall == nil || rep.ExampleHit == nil || rep.PromptTokens.Mean <= 0 || rep.PromptTokens.P90 <= 0 {
		t.Errorf("report %+v: want 20 questions, recalls, example hit and token figures", rep)
	}
	if code, _, errOut := run(t, "", "eval", "prompt", "--dataset", "wikisql"); code != 2 || !strings.Contains(errOut, "must be spider or bird") {
		t.Errorf("unknown dataset: exit %d, %s", code, errOut)
	}
}
