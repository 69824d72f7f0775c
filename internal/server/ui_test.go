//go:build !noui

package server

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestVendoredChartLibrary checks the checked-in ECharts against its
// stamp: the copy is the one the stamp hashed, and the stamp records the
// integrity web/package-lock.json pins. It fails when the copy is edited,
// or when the lock file moves to another ECharts without scripts/ui.sh
// re-vendoring it.
func TestVendoredChartLibrary(t *testing.T) {
	js, err := os.ReadFile(filepath.Join("ui", chartLibrary))
	if err != nil {
		t.Fatalf("the vendored chart library is missing (scripts/ui.sh restores it): %v", err)
	}
	stamp := readStamp(t, filepath.Join("ui", "vendor", "echarts.lock"))
	sum := sha256.Sum256(js)
	if got := hex.EncodeToString(sum[:]); got != stamp["sha256"] {
		t.Errorf("ui/%s has SHA-256 %s, but vendor/echarts.lock records %s: run scripts/ui.sh", chartLibrary, got, stamp["sha256"])
	}
	var lock struct {
		Packages map[string]struct{ Version, Integrity string } `json:"packages"`
	}
	b, err := os.ReadFile(filepath.Join("..", "..", "web", "package-lock.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &lock); err != nil {
		t.Fatalf("web/package-lock.json: %v", err)
	}
	pinned := lock.Packages["node_modules/echarts"]
	if pinned.Integrity == "" || pinned.Integrity != stamp["integrity"] || pinned.Version != stamp["version"] {
		t.Errorf("web/package-lock.json pins echarts %s (%s), but the vendored copy is %s (%s): run scripts/ui.sh",
			pinned.Version, pinned.Integrity, stamp["version"], stamp["integrity"])
	}
	for _, name := range []string{"echarts.LICENSE.txt", "echarts.NOTICE.txt"} {
		if fi, err := os.Stat(filepath.Join("ui", "vendor", name)); err != nil || fi.Size() == 0 {
			t.Errorf("ui/vendor/%s must ship with the library: %v", name, err)
		}
	}
}

// readStamp reads vendor/echarts.lock's "key value" lines.
func readStamp(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), " "); ok {
			m[k] = v
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return m
}
