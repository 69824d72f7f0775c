package sourcetest

import (
	"os"
	"strings"
	"testing"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/source"
)

// DocsConfig loads the first yaml block of a kind's docs page as a new
// user would copy it into askdb.yaml (no ${VAR} set), and fails t unless
// it parses and every source of it passes its kind's checks.
func DocsConfig(t *testing.T, page string) *config.Config {
	t.Helper()
	b, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "```yaml\n")
	block, _, closed := strings.Cut(rest, "```")
	if !ok || !closed {
		t.Fatalf("%s has no yaml block", page)
	}
	cfg, err := config.Parse([]byte(block), func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatalf("%s: the documented configuration does not parse: %v", page, err)
	}
	if err := source.CheckConfig(cfg); err != nil {
		t.Fatalf("%s: the documented configuration fails its checks: %v", page, err)
	}
	return cfg
}
