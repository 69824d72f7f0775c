package redshift_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/askdb/askdb/internal/cli"
	"github.com/askdb/askdb/internal/sample"
	"github.com/askdb/askdb/internal/source/sourcetest"
)

// TestIntegrationCLI runs askdb sql, check and ask (the offline engine,
// no model) on a Data API source through the fake, as a new user would:
// TOP runs, Redshift's functions pass the guard's profile (read from the
// source's catalog), a write and a system table are refused, and a
// question is answered from the Redshift catalog.
func TestIntegrationCLI(t *testing.T) {
	dataFake(t)
	dir := t.TempDir()
	t.Setenv("ASKDB_CACHE_DIR", filepath.Join(dir, "cache"))
	t.Setenv("ASKDB_DATA_DIR", filepath.Join(dir, "data"))
	t.Setenv("ASKDB_CONFIG", "")
	t.Setenv("ASKDB_MODEL", "")
	conf := "sources:\n  sales:\n    kind: redshift\n    dsn: \"redshift-data:///dev?cluster=analytics&db_user=askdb_ro&region=eu-west-1\"\n    schemas: [public]\n"
	path := filepath.Join(dir, "askdb.yaml")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := cli.Run(context.Background(), append([]string{"--config", path}, args...), strings.NewReader(""), &out, &errb)
		return code, out.String(), errb.String()
	}
	tests := []struct {
		name     string
		args     []string
		wantCode int
		want     string
	}{
		// PostgreSQL behind the fake has no NVL or GETDATE: run TOP, check the functions.
		{"top", []string{"sql", "SELECT TOP 2 customer_id FROM customers ORDER BY customer_id"}, 0, "customer_id"},
		{"redshift functions", []string{"check", "--dialect", "postgres", "--policy-source", "sales",
			"SELECT nvl(city, '-'), datediff(day, signup_date, getdate()), listagg(name, ',') WITHIN GROUP (ORDER BY name) FROM customers GROUP BY 1, 2"}, 0, "accepted"},
		{"write refused by the guard", []string{"sql", "DELETE FROM orders"}, -1, "DELETE"},
		{"system table refused", []string{"sql", "SELECT * FROM stl_query"}, -1, "system catalog"},
		{"ask offline", []string{"ask", "how many customers are there?"}, 0, fmt.Sprintf("customers: %d", sample.Generate(sourcetest.Options()).RowCounts()["customers"])},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := run(tc.args...)
			if (tc.wantCode == 0) != (code == 0) || !strings.Contains(out+errOut, tc.want) {
				t.Fatalf("exit %d, want %s; stdout:\n%s\nstderr:\n%s", code, map[bool]string{true: "0", false: "non-zero"}[tc.wantCode == 0], out, errOut)
			}
		})
	}
}
