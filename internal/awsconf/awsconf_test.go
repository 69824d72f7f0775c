package awsconf

import (
	"context"
	"log/slog"
	"testing"

	awsconfig "github.com/aws/aws-sdk-go-v2/config"
)

// TestLoadOptionsRouteSDKLogs: every AWS configuration askdb loads sends
// the SDK's own log lines to slog (never straight to stderr), and takes
// the region given.
func TestLoadOptionsRouteSDKLogs(t *testing.T) {
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_CONFIG_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", t.TempDir()+"/none")
	cfg, err := awsconfig.LoadDefaultConfig(context.Background(), LoadOptions("eu-west-1", "", slog.Default())...)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := cfg.Logger.(Logger); !ok {
		t.Errorf("the SDK logger is %T, want awsconf.Logger", cfg.Logger)
	}
	if cfg.Region != "eu-west-1" {
		t.Errorf("region %q, want eu-west-1", cfg.Region)
	}
}
