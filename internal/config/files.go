package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// FilesKind is the only source kind that reads files as tables.
const FilesKind = "duckdb"

// identifierRE is a table name usable unquoted in every dialect.
var identifierRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// validateFiles checks the files: map of a source without touching the disk.
func (s Source) validateFiles(name string) error {
	if len(s.Files) == 0 {
		return nil
	}
	if s.Kind == FilesKind && s.Path != "" {
		// The files are queried through a snapshot database of their own;
		// mixing in a second database would need a second engine.
		return fmt.Errorf("source %q: path: and files: cannot be combined; configure two duckdb sources", name)
	}
	if s.Kind != FilesKind {
		return fmt.Errorf("source %q: files: only kind %s reads files as tables, not %q", name, FilesKind, s.Kind)
	}
	for _, table := range sortedKeys(s.Files) {
		if !identifierRE.MatchString(table) {
			return fmt.Errorf("source %q: files: table name %q must be a letter or _ followed by letters, digits or _", name, table)
		}
		if strings.TrimSpace(s.Files[table]) == "" {
			return fmt.Errorf("source %q: files: table %q has no path", name, table)
		}
	}
	return nil
}

// resolveFiles makes the paths of duckdb sources relative to the config
// file's folder and checks that every file (or glob) exists, so that a typo
// is reported when askdb starts rather than at the first question.
func (c *Config) resolveFiles() error {
	for _, name := range c.SourceNames() {
		s := c.Sources[name]
		if s.Kind != FilesKind {
			continue
		}
		s.Path = c.ResolvePath(s.Path)
		files := make(map[string]string, len(s.Files))
		for table, p := range s.Files {
			files[table] = c.ResolvePath(p)
		}
		if len(files) > 0 {
			s.Files = files
		}
		if err := s.CheckFiles(name); err != nil {
			return err
		}
		c.Sources[name] = s
	}
	return nil
}

// CheckFiles reports the first table of files whose path names no file
// (or whose glob matches none), naming the source, the table and the path.
// A "**" glob is checked only up to its first "**": the rest is matched by
// the engine.
func (s Source) CheckFiles(name string) error {
	for _, table := range sortedKeys(s.Files) {
		p := s.Files[table]
		pattern := p
		if i := strings.Index(p, "**"); i >= 0 {
			pattern = filepath.Dir(p[:i+1])
		}
		matches, err := filepath.Glob(pattern)
		if err != nil {
			return fmt.Errorf("source %q: table %q: bad path pattern %q: %w", name, table, p, err)
		}
		if len(matches) == 0 {
			return fmt.Errorf("source %q: table %q: no file matches %q", name, table, p)
		}
	}
	if s.Path != "" {
		if _, err := os.Stat(s.Path); errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("source %q: database file %q does not exist", name, s.Path)
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
