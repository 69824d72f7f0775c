package source_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/secret"
	"github.com/askdb/askdb/internal/source"
	_ "github.com/askdb/askdb/internal/source/duckdb"
	_ "github.com/askdb/askdb/internal/source/mysql"
	_ "github.com/askdb/askdb/internal/source/postgres"
	_ "github.com/askdb/askdb/internal/source/sqlite"
)

func noEnv(string) (string, bool) { return "", false }

func TestCheckConfig(t *testing.T) {
	tests := []struct {
		name, doc string
		want      []string // "" : no error
	}{
		{"unknown kind with did-you-mean", "sources:\n  pg:\n    kind: postgress\n    dsn: x\n",
			[]string{"line 3", `source "pg"`, `unknown source kind "postgress"`, `did you mean "postgres"?`, "known: duckdb, mysql, postgres, sample, "}},
		{"unknown kind far from any", "sources:\n  w: {kind: oracle}\n", []string{"line 2", `unknown source kind "oracle"`, "known: "}},
		{"a key the kind does not read", "sources:\n  pg:\n    kind: postgres\n    path: x.db\n", []string{"line 4", `source "pg"`, "path:", "kind postgres does not read path", "dsn, secret"}},
		{"secret on sqlite", "sources:\n  s: {kind: sqlite, path: x.db, secret: arn}\n", []string{"line 2", "does not read secret"}},
		{"sqlite without a path", "sources:\n  s:\n    kind: sqlite\n", []string{"line 2", `source "s"`, "path:", "kind: sample"}},
		{"sample takes no path", "sources:\n  s: {kind: sample, path: x.db}\n", []string{"kind sample does not read path", "no connection settings"}},
		{"bad postgres dsn", "sources:\n  pg:\n    kind: postgres\n    dsn: 'postgres://u:hunter2@h:notaport/db'\n", []string{"line 4", "dsn:"}},
		{"mysql url of another scheme", "sources:\n  hr: {kind: mysql, dsn: 'postgres://u@h/db'}\n", []string{`source "hr"`, "user:password@tcp(host:3306)/database"}},
		{"two bad entries, both reported", "sources:\n  a: {kind: sqlite}\n  b: {kind: pg}\n", []string{"line 2", "line 3", `source "a"`, `source "b"`}},
		{"valid", "sources:\n  s: {kind: sqlite, path: x.db}\n  d: {kind: sample}\n  pg: {kind: postgres, secret: arn}\n  my: {kind: mysql, dsn: 'mysql://u@h/db'}\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := config.Parse([]byte(tt.doc), noEnv)
			if err != nil {
				t.Fatalf("the YAML itself was refused: %v", err)
			}
			err = source.CheckConfig(cfg)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("CheckConfig = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatal("CheckConfig succeeded; want an error")
			}
			if !errors.Is(err, source.ErrConfig) {
				t.Errorf("error %q does not wrap ErrConfig", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error %q shows the password", err)
			}
		})
	}
}

// TestCheckConfigNormalisesMySQLURL: the URL form reaches the driver in its own form.
func TestCheckConfigNormalisesMySQLURL(t *testing.T) {
	cfg, err := config.Parse([]byte("sources:\n  hr: {kind: mysql, dsn: 'mysql://user:p%40ss@db.example:3307/hr?tls=true'}\n"), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if err := source.CheckConfig(cfg); err != nil {
		t.Fatal(err)
	}
	if got, want := cfg.Sources["hr"].DSN, "user:p@ss@tcp(db.example:3307)/hr?tls=true"; got != want {
		t.Errorf("DSN = %q, want %q", got, want)
	}
}

type storeFunc func(ctx context.Context, ref string) (secret.DB, error)

func (f storeFunc) DB(ctx context.Context, ref string) (secret.DB, error) { return f(ctx, ref) }

// TestOpenReadsTheSecret: Open fetches the secret and the kind merges it,
// before connecting; a store that fails stops the open with its error.
func TestOpenReadsTheSecret(t *testing.T) {
	var asked []string
	failing := storeFunc(func(_ context.Context, ref string) (secret.DB, error) {
		asked = append(asked, ref)
		return secret.DB{}, errors.New("access denied to the secret")
	})
	cfg := config.Source{Kind: "postgres", DSN: "postgres://127.0.0.1:1/db", Secret: "arn:db"}
	_, err := source.Open(t.Context(), "pg", cfg, source.Options{Secrets: failing})
	if err == nil || !strings.Contains(err.Error(), "access denied to the secret") || !strings.Contains(err.Error(), `source "pg"`) {
		t.Errorf("Open = %v; want the store's error, naming the source", err)
	}
	if len(asked) != 1 || asked[0] != "arn:db" {
		t.Errorf("store asked for %q, want [arn:db]", asked)
	}
	_, err = source.Open(t.Context(), "pg", cfg, source.Options{})
	if err == nil || !strings.Contains(err.Error(), "no secret store") {
		t.Errorf("Open without a store = %v", err)
	}
}
