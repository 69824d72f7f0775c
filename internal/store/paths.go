package store

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// EnvDataDir overrides the folder that holds the default SQLite store.
const EnvDataDir = "ASKDB_DATA_DIR"

// DefaultFile is the SQLite store's file name inside the data folder.
const DefaultFile = "askdb.db"

// DefaultPath is where the SQLite store lives when askdb.yaml does not say:
// $ASKDB_DATA_DIR/askdb.db, else $XDG_DATA_HOME/askdb/askdb.db, else
// ~/.local/share/askdb/askdb.db on Unix-like systems and
// <user config dir>/askdb/askdb.db elsewhere.
func DefaultPath() (string, error) {
	dir, err := dataDir(os.Getenv, os.UserHomeDir, os.UserConfigDir, runtime.GOOS)
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, DefaultFile), nil
}

func dataDir(getenv func(string) string, home, configDir func() (string, error), goos string) (string, error) {
	if d := getenv(EnvDataDir); d != "" {
		return d, nil
	}
	if d := getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "askdb"), nil
	}
	if goos != "windows" && goos != "darwin" && goos != "ios" {
		if h, err := home(); err == nil && h != "" {
			return filepath.Join(h, ".local", "share", "askdb"), nil
		}
	}
	d, err := configDir()
	if err != nil {
		return "", fmt.Errorf("locate the askdb data folder: %w (set %s)", err, EnvDataDir)
	}
	return filepath.Join(d, "askdb"), nil
}
