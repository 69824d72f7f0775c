package eval

import "github.com/askdb/askdb/internal/catalog"

func catalogOpts() catalog.DDLOptions { return catalog.DDLOptions{} }
