package dbtest

import (
	"os"
	"path/filepath"
	"testing"
)

// recorder is a testing.TB that records how a helper ended the test.
type recorder struct {
	testing.TB
	failed, skipped bool
}

func (r *recorder) Helper()               { _ = 0 }
func (r *recorder) Fatal(...any)          { r.failed = true }
func (r *recorder) Fatalf(string, ...any) { r.failed = true }
func (r *recorder) Skip(...any)           { r.skipped = true }
func (r *recorder) Skipf(string, ...any)  { r.skipped = true }

func TestDatasetMissingOrEmpty(t *testing.T) {
	shared := t.TempDir()
	if err := os.MkdirAll(filepath.Join(shared, "datasets", "bird"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(shared, "datasets", "bird", "empty.sql"), []byte("\n \n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(SharedEnv, shared)
	tests := []struct {
		name, ci, dataset, file string
		failed, skipped         bool
	}{
		{"missing dataset skips on a laptop", "", "nope", "x.sql", false, true},
		{"missing dataset fails in CI", "true", "nope", "x.sql", true, false},
		{"empty file fails", "", "bird", "empty.sql", true, false},
		{"missing file fails", "", "bird", "gone.sql", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("CI", tt.ci)
			r := &recorder{TB: t}
			DatasetFile(r, tt.dataset, tt.file)
			if r.failed != tt.failed || r.skipped != tt.skipped {
				t.Errorf("failed %v skipped %v, want failed %v skipped %v", r.failed, r.skipped, tt.failed, tt.skipped)
			}
		})
	}
}
