package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// EnvConfig is the environment variable that names the config file.
const EnvConfig = "ASKDB_CONFIG"

// DefaultPath is the config file looked for in the working directory.
const DefaultPath = "askdb.yaml"

// Config is the whole of askdb.yaml.
type Config struct {
	Sources map[string]Source `yaml:"sources"`
	// DefaultSource names the source used when a command does not say.
	// With one source it may be left out.
	DefaultSource string           `yaml:"default_source"`
	Models        map[string]Model `yaml:"models"`
	Ask           Ask              `yaml:"ask"`
	Guard         Guard            `yaml:"guard"`
	Store         Store            `yaml:"store"`
	Server        Server           `yaml:"server"`
	// Access gives groups of signed-in users sources, hidden columns and
	// row filters (access.go); empty means every caller sees everything.
	Access []AccessRule `yaml:"access"`

	// Path is the file the config was read from; empty for the embedded default.
	Path string `yaml:"-"`
}

// Source is one named database.
type Source struct {
	Kind string `yaml:"kind"`
	// Path, Files, DSN and Secret are the connection keys (ConnectionKeys).
	// Which of them a kind reads, and what they mean, is the kind's own
	// business: it checks them when the config is loaded.
	//
	// Path is a file, for file-based kinds.
	Path string `yaml:"path"`
	// Files maps table names to data files or globs, for kinds that read
	// files as tables.
	Files map[string]string `yaml:"files"`
	// DSN is a connection string, in the kind's own grammar.
	DSN string `yaml:"dsn"`
	// Secret is a secret-store reference (an AWS Secrets Manager ARN or
	// name) whose credentials the kind merges into DSN when it opens.
	Secret string `yaml:"secret"`
	// Description tells routing and users what the source holds.
	Description string `yaml:"description"`
	// Schemas limits introspection to these schemas; empty means all user schemas.
	Schemas []string `yaml:"schemas"`

	ConnectTimeout Duration `yaml:"connect_timeout"`
	QueryTimeout   Duration `yaml:"query_timeout"`
	MaxRows        int      `yaml:"max_rows"`
	MaxBytes       int64    `yaml:"max_bytes"`
	// MaxMemory is the memory an in-process engine may use for this
	// source's queries, all of them together: DuckDB's memory_limit, and
	// SQLite's process-wide heap limit (the largest of the sqlite
	// sources'). A query that needs more fails. Default: EffectiveMaxMemory.
	MaxMemory int64 `yaml:"max_memory"`

	Policy Policy `yaml:"policy"`
	// Knowledge lists YAML files (relative to askdb.yaml) with descriptions,
	// synonyms, domains, metrics and verified examples for this source.
	Knowledge []string `yaml:"knowledge"`
	// Catalog, when set, takes the source's table definitions, descriptions
	// and comments from a catalog service instead of introspection.
	Catalog *CatalogConfig `yaml:"catalog"`

	// Lines holds the line of each key of the entry in askdb.yaml, and
	// under "" the line of the entry's name, for errors found after
	// decoding. Empty for a source built in code.
	Lines map[string]int `yaml:"-"`
}

// CatalogConfig names a catalog service that describes a source's tables
// ({kind: glue, database: D, region: R}). The catalog kind checks it.
type CatalogConfig struct {
	Kind     string `yaml:"kind"`
	Database string `yaml:"database"`
	Region   string `yaml:"region"`
	// CatalogID is the AWS account that owns the Glue Data Catalog; empty
	// means the caller's own.
	CatalogID string `yaml:"catalog_id"`
}

// ConnectionKeys are the keys of a source entry whose meaning belongs to
// its kind; a kind lists the ones it reads.
var ConnectionKeys = []string{"path", "files", "dsn", "secret"}

// Line returns the line of key in the entry ("" for the entry's name),
// or 0 when it is not known.
func (s Source) Line(key string) int {
	if l, ok := s.Lines[key]; ok {
		return l
	}
	return s.Lines[""]
}

// Store is where askdb keeps the audit log, answers, feedback, the
// question bank and catalog snapshots.
type Store struct {
	// Kind is sqlite (the default, a file under the user's data directory)
	// or postgres (shared by several askdb instances).
	Kind string `yaml:"kind"`
	Path string `yaml:"path"`
	DSN  string `yaml:"dsn"`
}

