package knowledge

import (
	"log/slog"
	"os"
	"testing"

	"github.com/askdb/askdb/internal/source"
)

var tempDirs []string

func TestMain(m *testing.M) {
	code := m.Run()
	for _, d := range tempDirs {
		os.RemoveAll(d)
	}
	os.Exit(code)
}

func osMkdirTemp() (string, error) {
	d, err := os.MkdirTemp("", "askdb-knowledge-test-")
	if err == nil {
		tempDirs = append(tempDirs, d)
	}
	return d, err
}

func sourceLimits() source.Limits { return source.Limits{MaxRows: 100} }

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }
