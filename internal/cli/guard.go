package cli

import "github.com/askdb/askdb/internal/source"

// guard checks text with the SQL guard for src's dialect and returns the
// SQL to run. TODO(sqlguard): wired when internal/sqlguard lands.
func (a *app) guard(src source.Source, text string, maxRows int) (string, error) {
	return text, nil
}
