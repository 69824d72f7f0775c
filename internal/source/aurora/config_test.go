package aurora

import (
	"strings"
	"testing"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/source"
)

func TestCheck(t *testing.T) {
	const arn, sec = "arn:aws:rds:eu-west-1:123456789012:cluster:hr", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:hr-AbC"
	tests := []struct {
		name, dsn string
		wantErr   string
		engine    catalog.Dialect
		region    string
	}{
		{"mysql", "aurora-data:///hr?resource_arn=" + arn + "&secret_arn=" + sec + "&engine=mysql", "", catalog.MySQL, "eu-west-1"},
		{"postgres with region", "aurora-data:///hr?resource_arn=" + arn + "&secret_arn=" + sec + "&engine=postgres&region=us-east-1", "", catalog.Postgres, "us-east-1"},
		{"no dsn", "", "required", "", ""},
		{"no engine", "aurora-data:///hr?resource_arn=" + arn + "&secret_arn=" + sec, "want mysql or postgres", "", ""},
		{"no secret", "aurora-data:///hr?resource_arn=" + arn + "&engine=mysql", "secret_arn", "", ""},
		{"not a cluster arn", "aurora-data:///hr?resource_arn=hr&secret_arn=" + sec + "&engine=mysql", "resource_arn", "", ""},
		{"no database", "aurora-data://?resource_arn=" + arn + "&secret_arn=" + sec + "&engine=mysql", "no database", "", ""},
		{"other scheme", "mysql://hr", "scheme", "", ""},
		{"typo", "aurora-data:///hr?resource_arn=" + arn + "&secret_arn=" + sec + "&engine=mysql&databse=x", `unknown parameter "databse"`, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := check(&source.Entry{Name: "hr", Source: &config.Source{Kind: Kind, DSN: tc.dsn}})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("check = %v, want an error containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, _ := parseDSN(tc.dsn)
			if got.Engine != tc.engine || got.Region != tc.region {
				t.Errorf("engine %q region %q, want %q %q", got.Engine, got.Region, tc.engine, tc.region)
			}
		})
	}
}
