package trino

import (
	"errors"
	"fmt"
	"testing"
	"time"

	trino "github.com/trinodb/trino-go-client/trino"

	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/source/sqlbase"
)

// TestClassify covers the error names the fake does not produce: memory
// limits, lost coordinators, and access denied for reads.
func TestClassify(t *testing.T) {
	te := func(name, msg string) error {
		return fmt.Errorf("trino: query failed: %w", &trino.ErrTrino{ErrorName: name, Message: msg, ErrorType: "USER_ERROR"})
	}
	tests := []struct {
		name string
		err  error
		want func(sqlbase.DriverError) bool
	}{
		{"read-only violation", te("READ_ONLY_VIOLATION", "Cannot execute write in a read-only transaction"), func(d sqlbase.DriverError) bool { return d.Engine && d.ReadOnly }},
		{"write denied", te("PERMISSION_DENIED", "Access Denied: Cannot insert into table hive.s.t"), func(d sqlbase.DriverError) bool { return d.ReadOnly }},
		{"procedure denied", te("PERMISSION_DENIED", "Access Denied: Cannot execute procedure system.flush"), func(d sqlbase.DriverError) bool { return d.ReadOnly }},
		{"session property denied", te("PERMISSION_DENIED", "Access Denied: Cannot set system session property query_max_run_time"), func(d sqlbase.DriverError) bool { return d.Engine && !d.ReadOnly }},
		{"table properties denied", te("PERMISSION_DENIED", "Access Denied: Cannot set table properties to hive.s.t"), func(d sqlbase.DriverError) bool { return d.ReadOnly }},
		{"read denied", te("PERMISSION_DENIED", "Access Denied: Cannot select from table hive.s.secret"), func(d sqlbase.DriverError) bool { return d.Engine && !d.ReadOnly }},
		{"time limit", te("EXCEEDED_TIME_LIMIT", "Query exceeded maximum time limit of 1.00s"), func(d sqlbase.DriverError) bool { return d.Timeout }},
		{"memory", te("EXCEEDED_LOCAL_MEMORY_LIMIT", "Query exceeded per-node memory limit of 1GB"), func(d sqlbase.DriverError) bool {
			return errors.Is(d.Limit, source.ErrMemoryLimit)
		}},
		{"coordinator gone", te("SERVER_SHUTTING_DOWN", "Server is shutting down"), func(d sqlbase.DriverError) bool { return d.Lost }},
		{"column", te("COLUMN_NOT_FOUND", "line 1:8: Column 'x' cannot be resolved"), func(d sqlbase.DriverError) bool {
			return d.Engine && d.Code == "COLUMN_NOT_FOUND" && !d.ReadOnly && !d.Timeout && !d.Lost
		}},
		{"HTTP 503", &trino.ErrQueryFailed{StatusCode: 503, Reason: errors.New("unavailable")}, func(d sqlbase.DriverError) bool { return d.Conn && !d.Engine }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if d := classify(tc.err); !tc.want(d) {
				t.Errorf("classify(%v) = %+v", tc.err, d)
			}
		})
	}
}

func TestConnectError(t *testing.T) {
	for status, want := range map[int]error{401: source.ErrAuth, 403: source.ErrAuth, 502: source.ErrUnreachable} {
		err := connectError(&trino.ErrQueryFailed{StatusCode: status, Reason: errors.New("x")})
		if !errors.Is(err, want) {
			t.Errorf("HTTP %d: %v, want %v", status, err, want)
		}
	}
}

func TestDuration(t *testing.T) {
	for in, want := range map[string]string{"30s": "30s", "1m30s": "90s", "300ms": "300ms", "1.5s": "1500ms", "1ns": "1ms"} {
		d, _ := time.ParseDuration(in)
		if got := duration(d); got != want {
			t.Errorf("duration(%s) = %q, want %q", in, got, want)
		}
	}
}
