//go:build !duckdb

package duckdb

import (
	"context"
	"errors"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/source"
)

// ErrNotBuilt is returned when the binary was built without the duckdb tag.
var ErrNotBuilt = errors.New("askdb was built without DuckDB support; build with `make build` " +
	"(which sets -tags duckdb) or `go build -tags duckdb ./cmd/askdb`")

// New fails: DuckDB is linked only with the duckdb build tag, which keeps
// the ~60 MB engine out of binaries and tests that do not need it.
func New(context.Context, string, config.Source, source.Options) (source.Source, error) {
	return nil, ErrNotBuilt
}