// Server configures askdb serve.
type Server struct {
	// Addr is the listen address; default 127.0.0.1:8080 (loopback only).
	Addr string `yaml:"addr"`
	// APIKeys, when set, are required in the Authorization: Bearer header.
	APIKeys []string `yaml:"api_keys"`
	// MaxQuestionLength bounds a question in characters.
	MaxQuestionLength int `yaml:"max_question_length"`
	// RequestsPerMinute is the per-client rate limit; 0 means the default (60).
	RequestsPerMinute int `yaml:"requests_per_minute"`
	// Burst is how many requests a client may send at once before the rate
	// applies; 0 means a third of requests_per_minute, and never less than
	// requests_per_minute up to 20 (60 a minute: 20; 6000 a minute: 2000).
	Burst int `yaml:"burst"`
	// MaxConcurrent is the per-client concurrency limit; 0 means the default.
	MaxConcurrent int `yaml:"max_concurrent"`
	// TrustedProxies are the addresses (IPs or CIDRs) of reverse proxies
	// whose X-Forwarded-For names the real client for rate limits.
	TrustedProxies []string `yaml:"trusted_proxies"`
	// AuthFailuresPerMinute bounds wrong API keys per client address (an
	// IPv4 address or an IPv6 /64): that many in a row, then that many a
	// minute; beyond it every request from the address gets 429 with
	// Retry-After until the budget refills. 0 means the default (10).
	AuthFailuresPerMinute int `yaml:"auth_failures_per_minute"`
	// Auth adds OIDC sign-in and API keys with a user and groups.
	Auth Auth `yaml:"auth"`
}

// Policy limits what queries on a source may touch. Names are
// "table", "schema.table", "table.column" or "schema.table.column";
// "*" is allowed as the last part ("staff.*").
type Policy struct {
	Allow []string `yaml:"allow"`
	Deny  []string `yaml:"deny"`
	// AllowSystemCatalogs lets queries read pg_catalog, information_schema,
	// sqlite_master and their kin. Off by default.
	AllowSystemCatalogs bool `yaml:"allow_system_catalogs"`
	// Functions extends the dialect's function allowlist for this source.
	Functions []string `yaml:"functions"`
}

// Model is one named model endpoint.
type Model struct {
	Kind    string   `yaml:"kind"`
	Model   string   `yaml:"model"`
	Region  string   `yaml:"region"`
	Profile string   `yaml:"profile"`
	BaseURL string   `yaml:"base_url"`
	APIKey  string   `yaml:"api_key"`
	Timeout Duration `yaml:"timeout"`
	// MaxRetries bounds retries on throttling and server errors.
	MaxRetries *int `yaml:"max_retries"`
	// Fallback lists model ids tried in order when this one fails.
	Fallback    []string `yaml:"fallback"`
	MaxTokens   int      `yaml:"max_tokens"`
	Temperature *float64 `yaml:"temperature"`
	// Payload is the request body a sagemaker endpoint takes: "messages"
	// (the default) or "tgi". Other kinds ignore it.
	Payload string `yaml:"payload"`
}

// Ask configures the question pipeline.
type Ask struct {
	SQLModel  string `yaml:"sql_model"`
	FastModel string `yaml:"fast_model"`
	// EmbedModel names a model with embeddings (Bedrock Titan, an
	// OpenAI-compatible /v1/embeddings) fused into schema retrieval.
	EmbedModel     string `yaml:"embed_model"`
	RepairAttempts *int   `yaml:"repair_attempts"`
	Summary        *bool  `yaml:"summary"`
	// Privacy is "rows" (result rows may go to the summary model) or
	// "schema_only" (only column names and the row count do).
	Privacy string `yaml:"privacy"`
	// Engine is auto, model or offline.
	Engine string `yaml:"engine"`
	// Notes are business notes added to every SQL prompt.
	Notes string `yaml:"notes"`
	// Cache is the semantic cache of answered questions.
	Cache Cache `yaml:"cache"`
	// Candidates, above 1, asks the SQL model for that many queries and
	// keeps the one whose result most of them agree on (self-consistency).
	// 0 or 1 is off.
	Candidates int `yaml:"candidates"`
}

// Cache configures the semantic cache: a repeat or a close paraphrase of
// an answered question reuses its SQL (guarded and run again) instead of
// calling the model. It lives in the store, so replicas share it.
type Cache struct {
	// Enabled defaults to true; the cache needs a store.
	Enabled *bool `yaml:"enabled"`
	// TTL is how long an entry may be reused; 0 means DefaultCacheTTL.
	TTL Duration `yaml:"ttl"`
	// MaxEntries bounds each source's entries; 0 means DefaultCacheMaxEntries.
	MaxEntries int `yaml:"max_entries"`
	// Similarity is the least similarity, in (0, 1], at which a paraphrase
	// reuses an entry; 0 means DefaultCacheSimilarity.
	Similarity float64 `yaml:"similarity"`
}

