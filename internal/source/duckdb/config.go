package duckdb

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/source"
)

// The kind is registered, and its config checked, in every build; only
// opening a source needs the engine (-tags duckdb).
func init() {
	source.Register(Kind, source.Kind{Open: New, Keys: []string{"path", "files"}, Check: check})
}

// identifierRE is a table name usable unquoted in every dialect.
var identifierRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// check validates files: and path:, makes them relative to askdb.yaml's
// folder, and checks that every file (or glob) exists, so that a typo is
// reported when askdb starts rather than at the first question.
func check(e *source.Entry) error {
	s := e.Source
	if s.Path == "" && len(s.Files) == 0 {
		return e.Errorf("", "%v", errNothing)
	}
	if s.Path != "" && len(s.Files) > 0 {
		// The files are queried through a snapshot database of their own;
		// mixing in a second database would need a second engine.
		return e.Errorf("files", "%v", errPathAndFiles)
	}
	for _, table := range sortedKeys(s.Files) {
		if !identifierRE.MatchString(table) {
			return e.Errorf("files", "table name %q must be a letter or _ followed by letters, digits or _", table)
		}
		if strings.TrimSpace(s.Files[table]) == "" {
			return e.Errorf("files", "table %q has no path", table)
		}
	}
	s.Path = e.Config.ResolvePath(s.Path)
	if len(s.Files) > 0 {
		files := make(map[string]string, len(s.Files))
		for table, p := range s.Files {
			files[table] = e.Config.ResolvePath(p)
		}
		s.Files = files
	}
	if err := checkFiles(*s); err != nil {
		return e.Errorf("", "%v", err)
	}
	return nil
}

// errPathAndFiles refuses a source that names both a database file and data files.
var errPathAndFiles = errors.New("path: and files: cannot be combined; configure two duckdb sources")

// errNothing refuses a source with neither a database file nor data files.
var errNothing = errors.New("set files: (CSV or Parquet files as tables) or path: (a .duckdb file)")

// checkFiles reports the first table of files whose path names no file
// (or whose glob matches none), naming the table and the path. A "**"
// glob is checked only up to its first "**": the rest is matched by the
// engine.
func checkFiles(s config.Source) error {
	for _, table := range sortedKeys(s.Files) {
		p := s.Files[table]
		pattern := p
		if i := strings.Index(p, "**"); i >= 0 {
			pattern = filepath.Dir(p[:i+1])
		}
		matches, err := filepath.Glob(pattern)
		if err != nil {
			return fmt.Errorf("table %q: bad path pattern %q: %w", table, p, err)
		}
		if len(matches) == 0 {
			return fmt.Errorf("table %q: no file matches %q", table, p)
		}
	}
	if s.Path != "" {
		if _, err := os.Stat(s.Path); errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("database file %q does not exist", s.Path)
		}
	}
	return nil
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
