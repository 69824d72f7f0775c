package athenatest

import (
	"encoding/json"
	"os"
	"testing"
)

// Config is a fake's behaviour, as its testdata file holds it.
type Config struct {
	Workgroups map[string]Workgroup `json:"workgroups"`
	// ReadOnly makes the caller's role unable to write: every statement
	// that is not a query fails as Athena fails it for lack of permission.
	ReadOnly bool `json:"read_only"`
	// RunningPolls is how many GetQueryExecution calls see a query QUEUED
	// or RUNNING before it may report its end.
	RunningPolls int `json:"running_polls"`
	// ScannedBytes is what a query scans: Base, plus PerTable for each
	// table its SQL names.
	ScannedBytes struct {
		Base     int64            `json:"base"`
		PerTable map[string]int64 `json:"per_table"`
	} `json:"scanned_bytes"`
	// Role is the ARN named in permission errors.
	Role string `json:"role"`
}

// Workgroup is one workgroup's configuration.
type Workgroup struct {
	OutputLocation string `json:"output_location"`
	Enforce        bool   `json:"enforce"`
	CutoffBytes    int64  `json:"cutoff_bytes"`
	EngineVersion  string `json:"engine_version"`
	State          string `json:"state"`
}

// ReadConfig reads a fake's Config from a JSON file.
func ReadConfig(t testing.TB, path string) Config {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var c Config
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatalf("athenatest: %s: %v", path, err)
	}
	return c
}