// MaxCandidates bounds ask.candidates: each candidate is run on the source.
const MaxCandidates = 8

// Cache defaults.
const (
	DefaultCacheTTL        = 7 * 24 * time.Hour
	DefaultCacheMaxEntries = 1000
	DefaultCacheSimilarity = 0.9
)

// Guard holds guard settings that apply to every source.
type Guard struct {
	// Functions extends every dialect's function allowlist.
	Functions map[string][]string `yaml:"functions"`
}

// Defaults for values a config may leave out.
const (
	DefaultMaxRows        = 1000
	DefaultMaxBytes       = 16 << 20
	DefaultQueryTimeout   = 30 * time.Second
	DefaultConnectTimeout = 5 * time.Second
	// DefaultMaxMemory is the least max_memory an engine gets by default;
	// a source with a larger max_bytes gets MaxMemoryPerMaxBytes times it.
	DefaultMaxMemory     = 512 << 20
	MaxMemoryPerMaxBytes = 8
)

// Duration is a time.Duration that decodes from "30s" or "2m".
type Duration time.Duration

// UnmarshalYAML decodes a Go duration string.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	var s string
	if err := n.Decode(&s); err != nil {
		return fmt.Errorf("line %d: duration must be a string such as \"30s\"", n.Line)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("line %d: invalid duration %q: %w", n.Line, s, err)
	}
	*d = Duration(v)
	return nil
}

// Std returns d as a time.Duration.
func (d Duration) Std() time.Duration { return time.Duration(d) }

// Locate returns the config path to use: the flag, then $ASKDB_CONFIG, then
// ./askdb.yaml if it exists. It returns "" when there is no config file.
func Locate(flagPath string) string {
	if flagPath != "" {
		return flagPath
	}
	if p := os.Getenv(EnvConfig); p != "" {
		return p
	}
	if _, err := os.Stat(DefaultPath); err == nil {
		return DefaultPath
	}
	return ""
}

// Load reads and decodes the file at path. An empty path yields the
// embedded default configuration (see Default).
func Load(path string) (*Config, error) {
	if path == "" {
		return Default(), nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("config file %q does not exist", path)
		}
		return nil, fmt.Errorf("read config %q: %w", path, err)
	}
	cfg, err := Parse(data, os.LookupEnv)
	if err != nil {
		return nil, fmt.Errorf("config %q: %w", path, err)
	}
	cfg.Path = path
	return cfg, nil
}

// Parse expands variables with lookup, decodes data strictly and validates it.
func Parse(data []byte, lookup func(string) (string, bool)) (*Config, error) {
	expanded, err := Expand(string(data), lookup)
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(expanded), &doc); err != nil {
		return nil, syntaxError(expanded, err)
	}
	var cfg Config
	if err := decode(&doc, &cfg); err != nil {
		return nil, err
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	return &cfg, nil
}

// syntaxError reports a {…} or […] left open at the line that opened it.
// A syntax error leaves no yaml.Node tree to read lines from, and yaml.v3
// reports this one at its context mark, which is zero-based: the line
// before the one that opened it (or, when that is the first line, the
// line where it gave up). So the opening line is the one after the
// reported line when that line leaves a flow open, else the first line
// that does.
func syntaxError(doc string, err error) error {
	const unclosed = "did not find expected ',' or '"
	msg := err.Error()
	at := strings.Index(msg, unclosed)
	if at < 0 {
		return err
	}
	lines := strings.Split(doc, "\n")
	open := 0
	if n, ok := yamlLine(msg); ok && n < len(lines) && flowDepth(lines[n]) > 0 {
		open = n + 1
	}
	for i := 0; open == 0 && i < len(lines); i++ {
		if flowDepth(lines[i]) > 0 {
			open = i + 1
		}
	}
	if open == 0 {
		return err
	}
	return fmt.Errorf("line %d: a {…} or […] opened here is not closed on this line: %s", open, msg[at:])
}

// yamlLine reads the line number of a yaml.v3 error ("yaml: line 3: …").
func yamlLine(msg string) (int, bool) {
	rest, ok := strings.CutPrefix(msg, "yaml: line ")
	if !ok {
		return 0, false
	}
	num, _, _ := strings.Cut(rest, ":")
	n, err := strconv.Atoi(num)
	return n, err == nil
}

