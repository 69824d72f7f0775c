package dbtest

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// SharedEnv names the folder that holds datasets/; by default it is
// ../shared beside the repository.
const SharedEnv = "ASKDB_TEST_SHARED_DIR"

// sharedDir is ../shared beside the repository, found from this file so
// that it does not depend on the test's working directory.
func sharedDir() string {
	if d := os.Getenv(SharedEnv); d != "" {
		return d
	}
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "shared")
}

// Dataset returns the folder of the shared dataset name. When it is
// missing the test is skipped with where it was looked for, except under
// CI=true, where it fails: CI must never pass by skipping its datasets.
func Dataset(t testing.TB, name string) string {
	t.Helper()
	dir := filepath.Join(sharedDir(), "datasets", name)
	if _, err := os.Stat(dir); err != nil {
		msg := "dataset " + name + " not found at " + dir + " (it lives in ../shared/datasets beside the repository; or set " + SharedEnv + "): " + err.Error()
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
			return ""
		}
		t.Skip(msg)
		return ""
	}
	return dir
}

// DatasetFile reads file of the shared dataset name. A missing dataset
// skips (fails under CI) as Dataset does; a missing or empty file always
// fails, since a test over no data cannot fail.
func DatasetFile(t testing.TB, name, file string) []byte {
	t.Helper()
	dir := Dataset(t, name)
	if dir == "" {
		return nil
	}
	data, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		t.Fatalf("dataset %s: %v", name, err)
		return nil
	}
	if len(bytes.TrimSpace(data)) == 0 {
		t.Fatalf("dataset %s: %s is empty", name, filepath.Join(dir, file))
		return nil
	}
	return data
}
