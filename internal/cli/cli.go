package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/askdb/askdb/internal/fault"
)

// Exit statuses.
const (
	ExitOK       = 0
	ExitError    = 1
	ExitUsage    = 2
	ExitRejected = 1 // a query the guard refused (askdb check)
)

// Version is set at build time with -ldflags "-X github.com/askdb/askdb/internal/cli.Version=...".
var Version = "dev"

// exitError carries a specific exit status through cobra.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usageError marks errors in how the command was called.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }

// isUsage reports whether err is, in package fault's taxonomy, a problem
// with how the command was called (a bad question, an unknown or unchosen
// source): exit status 2, as a bad flag is.
func isUsage(err error) bool {
	switch fault.Classify(err).Code {
	case fault.CodeBadQuestion, fault.CodeUnknownSource, fault.CodeSourceRequired:
		return true
	}
	return false
}

// Run executes askdb with args (without the program name) and returns the
// process exit status. Errors are printed to stderr as one plain line.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv}
	root := newRootCmd(a)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	a.close()
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) && ee.err == nil {
		return ee.code // the command already reported its outcome
	}
	fmt.Fprintln(stderr, errorLine(err))
	var ue *usageError
	switch {
	case errors.As(err, &ee):
		return ee.code
	case errors.As(err, &ue):
		return ExitUsage
	}
	return ExitError
}

func newRootCmd(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "askdb",
		Short: "Ask your databases questions in plain language",
		Long: `askdb turns questions in plain language into SQL that is proven read-only,
checked by the database's own EXPLAIN and run with limits.

With no config file it uses a built-in sample database (sales, HR, research).`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return a.setup(cmd)
		},
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{err} })
	f := root.PersistentFlags()
	f.StringVar(&a.flags.config, "config", "", "path to askdb.yaml (default $ASKDB_CONFIG, then ./askdb.yaml)")
	f.StringVar(&a.flags.logFormat, "log-format", "text", "log format: text or json")
	f.StringVar(&a.flags.logLevel, "log-level", "warn", "log level: debug, info, warn or error")
	root.AddCommand(
		newVersionCmd(a),
		newSourcesCmd(a),
		newSchemaCmd(a),
		newSQLCmd(a),
	)
	for _, add := range extraCommands {
		root.AddCommand(add(a))
	}
	return root
}

// extraCommands lets other files of this package add commands without
// touching newRootCmd's list.
var extraCommands []func(*app) *cobra.Command

func newVersionCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print askdb's version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintf(a.stdout, "askdb %s\n", Version)
			return err
		},
	}
}

// errorLine renders err as the one line askdb promises per error, with
// DSN credentials redacted: a
// message of several lines (an SDK's, a pipeline's advice) is joined with
// "; " (a space after a line ending in a colon), and the "askdb:" prefix is left off a message that already names
// askdb as its subject ("askdb could not answer…").
func errorLine(err error) string {
	var b strings.Builder
	for _, line := range strings.Split(err.Error(), "\n") {
		if line = strings.TrimSpace(line); line == "" {
			continue
		}
		if b.Len() > 0 {
			// A line that introduces the next ("for example:") runs on.
			if strings.HasSuffix(b.String(), ":") {
				b.WriteString(" ")
			} else {
				b.WriteString("; ")
			}
		}
		b.WriteString(line)
	}
	msg := fault.Redact(b.String())
	if strings.HasPrefix(msg, "askdb ") || strings.HasPrefix(msg, "askdb:") {
		return msg
	}
	return "askdb: " + msg
}
