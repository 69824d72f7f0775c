package trino_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/secret"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/source/trino"
)

// checkEntry loads doc as askdb.yaml in dir and checks its sources.
func checkEntry(t *testing.T, dir, doc string) (*config.Config, error) {
	t.Helper()
	path := filepath.Join(dir, "askdb.yaml")
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return cfg, source.CheckConfig(cfg)
}

func TestCheckConfig(t *testing.T) {
	tests := []struct {
		name, entry string
		want        string // "" for a valid entry, else a fragment of the error
	}{
		{"url with catalog and schema", "dsn: https://askdb@trino.example.com:8443?catalog=hive&schema=sales", ""},
		{"catalog and schema in the path", "dsn: https://askdb@trino.example.com:8443/hive/sales", ""},
		{"session properties", "dsn: 'https://askdb@trino.example.com:8443/hive?session_properties=query_priority:2'", ""},
		{"user from the secret", "dsn: https://trino.example.com:8443/hive\nsecret: trino/askdb", ""},
		{"secret alone", "secret: trino/askdb", ""},
		{"nothing", "description: lake", "dsn: required"},
		{"no catalog", "dsn: https://askdb@trino.example.com:8443", "no catalog"},
		{"no user", "dsn: https://trino.example.com:8443/hive", "no user"},
		{"not a URL", "dsn: askdb@trino.example.com/hive", "not an http or https URL"},
		{"password over http", "dsn: http://askdb:pw@trino.example.com:8080/hive", "TLS"},
		{"its own time limit", "dsn: 'https://askdb@trino.example.com:8443/hive?session_properties=query_max_run_time:1h'", "set query_timeout instead"},
		{"browser login", "dsn: https://askdb@trino.example.com:8443/hive?externalAuthentication=true", "runs unattended"},
		{"custom client", "dsn: https://askdb@trino.example.com:8443/hive?custom_client=mine", "custom_client"},
		{"bad path", "dsn: https://askdb@trino.example.com:8443/a/b/c", "invalid path"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := checkEntry(t, t.TempDir(), "sources:\n  lake:\n    kind: trino\n    "+strings.ReplaceAll(tc.entry, "\n", "\n    ")+"\n")
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("CheckConfig: %v, want no error", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, source.ErrConfig)):
				t.Errorf("CheckConfig: %v, want a config error containing %q", err, tc.want)
			case tc.want != "" && !strings.Contains(err.Error(), `source "lake"`):
				t.Errorf("error %q does not name the source", err)
			}
		})
	}
}

// TestCheckConfigResolvesCertificates: a CA file named relative to
// askdb.yaml is found from any working directory.
func TestCheckConfigResolvesCertificates(t *testing.T) {
	dir := t.TempDir()
	cfg, err := checkEntry(t, dir, "sources:\n  lake:\n    kind: trino\n    dsn: https://askdb@trino.example.com:8443/hive?SSLCertPath=certs/ca.pem\n")
	if err != nil {
		t.Fatal(err)
	}
	want := "SSLCertPath=" + strings.ReplaceAll(filepath.Join(dir, "certs", "ca.pem"), "/", "%2F")
	if got := cfg.Sources["lake"].DSN; !strings.Contains(got, want) {
		t.Errorf("DSN after check = %q, want it to contain %q", got, want)
	}
}

func TestMergeSecret(t *testing.T) {
	sec := secret.DB{Username: "askdb", Password: "p@ss:word", Host: "trino.internal", Port: json.RawMessage(`"8443"`), DBName: "hive"}
	tests := []struct {
		name, dsn, want string
	}{
		{"no dsn", "", "https://askdb:p%40ss%3Aword@trino.internal:8443?catalog=hive"},
		{"keeps its host and catalog", "https://other.example.com:443/lake/sales", "https://askdb:p%40ss%3Aword@other.example.com:443/lake/sales"},
		{"keeps its parameters", "https://other.example.com?schema=s&source=bi", "https://askdb:p%40ss%3Aword@other.example.com:8443?catalog=hive&schema=s&source=bi"},
		{"replaces the user", "https://someone@other.example.com:443?catalog=c", "https://askdb:p%40ss%3Aword@other.example.com:443?catalog=c"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := trino.MergeSecret(tc.dsn, sec)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("MergeSecret = %q, want %q", got, tc.want)
			}
		})
	}
	if _, err := trino.MergeSecret("", secret.DB{Username: "u"}); err == nil {
		t.Error("MergeSecret with no DSN and no host in the secret succeeded")
	}
}
