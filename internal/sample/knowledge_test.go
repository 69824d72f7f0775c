package sample_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/askdb/askdb/internal/sample"
)

// TestKnowledgeIsTheExample catches the built-in knowledge drifting from
// the example file users copy.
func TestKnowledgeIsTheExample(t *testing.T) {
	want, err := os.ReadFile(filepath.Join("..", "..", "examples", "sample-knowledge.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(sample.Knowledge, want) {
		t.Error("internal/sample/knowledge.yaml differs from examples/sample-knowledge.yaml; copy it over")
	}
}
