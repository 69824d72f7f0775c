// Package testbin builds the askdb binary once per test process, for tests
// that run it as a user or a host would (an MCP client spawning it, the
// Lambda runtime invoking it). It is imported by tests only.
package testbin

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var (
	once     sync.Once
	dir      string
	buildErr error
	output   []byte
)

// Cleanup removes the binary and its sample cache; call it from TestMain
// after m.Run.
func Cleanup() {
	if dir != "" {
		os.RemoveAll(dir)
	}
}

// Askdb builds cmd/askdb once and returns its path and a sample-database
// cache folder shared by the process's tests.
func Askdb(t testing.TB) (bin, cache string) {
	t.Helper()
	once.Do(func() {
		dir, buildErr = os.MkdirTemp("", "askdb-bin-")
		if buildErr != nil {
			return
		}
		var root string
		root, buildErr = RepoRoot()
		if buildErr != nil {
			return
		}
		cmd := exec.Command("go", "build", "-o", filepath.Join(dir, "askdb"), "./cmd/askdb")
		cmd.Dir = root
		output, buildErr = cmd.CombinedOutput()
	})
	if buildErr != nil {
		t.Fatalf("build askdb: %v\n%s", buildErr, output)
	}
	return filepath.Join(dir, "askdb"), filepath.Join(dir, "cache")
}

// RepoRoot is the folder holding go.mod.
func RepoRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", err
	}
	return filepath.Dir(strings.TrimSpace(string(out))), nil
}

// Command returns the binary run with args in an empty folder (so no
// askdb.yaml is found and the sample database is used), with a minimal
// environment plus env.
func Command(t testing.TB, env map[string]string, args ...string) *exec.Cmd {
	t.Helper()
	bin, cache := Askdb(t)
	cmd := exec.Command(bin, args...)
	cmd.Dir = t.TempDir()
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + cmd.Dir, "ASKDB_CACHE_DIR=" + cache}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	return cmd
}
