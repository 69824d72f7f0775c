package bedrock

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/askdb/askdb/internal/awsconf"
	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/llm"
	"github.com/aws/smithy-go/logging"
)

// TestSDKLogsGoToSlog catches the SDK's own warnings ("SDK … WARN falling
// back to IMDSv1") printed straight to stderr past --log-level.
func TestSDKLogsGoToSlog(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDTEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	m, err := New(context.Background(), "sql", config.Model{Kind: Kind, Model: "m", Region: "us-west-2"}, llm.Options{Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	logger := m.(*Model).client.Options().Logger
	if _, ok := logger.(awsconf.Logger); !ok {
		t.Fatalf("the Bedrock client logs with %T, not through slog", logger)
	}
	logger.Logf(logging.Warn, "falling back to IMDSv1: %s", "x")
	if !strings.Contains(logs.String(), "level=DEBUG") || !strings.Contains(logs.String(), "falling back to IMDSv1") {
		t.Errorf("SDK warning not logged at debug level:\n%s", logs.String())
	}
}
