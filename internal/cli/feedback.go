package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/askdb/askdb/internal/store"
)

func init() { extraCommands = append(extraCommands, newFeedbackCmd) }

func newFeedbackCmd(a *app) *cobra.Command {
	var comment, user string
	cmd := &cobra.Command{
		Use:   "feedback <answer-id> up|down [--comment TEXT]",
		Short: "Vote on an answer",
		Long: `Record a vote on an answer from the audit log (its id is in askdb ask --json
and in the web UI). An "up" vote lets askdb promote the question and its SQL to
the question bank after checking the SQL again.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if err := cobra.ExactArgs(2)(cmd, args); err != nil {
				return &usageError{err}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			vote := args[1]
			if vote != store.VoteUp && vote != store.VoteDown {
				return &usageError{fmt.Errorf("vote %q: must be up or down", vote)}
			}
			if user == "" {
				user = a.user()
			}
			ctx := cmd.Context()
			st, err := a.openStore(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			p, err := a.newPipeline(ctx, "", st)
			if err != nil {
				return err
			}
			res, err := p.Feedback(ctx, store.Feedback{AnswerID: args[0], User: user, Vote: vote, Comment: comment})
			if errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("answer %q is not in the store (ids come from askdb ask --json or the web UI)", args[0])
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "recorded %s vote on answer %s\n", vote, args[0])
			switch {
			case res.Promoted != nil:
				fmt.Fprintf(a.stdout, "added to the question bank: %q is now answered without a model\n", res.Promoted.Question)
			case res.Demoted != "":
				fmt.Fprintf(a.stdout, "removed entry %s from the question bank\n", res.Demoted)
			case res.Note != "":
				fmt.Fprintf(a.stdout, "question bank unchanged: %s\n", res.Note)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&comment, "comment", "", "what was right or wrong")
	cmd.Flags().StringVar(&user, "user", "", "who votes (default $USER)")
	return cmd
}

// openStore opens the configured store; a relative SQLite path is taken
// relative to askdb.yaml, like every other path in it.
func (a *app) openStore(ctx context.Context) (store.Store, error) {
	cfg := a.cfg.Store
	cfg.Path = a.cfg.ResolvePath(cfg.Path)
	st, err := store.Open(ctx, cfg, a.logger)
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	return st, nil
}
