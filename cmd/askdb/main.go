// Command askdb answers questions about your databases in plain language.
package main

import (
	"context"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/askdb/askdb/internal/cli"
	_ "github.com/askdb/askdb/internal/plugins"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, args(), os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// args returns the command line. AWS Lambda's provided.al2023 runtime runs
// /var/task/bootstrap with no arguments, so the binary installed under that
// name serves Lambda events.
func args() []string {
	if filepath.Base(os.Args[0]) == "bootstrap" && os.Getenv("AWS_LAMBDA_RUNTIME_API") != "" && len(os.Args) == 1 {
		return []string{"lambda"}
	}
	return os.Args[1:]
}
