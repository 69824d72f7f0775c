package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestParse(t *testing.T) {
	const doc = `
sources:
  sample:    {kind: sqlite, path: ./sample.db}
  warehouse: {kind: postgres, dsn: "postgres://askdb_ro@${PGHOST:localhost}:5432/shop?sslmode=disable", query_timeout: 10s}
  hr:
    kind: mysql
    dsn: "askdb_ro:${HR_PASSWORD}@tcp(localhost:3306)/hr"
    max_rows: 50
    policy:
      deny: [employees.salary]
default_source: warehouse
`
	cfg, err := Parse([]byte(doc), env(map[string]string{"HR_PASSWORD": "s3cret"}))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Source{
		"sample":    {Kind: "sqlite", Path: "./sample.db"},
		"warehouse": {Kind: "postgres", DSN: "postgres://askdb_ro@localhost:5432/shop?sslmode=disable", QueryTimeout: Duration(10 * time.Second)},
		"hr":        {Kind: "mysql", DSN: "askdb_ro:s3cret@tcp(localhost:3306)/hr", MaxRows: 50, Policy: Policy{Deny: []string{"employees.salary"}}},
	}
	if diff := cmp.Diff(want, cfg.Sources, cmpopts.IgnoreFields(Source{}, "Lines")); diff != "" {
		t.Errorf("sources (-want +got):\n%s", diff)
	}
	if got := cfg.SourceNames(); !cmp.Equal(got, []string{"hr", "sample", "warehouse"}) {
		t.Errorf("SourceNames = %v", got)
	}
	rows, _, timeout := cfg.Sources["warehouse"].Limits()
	if rows != DefaultMaxRows || timeout != 10*time.Second {
		t.Errorf("Limits = %d, %v", rows, timeout)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, doc string
		want      []string // substrings of the error
	}{
		{"unknown key names key and line", "sources:\n  s:\n    kind: sqlite\n    paht: x.db\n", []string{`unknown key "paht"`, "line 4"}},
		{"unknown top-level key", "sourcez: {}\n", []string{`unknown key "sourcez"`, "line 1"}},
		{"missing variable", "sources:\n  s: {kind: mysql, dsn: \"${NOPE}\"}\n", []string{"NOPE", "line 2"}},
		{"missing kind", "sources:\n  s: {path: x.db}\n", []string{`source "s"`, "kind is required"}},
		{"bad duration", "sources:\n  s: {kind: sqlite, query_timeout: soon}\n", []string{"line 2", `"soon"`}},
		{"bad default source", "sources:\n  s: {kind: sqlite}\ndefault_source: t\n", []string{`default_source "t"`, "s"}},
		{"bad privacy", "ask: {privacy: everything}\n", []string{"ask.privacy", "schema_only"}},
		{"not yaml", "sources: [\n", []string{"yaml"}},
		{"cache similarity above 1", "ask: {cache: {similarity: 1.5}}\n", []string{"ask.cache.similarity", "between 0 and 1"}},
		{"negative candidates", "ask: {candidates: -1}\n", []string{"ask.candidates -1", "between 0 and 8"}},
		{"too many candidates", "ask: {candidates: 9}\n", []string{"ask.candidates 9"}},
		{"negative cache bound", "ask: {cache: {max_entries: -1}}\n", []string{"ask.cache", "must not be negative"}},
		{"unknown cache key", "ask:\n  cache:\n    ttl: 1h\n    max_entires: 3\n", []string{"line 4", `unknown key "max_entires"`}},
		{"broken flow mapping at its own line", "sources:\n  s: {kind: sqlite, path: x.db\nask: {}\n", []string{"line 2", "not closed"}},
		{"mis-indented source setting", "sources:\n  s:\n    kind: sqlite\n  max_rows: 10\n", []string{"line 4", `"max_rows" is a source setting`, "sources.<name>.max_rows"}},
		{"mis-indented model setting", "models:\n  m:\n    kind: openai\n  timeout: 5s\n", []string{"line 4", `"timeout" is a model setting`}},
		{"did you mean dsn", "sources:\n  s:\n    kind: mysql\n    dns: x\n", []string{"line 4", `unknown key "dns"`, `did you mean "dsn"`}},
		{"did you mean in ask", "ask:\n  sumary: false\n", []string{"line 2", `did you mean "summary"`}},
		{"did you mean at top level", "sources: {}\nservr: {}\n", []string{"line 2", `did you mean "server"`}},
		{"key at the wrong level says where it belongs", "sources:\n  s: {kind: sqlite}\nmax_rows: 3\n", []string{"line 3", `"max_rows" belongs under sources.<name>`}},
		{"no Go type names", "sources:\n  s: 5\n", []string{"line 2", `source "s" must be a mapping`}},
		{"unknown key in a list entry", "access:\n  - groups: [a]\n    sorces: [s]\n", []string{"line 3", `unknown key "sorces" in access`, `did you mean "sources"?`}},
		{"unknown key deep down", "server:\n  auth:\n    oidc: {issuer: x, audiense: y}\n", []string{"line 3", `unknown key "audiense" in server.auth.oidc`, `did you mean "audience"?`}},
		{"a number that is not", "sources:\n  s:\n    kind: sqlite\n    max_rows: lots\n", []string{"line 4", `sources.s.max_rows must be a whole number, not "lots"`}},
		{"a bool that is not", "ask:\n  summary: maybe\n", []string{"line 2", `ask.summary must be true or false, not "maybe"`}},
		{"a list given one value", "sources:\n  s: {kind: sqlite, schemas: public}\n", []string{"line 2", "sources.s.schemas must be a list"}},
		{"a section given one value", "ask: fast\n", []string{"line 1", "ask must be a mapping of settings"}},
		{"a map given a list", "guard:\n  functions: [a]\n", []string{"line 2", "guard.functions must be a mapping"}},
		{"the file is not a mapping", "- a\n- b\n", []string{"line 1", "the file must be a mapping"}},
		{"broken flow on the first line", "sources: {s: {kind: sqlite}\nask: {}\n", []string{"line 1", "not closed"}},
		{"broken flow after a closed multi-line one", "ask: {engine: auto,\n  privacy: rows}\nsources:\n  s: [a, b\nguard: {}\n", []string{"line 4", "not closed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.doc), env(nil))
			if err == nil {
				t.Fatal("Parse succeeded; want error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestExpand(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a ${X} b", "a 1 b"},
		{"${UNSET:fallback}", "fallback"},
		{"${UNSET:}", ""},
		{"${X:ignored}", "1"},
		{"$${X} stays", "${X} stays"},
		{"# ${UNSET} in a comment is left alone", "# ${UNSET} in a comment is left alone"},
	}
	for _, tt := range tests {
		got, err := Expand(tt.in, env(map[string]string{"X": "1"}))
		if err != nil || got != tt.want {
			t.Errorf("Expand(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestLocateAndLoad(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	t.Setenv(EnvConfig, "")
	if got := Locate(""); got != "" {
		t.Fatalf("Locate with no file = %q, want empty", got)
	}
	cfg, err := Load("")
	if err != nil || cfg.DefaultSource != SampleSourceName || cfg.Sources[SampleSourceName].Kind != SampleKind {
		t.Fatalf("Load(\"\") = %+v, %v; want the sample default", cfg, err)
	}
	if err := os.WriteFile(DefaultPath, []byte("sources:\n  a: {kind: sqlite, path: a.db}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := Locate(""); got != DefaultPath {
		t.Errorf("Locate = %q, want %q", got, DefaultPath)
	}
	other := filepath.Join(dir, "other.yaml")
	t.Setenv(EnvConfig, other)
	if got := Locate(""); got != other {
		t.Errorf("Locate with $%s = %q", EnvConfig, got)
	}
	if got := Locate("flag.yaml"); got != "flag.yaml" {
		t.Errorf("flag must win, got %q", got)
	}
	if _, err := Load(other); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("Load(missing) = %v", err)
	}
}

// TestREADMEExample keeps the README's complete configuration example
// valid: a key renamed in code without the README would fail here.
func TestREADMEExample(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	start := strings.Index(s, "## Configuration")
	block := strings.Index(s[start:], "```yaml\n")
	if start < 0 || block < 0 {
		t.Fatal("README has no configuration example")
	}
	body := s[start+block+len("```yaml\n"):]
	body = body[:strings.Index(body, "```")]
	cfg, err := Parse([]byte(body), env(map[string]string{"PGPASSWORD": "p", "HR_PASSWORD": "h", "ASKDB_API_KEY": "k"}))
	if err != nil {
		t.Fatalf("the README's example does not load: %v", err)
	}
	if len(cfg.Sources) != 3 || cfg.Ask.SQLModel != "sql" || len(cfg.Server.APIKeys) != 1 {
		t.Errorf("README example decoded to %+v", cfg)
	}
}

func TestParseCache(t *testing.T) {
	cfg, err := Parse([]byte("ask:\n  cache: {enabled: false, ttl: 2h, max_entries: 50, similarity: 0.95}\n"), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	off := false
	want := Cache{Enabled: &off, TTL: Duration(2 * time.Hour), MaxEntries: 50, Similarity: 0.95}
	if diff := cmp.Diff(want, cfg.Ask.Cache); diff != "" {
		t.Errorf("ask.cache (-want +got):\n%s", diff)
	}
}

func TestEffectiveMaxMemory(t *testing.T) {
	tests := []struct {
		name string
		src  Source
		want int64
	}{
		{"default", Source{}, DefaultMaxMemory},
		{"large max_bytes scales it", Source{MaxBytes: 256 << 20}, 8 * 256 << 20},
		{"explicit", Source{MaxMemory: 100 << 20, MaxBytes: 256 << 20}, 100 << 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.src.EffectiveMaxMemory(); got != tt.want {
				t.Errorf("EffectiveMaxMemory() = %d, want %d", got, tt.want)
			}
		})
	}
}

// TestSourceLines: kinds check their keys after decoding, and report the
// lines recorded here.
func TestSourceLines(t *testing.T) {
	doc := "sources:\n  a:\n    kind: postgres\n    dsn: x\n  b: {kind: sqlite, path: b.db}\n"
	cfg, err := Parse([]byte(doc), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{
		"a": cfg.Sources["a"].Line(""), "a.kind": cfg.Sources["a"].Line("kind"), "a.dsn": cfg.Sources["a"].Line("dsn"),
		"b.path": cfg.Sources["b"].Line("path"), "b.secret (unset: the entry's line)": cfg.Sources["b"].Line("secret"),
	}
	want := map[string]int{"a": 2, "a.kind": 3, "a.dsn": 4, "b.path": 5, "b.secret (unset: the entry's line)": 5}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
}
