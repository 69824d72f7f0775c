package source

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/registry"
	"github.com/askdb/askdb/internal/secret"
)

// Kind is what a source kind registers: how to open a source, and how to
// read its entry in askdb.yaml. Config knows no kind; each kind says
// which connection keys it reads, checks them at load, and merges its
// own secret into its own DSN grammar.
type Kind struct {
	// Open connects a source of this kind.
	Open Factory
	// Keys are the connection keys (config.ConnectionKeys) the kind reads.
	// An entry that sets any other of them fails at load.
	Keys []string
	// Check validates an entry at load and may normalise it (a DSN in
	// another form, paths relative to askdb.yaml). Report problems with
	// e.Errorf, which names the key and its line. Nil: nothing to check.
	Check func(e *Entry) error
	// MergeSecret merges a database secret into dsn, in the kind's DSN
	// grammar: user and password always, host, port and database when dsn
	// does not name them. Required when Keys holds "secret".
	MergeSecret func(dsn string, sec secret.DB) (string, error)
	// Database names the engine behind the kind where it is not the kind's
	// own name ("sqlite" for kind sample), as source lists show it.
	Database string
}

var kinds = registry.New[Kind]("source")

// Register makes a source kind available. It panics on a duplicate kind,
// or a kind that reads secret: with no MergeSecret: programming errors
// found at start-up.
func Register(name string, k Kind) {
	if slices.Contains(k.Keys, "secret") && k.MergeSecret == nil {
		panic(fmt.Sprintf("source kind %q reads secret: but has no MergeSecret", name))
	}
	kinds.Register(name, k)
}

// Kinds returns the registered kind names, sorted.
func Kinds() []string { return kinds.Kinds() }

// DatabaseOf returns the database engine behind a kind, as source lists
// show it to users and models: the kind's Database, else its name.
func DatabaseOf(kind string) string {
	if k, ok := lookupKind(kind); ok && k.Database != "" {
		return k.Database
	}
	return kind
}

// ErrConfig is wrapped by every error about a source's entry in askdb.yaml.
var ErrConfig = errors.New("invalid source configuration")

// Entry is one source's entry in askdb.yaml, as a kind's Check sees it.
type Entry struct {
	Name   string
	Source *config.Source // the kind may rewrite it
	Config *config.Config // the whole file, for ResolvePath
}

// Errorf returns an error about key of the entry ("" for the entry as a
// whole) that names its line and the source: `line 4: source "pg": dsn: …`.
func (e *Entry) Errorf(key, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if key != "" {
		msg = key + ": " + msg
	}
	return e.errorAt(key, msg)
}

// errorAt returns msg about the entry at the line of key.
func (e *Entry) errorAt(key, msg string) error {
	msg = fmt.Sprintf("source %q: %s", e.Name, msg)
	if line := e.Source.Line(key); line > 0 {
		msg = fmt.Sprintf("line %d: %s", line, msg)
	}
	return &configError{msg: msg}
}

type configError struct{ msg string }

func (e *configError) Error() string        { return e.msg }
func (e *configError) Is(target error) bool { return target == ErrConfig }

// CheckConfig checks every source entry of cfg against its kind: the kind
// exists (else a did-you-mean), the entry sets only connection keys the
// kind reads, and the kind's own Check passes. It may normalise entries,
// so call it once, right after config.Load. All problems are reported,
// one per line.
func CheckConfig(cfg *config.Config) error {
	var errs []error
	for _, name := range cfg.SourceNames() {
		s := cfg.Sources[name]
		e := &Entry{Name: name, Source: &s, Config: cfg}
		if err := checkEntry(e); err != nil {
			errs = append(errs, err)
			continue
		}
		cfg.Sources[name] = s
	}
	return errors.Join(errs...)
}

func checkEntry(e *Entry) error {
	k, ok := lookupKind(e.Source.Kind)
	if !ok {
		known := Kinds()
		msg := fmt.Sprintf("unknown source kind %q", e.Source.Kind)
		if s := config.Closest(e.Source.Kind, known); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		}
		return e.errorAt("kind", msg+" (known: "+strings.Join(known, ", ")+")")
	}
	for _, key := range config.ConnectionKeys {
		if isSet(*e.Source, key) && !slices.Contains(k.Keys, key) {
			return e.Errorf(key, "kind %s does not read %s:%s", e.Source.Kind, key, readsHint(k.Keys))
		}
	}
	if err := checkCatalog(e); err != nil {
		return err
	}
	if k.Check == nil {
		return nil
	}
	return k.Check(e)
}

func readsHint(keys []string) string {
	if len(keys) == 0 {
		return " it takes no connection settings"
	}
	return " it reads " + strings.Join(keys, ", ")
}

func isSet(s config.Source, key string) bool {
	switch key {
	case "path":
		return s.Path != ""
	case "files":
		return len(s.Files) > 0
	case "dsn":
		return s.DSN != ""
	case "secret":
		return s.Secret != ""
	}
	return false
}

func lookupKind(name string) (Kind, bool) {
	k, err := kinds.Lookup(name)
	return k, err == nil
}

// Open opens the named source with its kind, first merging the source's
// secret (read from opts.Secrets) into its DSN.
func Open(ctx context.Context, name string, cfg config.Source, opts Options) (Source, error) {
	k, err := kinds.Lookup(cfg.Kind)
	if err != nil {
		return nil, fmt.Errorf("source %q: %w", name, err)
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Secret != "" {
		if cfg, err = withSecret(ctx, k, cfg, opts.Secrets); err != nil {
			return nil, fmt.Errorf("source %q: %w", name, err)
		}
	}
	src, err := k.Open(ctx, name, cfg, opts)
	if err != nil {
		return nil, fmt.Errorf("source %q: %w", name, err)
	}
	wrapped, err := withCatalog(ctx, src, name, cfg, opts)
	if err != nil {
		return nil, fmt.Errorf("source %q: %w", name, errors.Join(err, closeOnError(src)))
	}
	return wrapped, nil
}

// withSecret returns cfg with its secret merged into its DSN.
func withSecret(ctx context.Context, k Kind, cfg config.Source, store secret.Store) (config.Source, error) {
	if k.MergeSecret == nil {
		return cfg, fmt.Errorf("secret: kind %s does not read secrets", cfg.Kind)
	}
	if store == nil {
		return cfg, fmt.Errorf("secret %q: no secret store is configured", cfg.Secret)
	}
	sec, err := store.DB(ctx, cfg.Secret)
	if err != nil {
		return cfg, err
	}
	dsn, err := k.MergeSecret(cfg.DSN, sec)
	if err != nil {
		return cfg, fmt.Errorf("secret %q: %w", cfg.Secret, err)
	}
	cfg.DSN = dsn
	return cfg, nil
}
