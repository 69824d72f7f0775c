package aurora_test

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

// TestIntegrationCLI runs askdb sql and askdb ask (the offline engine, no
// model) on an aurora source of each flavour through the fake, as a new
// user would: a query runs, a write is refused, a question is answered.
func TestIntegrationCLI(t *testing.T) {
	want := sample.Generate(sourcetest.Options()).RowCounts()["customers"]
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			_, script, _ := cluster(t, fl)
			dir := t.TempDir()
			t.Setenv("ASKDB_CACHE_DIR", filepath.Join(dir, "cache"))
			t.Setenv("ASKDB_DATA_DIR", filepath.Join(dir, "data"))
			t.Setenv("ASKDB_CONFIG", "")
			t.Setenv("ASKDB_MODEL", "")
			conf := fmt.Sprintf("sources:\n  hr:\n    kind: aurora\n    dsn: %q\n", dsn(script, script.SecretARN))
			path := filepath.Join(dir, "askdb.yaml")
			if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
				t.Fatal(err)
			}
			for _, tc := range []struct {
				name   string
				args   []string
				ok     bool
				output string
			}{
				{"sql", []string{"sql", "SELECT count(*) AS n FROM customers"}, true, fmt.Sprint(want)},
				{"write refused", []string{"sql", "UPDATE customers SET name = 'x'"}, false, "UPDATE"},
				{"ask", []string{"ask", "how many customers are there?"}, true, fmt.Sprintf("customers: %d", want)},
			} {
				t.Run(tc.name, func(t *testing.T) {
					var out, errb bytes.Buffer
					code := cli.Run(context.Background(), append([]string{"--config", path}, tc.args...), strings.NewReader(""), &out, &errb)
					if (code == 0) != tc.ok || !strings.Contains(out.String()+errb.String(), tc.output) {
						t.Fatalf("exit %d; stdout:\n%s\nstderr:\n%s", code, out.String(), errb.String())
					}
				})
			}
		})
	}
}
