package mcpserver_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
	buildOut  []byte
	cacheDir  string
)

// TestMain removes the binary and sample cache built for the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// askdbBinary builds cmd/askdb once per test run and returns its path and
// a sample-database cache folder shared by the tests.
func askdbBinary(t *testing.T) (bin, cache string) {
	t.Helper()
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "askdb-mcp-test-")
		if buildErr != nil {
			return
		}
		cacheDir = filepath.Join(buildDir, "cache")
		root, err := repoRoot()
		if err != nil {
			buildErr = err
			return
		}
		cmd := exec.Command("go", "build", "-o", filepath.Join(buildDir, "askdb"), "./cmd/askdb")
		cmd.Dir = root
		buildOut, buildErr = cmd.CombinedOutput()
	})
	if buildErr != nil {
		t.Fatalf("build askdb: %v\n%s", buildErr, buildOut)
	}
	return filepath.Join(buildDir, "askdb"), cacheDir
}

func repoRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", err
	}
	return filepath.Dir(strings.TrimSpace(string(out))), nil
}

// askdbCmd returns the binary run with args in an empty folder (so no
// askdb.yaml is found and the sample database is used) with env added.
func askdbCmd(t *testing.T, env map[string]string, args ...string) *exec.Cmd {
	t.Helper()
	bin, cache := askdbBinary(t)
	cmd := exec.Command(bin, args...)
	cmd.Dir = t.TempDir()
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + cmd.Dir, "ASKDB_CACHE_DIR=" + cache}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	return cmd
}
