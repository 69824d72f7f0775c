package trino_test

import (
	"context"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/source/trino/trinofake"
)

// TestIntegrationTLSAndPassword configures the source as a new user would,
// from askdb.yaml: a password from the environment over TLS, verified with
// a CA file named relative to askdb.yaml. A wrong password is ErrAuth, and
// a server whose certificate is not trusted is unreachable.
func TestIntegrationTLSAndPassword(t *testing.T) {
	l := newLake(t, trinofake.Options{Passwords: map[string]string{"askdb": "s3cret"}})
	dir := t.TempDir()
	ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: l.fake.HTTP.Certificate().Raw})
	if err := os.WriteFile(filepath.Join(dir, "trino-ca.pem"), ca, 0o600); err != nil {
		t.Fatal(err)
	}
	host := strings.TrimPrefix(l.fake.URL, "https://")
	entry := func(params string) string {
		return fmt.Sprintf("sources:\n  lake:\n    kind: trino\n    dsn: https://askdb:${TRINO_PASSWORD}@%s?catalog=sales&schema=public%s\n", host, params)
	}
	tests := []struct {
		name, password, params string
		want                   error // nil: the source opens and answers
	}{
		{"password and CA", "s3cret", "&SSLCertPath=trino-ca.pem", nil},
		{"wrong password", "guess", "&SSLCertPath=trino-ca.pem", source.ErrAuth},
		{"untrusted certificate", "s3cret", "", source.ErrUnreachable},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("TRINO_PASSWORD", tc.password)
			cfg, err := checkEntry(t, dir, entry(tc.params))
			if err != nil {
				t.Fatal(err)
			}
			src, err := source.Open(context.Background(), "lake", cfg.Sources["lake"], source.Options{})
			if tc.want != nil {
				if !errors.Is(err, tc.want) {
					t.Fatalf("Open: %v, want %v", err, tc.want)
				}
				if strings.Contains(err.Error(), tc.password) {
					t.Errorf("the error shows the password: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer src.Close()
			if err := src.Ping(context.Background()); err != nil {
				t.Errorf("Ping: %v", err)
			}
			res, err := src.Query(context.Background(), "SELECT count(*) FROM departments", source.Limits{})
			if err != nil || len(res.Rows) != 1 {
				t.Errorf("Query = %+v, %v", res, err)
			}
		})
	}
}
