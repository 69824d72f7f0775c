package trino_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/fault"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/source/trino/trinofake"
)

// TestIntegrationFaultClasses: the edges see Trino's failures in askdb's
// taxonomy: a timeout is a 504, a coordinator that is gone a retryable
// 503, and the password never shows in the message.
func TestIntegrationFaultClasses(t *testing.T) {
	l := newLake(t, trinofake.Options{})
	src := open(context.Background(), t, l.dsn("askdb", nil))
	_, err := src.Query(context.Background(), slowQuery, source.Limits{Timeout: 200 * time.Millisecond})
	if c := fault.Classify(err); c.Code != "timeout" || c.Status != 504 {
		t.Errorf("timeout: %+v from %v", c, err)
	}
	waitIdle(t, l.fake)

	u, _ := url.Parse(l.dsn("askdb", nil))
	u.Scheme, u.User = "https", url.UserPassword("askdb", "hunter2-secret")
	l.fake.Close() // nothing listens there any more
	cfg := config.Source{Kind: "trino", DSN: u.String(), ConnectTimeout: config.Duration(2 * time.Second)}
	_, err = source.Open(context.Background(), "lake", cfg, source.Options{})
	c := fault.Classify(err)
	if c.Code != "source_unavailable" || c.Status != 503 || c.RetryAfter == 0 {
		t.Errorf("coordinator gone: %+v from %v", c, err)
	}
	if strings.Contains(c.Message, "hunter2-secret") {
		t.Errorf("the message shows the password: %q", c.Message)
	}
}
