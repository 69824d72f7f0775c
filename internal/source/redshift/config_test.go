package redshift

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/secret"
	"github.com/askdb/askdb/internal/source"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		name, dsn, secret string
		wantErr           string // "" for none
	}{
		{"wire url", "postgres://askdb@examplecluster.abc.eu-west-1.redshift.amazonaws.com:5439/dev?sslmode=require", "", ""},
		{"redshift scheme", "redshift://askdb@host:5439/dev", "", ""},
		{"wire with secret", "redshift://host:5439/dev", "rs-secret", ""},
		{"no dsn", "", "", "required"},
		{"bad wire", "postgres://host:notaport/dev", "", "not a PostgreSQL"},
		{"cluster and db user", "redshift-data:///dev?cluster=analytics&db_user=askdb_ro&region=eu-west-1", "", ""},
		{"cluster and secret", "redshift-data:///dev?cluster=analytics&secret_arn=arn:aws:secretsmanager:eu-west-1:1:secret:rs-AbC", "", ""},
		{"workgroup", "redshift-data:///dev?workgroup=analytics", "", ""},
		{"both targets", "redshift-data:///dev?cluster=a&workgroup=b&db_user=u", "", "exactly one"},
		{"no target", "redshift-data:///dev?db_user=u", "", "exactly one"},
		{"no database", "redshift-data://?cluster=a&db_user=u", "", "no database"},
		{"cluster without auth", "redshift-data:///dev?cluster=a", "", "needs secret_arn"},
		{"workgroup with db user", "redshift-data:///dev?workgroup=a&db_user=u", "", "db_user= is for clusters"},
		{"typo", "redshift-data:///dev?workgroup=a&regoin=x", "", `unknown parameter "regoin"`},
		{"data api with secret key", "redshift-data:///dev?workgroup=a", "rs-secret", "secret_arn"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := &source.Entry{Name: "rs", Source: &config.Source{Kind: Kind, DSN: tc.dsn, Secret: tc.secret}}
			err := check(e)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("check: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("check = %v, want an error containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestMergeSecret(t *testing.T) {
	sec := secret.DB{Username: "askdb_ro", Password: "p@ss", Host: "analytics.abc.eu-west-1.redshift.amazonaws.com", Port: json.RawMessage("5439"), DBName: "dev"}
	got, err := mergeSecret("redshift://?sslmode=require", sec)
	if err != nil {
		t.Fatal(err)
	}
	if want := "postgres://askdb_ro:p%40ss@analytics.abc.eu-west-1.redshift.amazonaws.com:5439/dev?sslmode=require"; got != want {
		t.Errorf("mergeSecret = %q, want %q", got, want)
	}
	if _, err := mergeSecret("redshift-data:///dev?workgroup=a", sec); err == nil {
		t.Error("a secret was merged into a Data API DSN")
	}
}