// flowDepth counts the {/[ a line leaves open, outside quotes and comments.
func flowDepth(line string) int {
	depth := 0
	var quote rune
	for _, r := range line {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '"' || r == '\'':
			quote = r
		case r == '#':
			return depth
		case r == '{' || r == '[':
			depth++
		case r == '}' || r == ']':
			depth--
		}
	}
	return depth
}

func (c *Config) validate() error {
	for _, name := range c.SourceNames() {
		s := c.Sources[name]
		if s.Kind == "" {
			return fmt.Errorf("source %q: kind is required", name)
		}
		if s.MaxRows < 0 {
			return fmt.Errorf("source %q: max_rows must not be negative", name)
		}
	}
	if c.DefaultSource != "" {
		if _, ok := c.Sources[c.DefaultSource]; !ok {
			return fmt.Errorf("default_source %q is not one of the sources (%s)", c.DefaultSource, joinComma(c.SourceNames()))
		}
	}
	for name, m := range c.Models {
		if m.Kind == "" {
			return fmt.Errorf("model %q: kind is required", name)
		}
	}
	switch c.Ask.Privacy {
	case "", "rows", "schema_only":
	default:
		return fmt.Errorf("ask.privacy %q: must be rows or schema_only", c.Ask.Privacy)
	}
	switch c.Store.Kind {
	case "", "sqlite", "postgres":
	default:
		return fmt.Errorf("store.kind %q: must be sqlite or postgres", c.Store.Kind)
	}
	switch c.Ask.Engine {
	case "", "auto", "model", "offline":
	default:
		return fmt.Errorf("ask.engine %q: must be auto, model or offline", c.Ask.Engine)
	}
	if c.Ask.Cache.MaxEntries < 0 || c.Ask.Cache.TTL < 0 {
		return errors.New("ask.cache: ttl and max_entries must not be negative")
	}
	if n := c.Ask.Candidates; n < 0 || n > MaxCandidates {
		return fmt.Errorf("ask.candidates %d: must be between 0 and %d", n, MaxCandidates)
	}
	if sim := c.Ask.Cache.Similarity; sim < 0 || sim > 1 {
		return fmt.Errorf("ask.cache.similarity %v: must be between 0 and 1", sim)
	}
	return c.validateAccess()
}

// SourceNames returns the source names, sorted.
func (c *Config) SourceNames() []string {
	names := make([]string, 0, len(c.Sources))
	for n := range c.Sources {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// SampleSourceName is the name of the embedded sample source.
const SampleSourceName = "sample"

// SampleKind is the source kind of the built-in sample database. Config
// names it only to build Default; the kind itself lives with the others.
const SampleKind = "sample"

// Default is the configuration used when there is no config file: the
// embedded sample database, a source of kind sample.
func Default() *Config {
	return &Config{
		Sources: map[string]Source{
			SampleSourceName: {Kind: SampleKind, Description: "askdb's built-in sample database: sales, HR and research"},
		},
		DefaultSource: SampleSourceName,
	}
}

// Limits returns the effective row, byte and time limits of a source.
func (s Source) Limits() (maxRows int, maxBytes int64, timeout time.Duration) {
	maxRows, maxBytes, timeout = s.MaxRows, s.MaxBytes, s.QueryTimeout.Std()
	if maxRows == 0 {
		maxRows = DefaultMaxRows
	}
	if maxBytes == 0 {
		maxBytes = DefaultMaxBytes
	}
	if timeout == 0 {
		timeout = DefaultQueryTimeout
	}
	return maxRows, maxBytes, timeout
}

// EffectiveMaxMemory returns max_memory, or by default the larger of
// DefaultMaxMemory and MaxMemoryPerMaxBytes × max_bytes.
func (s Source) EffectiveMaxMemory() int64 {
	if s.MaxMemory > 0 {
		return s.MaxMemory
	}
	_, maxBytes, _ := s.Limits()
	return max(DefaultMaxMemory, MaxMemoryPerMaxBytes*maxBytes)
}

// EffectiveConnectTimeout returns the connect timeout or its default.
func (s Source) EffectiveConnectTimeout() time.Duration {
	if s.ConnectTimeout == 0 {
		return DefaultConnectTimeout
	}
	return s.ConnectTimeout.Std()
}

// ResolvePath makes p relative to the config file's folder, as users
// expect of paths written in askdb.yaml. Absolute paths are kept.
func (c *Config) ResolvePath(p string) string {
	if p == "" || filepath.IsAbs(p) || c.Path == "" {
		return p
	}
	return filepath.Join(filepath.Dir(c.Path), p)
}
