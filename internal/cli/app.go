package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
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
	sources map[string]source.Source
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
	if path == "" {
		fmt.Fprintln(a.stderr, "askdb: no askdb.yaml found; using the built-in sample database (see README: Configuration)")
	}
	a.cfg = cfg
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

// sourceName resolves the --source flag against the config.
func (a *app) sourceName(flag string) (string, error) {
	names := a.cfg.SourceNames()
	switch {
	case flag != "":
		if _, ok := a.cfg.Sources[flag]; !ok {
			return "", &usageError{fmt.Errorf("unknown source %q (configured: %s)", flag, strings.Join(names, ", "))}
		}
		return flag, nil
	case a.cfg.DefaultSource != "":
		return a.cfg.DefaultSource, nil
	case len(names) == 1:
		return names[0], nil
	case len(names) == 0:
		return "", fmt.Errorf("no sources configured in %q", a.cfg.Path)
	}
	return "", &usageError{fmt.Errorf("several sources are configured (%s): choose one with --source or set default_source", strings.Join(names, ", "))}
}

// source opens (once) the named source, or the default one.
func (a *app) source(ctx context.Context, flag string) (source.Source, error) {
	name, err := a.sourceName(flag)
	if err != nil {
		return nil, err
	}
	if s, ok := a.sources[name]; ok {
		return s, nil
	}
	s, err := source.Open(ctx, name, a.cfg.Sources[name], source.Options{Logger: a.logger})
	if err != nil {
		return nil, err
	}
	if a.sources == nil {
		a.sources = map[string]source.Source{}
	}
	a.sources[name] = s
	return s, nil
}

func (a *app) close() {
	for name, s := range a.sources {
		if err := s.Close(); err != nil && a.logger != nil {
			a.logger.Warn("close source", "source", name, "err", err)
		}
	}
}
