package cli

import (
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/sqlguard"
)

// guard checks text with the SQL guard for src's dialect and policy, and
// returns the exact SQL to run (with the row cap applied as a LIMIT).
func (a *app) guard(src source.Source, text string, maxRows int) (string, error) {
	v := sqlguard.Check(text, a.guardOptions(src.Name(), src.Dialect(), maxRows))
	if err := v.Err(); err != nil {
		return "", err
	}
	return v.SQL, nil
}
