package route

import (
	"context"
	"fmt"
	"strings"

	"github.com/askdb/askdb/internal/llm"
)

const tieBreakSystem = `You choose which database can answer a question. You are given the question and a few candidate databases with their descriptions and the tables that match the question. Reply with exactly one database name from the list, or UNSURE when the question could be about more than one.`

// tieBreak asks the fast model to pick one of the close candidates. Only
// the candidates, their descriptions and matching tables are sent, never
// a catalog. It returns "" when the model is unsure, fails or names
// something else.
func tieBreak(ctx context.Context, m llm.Model, question string, cs []Candidate, desc map[string]string) (string, *llm.Response) {
	var b strings.Builder
	fmt.Fprintf(&b, "Question: %s\nDatabases:\n", question)
	for _, c := range cs {
		fmt.Fprintf(&b, "- %s", c.Source)
		if d := desc[c.Source]; d != "" {
			fmt.Fprintf(&b, ": %s", d)
		}
		if len(c.Tables) > 0 {
			fmt.Fprintf(&b, " (matching tables: %s)", strings.Join(c.Tables, ", "))
		}
		b.WriteString("\n")
	}
	resp, err := m.Chat(ctx, llm.Request{
		System:    tieBreakSystem,
		Messages:  []llm.Message{{Role: llm.RoleUser, Content: b.String()}},
		MaxTokens: 20,
	})
	if err != nil {
		return "", nil
	}
	reply := strings.Trim(strings.TrimSpace(resp.Text), "`'\".* ")
	for _, c := range cs {
		if strings.EqualFold(reply, c.Source) {
			return c.Source, resp
		}
	}
	return "", resp
}
