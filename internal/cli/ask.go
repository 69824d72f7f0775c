package cli

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/askdb/askdb/internal/pipeline"
	"github.com/askdb/askdb/internal/route"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/trace"
)

func init() { extraCommands = append(extraCommands, newAskCmd) }

func newAskCmd(a *app) *cobra.Command {
	var srcName, model, convo string
	var asJSON, showTrace, quiet, noCache bool
	cmd := &cobra.Command{
		Use:   `ask [--source S] [--model M] [--json] [--trace] question...`,
		Short: "Ask a question in plain language",
		Long: `Ask a question in plain language. askdb writes SQL with a model, proves it is one
read-only query, checks it with the database's EXPLAIN (repairing it when that
fails), runs it with limits and prints the SQL, the rows and a one-line answer.
Progress goes to stderr; --json prints the whole answer, trace included.
The question may be quoted or not: askdb ask how many employees are there.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st := a.optionalStore(ctx)
			if st != nil {
				defer st.Close()
			}
			p, err := a.newPipeline(ctx, model, st)
			if err != nil {
				return err
			}
			var progress func(trace.Step)
			if !quiet {
				progress = newProgress(a)
			}
			ans, err := p.Ask(ctx, pipeline.Request{Question: strings.Join(args, " "), Source: srcName, Observer: progress, ConversationID: convo, User: a.user(), NoCache: noCache})
			if progress != nil {
				fmt.Fprintln(a.stderr)
			}
			if asJSON {
				if werr := writeJSON(a.stdout, ans); werr != nil {
					return werr
				}
				return outcomeError(ans, err, true)
			}
			if err == nil {
				writeAnswer(a, ans, showTrace)
			}
			return outcomeError(ans, err, false)
		},
	}
	cmd.Flags().StringVar(&srcName, "source", "", "source name from askdb.yaml; omit to route the question to the source it is about")
	cmd.Flags().StringVar(&model, "model", "", "model name from askdb.yaml, or kind:model-id")
	cmd.Flags().StringVar(&convo, "conversation", "", "conversation id: follow-up questions see the earlier ones (needs the store)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the whole answer as JSON")
	cmd.Flags().BoolVar(&showTrace, "trace", false, "print every step with its timing and tokens")
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "no progress on stderr")
	cmd.Flags().BoolVar(&noCache, "no-cache", false, "refuse a cached answer and ask the model again")
	return cmd
}

// outcomeError maps an answer to the command's error: nil when answered.
func outcomeError(ans *pipeline.Answer, err error, reported bool) error {
	switch {
	case isUsage(err):
		return &usageError{err}
	case err != nil:
		if reported {
			return &exitError{code: ExitError}
		}
		return err
	case ans.Outcome == pipeline.Answered, ans.Outcome == pipeline.Info, ans.Outcome == pipeline.Clarify:
		return nil
	}
	if reported {
		return &exitError{code: ExitError}
	}
	return &exitError{code: ExitError, err: errors.New(ans.Message)}
}

// progressLabels are the words shown while a step runs.
var progressLabels = map[string]string{
	trace.StepInput:    "reading the question",
	trace.StepSource:   "choosing a source",
	trace.StepRoute:    "understanding the question",
	trace.StepBank:     "looking for a verified answer",
	pipeline.StepCache: "looking in the cache",
	trace.StepRetrieve: "finding tables",
	trace.StepGenerate: "writing SQL",
	trace.StepGuard:    "checking",
	trace.StepVerify:   "verifying with EXPLAIN",
	trace.StepExecute:  "running",
	trace.StepSummary:  "summarising",
}

func newProgress(a *app) func(trace.Step) {
	var mu sync.Mutex
	return func(s trace.Step) {
		mu.Lock()
		defer mu.Unlock()
		switch s.Status {
		case trace.StatusRunning:
			fmt.Fprintf(a.stderr, "%s… ", progressLabels[s.Name])
		case trace.StatusFailed:
			fmt.Fprintf(a.stderr, "(%s) ", s.Decision)
		}
	}
}

func writeAnswer(a *app, ans *pipeline.Answer, showTrace bool) {
	w := a.stdout
	if ans.Route != nil && ans.Route.Kind == route.Clear {
		// First: everything below comes from that source.
		fmt.Fprintf(w, "(%s)\n", ans.Route.Reason)
	}
	if ans.SQL != "" {
		fmt.Fprintf(w, "SQL (%s):\n%s\n", safeBadge(ans), indent(ans.SQL))
		if line := chosenByLine(ans); line != "" {
			fmt.Fprintln(w, line)
		}
		fmt.Fprintln(w)
	}
	switch ans.Outcome {
	case pipeline.Answered:
		res := &source.Result{Columns: ans.Columns, Rows: ans.Rows, Truncated: ans.Truncated, TruncatedBy: "rows"}
		_ = writeTable(w, res)
		fmt.Fprintf(w, "\n%s\n", ans.Summary)
	case pipeline.Info:
		fmt.Fprintln(w, ans.Summary)
	case pipeline.Clarify:
		fmt.Fprintln(w, ans.Clarification.Question)
		for i, c := range ans.Clarification.Choices {
			src := ""
			if c.Source != "" {
				src = fmt.Sprintf("--source %s ", c.Source)
			}
			fmt.Fprintf(w, "  %d. %s\n     ask: askdb ask %s%q\n", i+1, c.Label, src, c.Question)
		}
	}
	if showTrace {
		fmt.Fprintln(w, "\nsteps:")
		for _, s := range ans.Steps {
			line := fmt.Sprintf("  %-9s %8s  %s", s.Name, s.Duration.Round(10_000), s.Decision)
			if s.Model != "" {
				line += fmt.Sprintf("  [%s, %d+%d tokens]", s.Model, s.Tokens.Input, s.Tokens.Output)
			}
			if s.Error != "" {
				line += "  error: " + s.Error
			}
			fmt.Fprintln(w, line)
		}
		fmt.Fprintf(w, "  total %s, %d model calls, %d tokens\n", ans.Duration.Round(10_000), ans.ModelCalls, ans.Tokens.Total())
	}
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(s, "\n", "\n  ")
}
