package store

import (
	"errors"
	"path/filepath"
	"testing"
)

func TestDataDir(t *testing.T) {
	home := func() (string, error) { return "/home/ann", nil }
	conf := func() (string, error) { return "/conf", nil }
	noConf := func() (string, error) { return "", errors.New("no config dir") }
	tests := []struct {
		name    string
		env     map[string]string
		goos    string
		conf    func() (string, error)
		want    string
		wantErr bool
	}{
		{"override", map[string]string{EnvDataDir: "/data", "XDG_DATA_HOME": "/xdg"}, "linux", conf, "/data", false},
		{"xdg", map[string]string{"XDG_DATA_HOME": "/xdg"}, "linux", conf, filepath.Join("/xdg", "askdb"), false},
		{"linux default", nil, "linux", conf, filepath.Join("/home/ann", ".local", "share", "askdb"), false},
		{"macOS uses the config dir", nil, "darwin", conf, filepath.Join("/conf", "askdb"), false},
		{"nowhere", nil, "windows", noConf, "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := dataDir(func(k string) string { return tc.env[k] }, home, tc.conf, tc.goos)
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Errorf("dataDir = %q, %v; want %q (error %v)", got, err, tc.want, tc.wantErr)
			}
		})
	}
}

func TestRebind(t *testing.T) {
	pg := &dbStore{kind: KindPostgres}
	if got, want := pg.q("SELECT a FROM t WHERE b = ? AND c = ?"), "SELECT a FROM t WHERE b = $1 AND c = $2"; got != want {
		t.Errorf("postgres q() = %q, want %q", got, want)
	}
	lite := &dbStore{kind: KindSQLite}
	if got := lite.q("x = ?"); got != "x = ?" {
		t.Errorf("sqlite q() = %q, want it unchanged", got)
	}
}
