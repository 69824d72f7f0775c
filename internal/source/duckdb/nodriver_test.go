//go:build !duckdb

package duckdb_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/source/duckdb"
)

func TestBuiltWithoutDuckDB(t *testing.T) {
	_, err := source.Open(context.Background(), "files", config.Source{Kind: duckdb.Kind}, source.Options{})
	if !errors.Is(err, duckdb.ErrNotBuilt) || !strings.Contains(err.Error(), "-tags duckdb") || !strings.Contains(err.Error(), `"files"`) {
		t.Errorf("open without the duckdb tag: got %v, want ErrNotBuilt naming the source and the tag", err)
	}
}
