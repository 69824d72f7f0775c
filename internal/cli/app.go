package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	osuser "os/user"
	"strings"

	"github.com/spf13/cobra"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/source"
)

// app is the state shared by commands of one invocation.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string

	flags struct {
		config, logFormat, logLevel string
	}
	cfg     *config.Config
	logger  *slog.Logger
	sources *source.Set
}

// setup loads config and builds the logger before any command runs.
func (a *app) setup(cmd *cobra.Command) error {
	logger, err := newLogger(a.stderr, a.flags.logFormat, a.flags.logLevel)
	if err != nil {
		return &usageError{err}
	}
	a.logger = logger
	if cmd.Name() == "version" {
		return nil
	}
	path := config.Locate(a.flags.config)
	cfg, err := config.Load(path)
	if err != nil {
		return err
	}
	if err := source.CheckConfig(cfg); err != nil {
		if path != "" {
			err = fmt.Errorf("config %q: %w", path, err)
		}
		return err
	}
	if path == "" && usesSources(cmd) {
		fmt.Fprintln(a.stderr, "askdb: no askdb.yaml found; using the built-in sample database (see README: Configuration)")
	}
	a.cfg = cfg
	a.sources = source.NewSet(cfg, logger)
	return nil
}

func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: must be debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch strings.ToLower(format) {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format %q: must be text or json", format)
}

// source opens (once) the named source, or the default one.
func (a *app) source(ctx context.Context, name string) (source.Source, error) {
	src, err := a.sources.Get(ctx, name)
	if isUsage(err) {
		return nil, &usageError{err}
	}
	return src, err
}

func (a *app) close() {
	if a.sources == nil {
		return
	}
	if err := a.sources.Close(); err != nil && a.logger != nil {
		a.logger.Warn("close sources", "err", err)
	}
}

// usesSources tells whether a command reads the configured sources, so
// that the note about the built-in sample is printed only where it matters.
func usesSources(cmd *cobra.Command) bool {
	for c := cmd; c != nil; c = c.Parent() {
		switch c.Name() {
		case "check", "eval", "version", "help", "completion", "audit":
			return false
		}
	}
	return true
}

// user names who runs the command, for the audit log: $USER, $LOGNAME,
// then the operating system's account name.
func (a *app) user() string {
	for _, k := range []string{"USER", "LOGNAME"} {
		if u := a.getenv(k); u != "" {
			return u
		}
	}
	if u, err := osuser.Current(); err == nil {
		return u.Username
	}
	return ""
}
