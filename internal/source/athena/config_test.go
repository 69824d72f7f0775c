package athena_test

import (
	"context"
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/askdb/askdb/internal/awstest"
	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/source/athena"
	"github.com/askdb/askdb/internal/source/athena/athenatest"
	"github.com/askdb/askdb/internal/source/glue/gluetest"
)

func TestParseDSN(t *testing.T) {
	tests := []struct {
		name, dsn string
		want      athena.DSN
		err       string
	}{
		{name: "full", dsn: "athena://eu-west-1/legal?workgroup=askdb&output_location=s3://r/askdb/&catalog=lake&max_scanned_bytes=10GB&poll_interval=250ms",
			want: athena.DSN{Region: "eu-west-1", Database: "legal", Catalog: "lake", Workgroup: "askdb", OutputLocation: "s3://r/askdb/", MaxScannedBytes: 10e9, PollInterval: 250 * time.Millisecond}},
		{name: "defaults", dsn: "athena:///legal",
			want: athena.DSN{Database: "legal", Catalog: "AwsDataCatalog", Workgroup: "primary", PollInterval: 100 * time.Millisecond}},
		{name: "binary units", dsn: "athena:///d?max_scanned_bytes=2GiB",
			want: athena.DSN{Database: "d", Catalog: "AwsDataCatalog", Workgroup: "primary", MaxScannedBytes: 2 << 30, PollInterval: 100 * time.Millisecond}},
		{name: "no database", dsn: "athena://eu-west-1/", err: "must name one database"},
		{name: "two path parts", dsn: "athena://eu-west-1/a/b", err: "must name one database"},
		{name: "scheme", dsn: "trino://h/d", err: `scheme "trino"`},
		{name: "password", dsn: "athena://u:p@eu-west-1/d", err: "no user or password"},
		{name: "unknown parameter", dsn: "athena:///d?work_group=x", err: `unknown parameter "work_group"`},
		{name: "output not s3", dsn: "athena:///d?output_location=/tmp/x", err: "want an s3:// URL"},
		{name: "bad size", dsn: "athena:///d?max_scanned_bytes=lots", err: "max_scanned_bytes"},
		{name: "negative size", dsn: "athena:///d?max_scanned_bytes=-5", err: "max_scanned_bytes"},
		{name: "bad poll", dsn: "athena:///d?poll_interval=0s", err: "poll_interval"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := athena.ParseDSN(tc.dsn)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("got %+v, %v; want an error containing %q", got, err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestCheckAtLoad(t *testing.T) {
	for _, tc := range []struct{ name, entry, want string }{
		{"no dsn", "kind: athena", "kind athena needs dsn"},
		{"bad dsn", "kind: athena\n    dsn: athena:///d?workgroup=a&bogus=1", `line 4: source "lake": dsn: unknown parameter "bogus"`},
		{"a path", "kind: athena\n    dsn: athena:///d\n    path: x.db", "kind athena does not read path"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := config.Parse([]byte("sources:\n  lake:\n    "+tc.entry+"\n"), func(string) (string, bool) { return "", false })
			if err != nil {
				t.Fatal(err)
			}
			if err := source.CheckConfig(cfg); !errors.Is(err, source.ErrConfig) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want a config error containing %q", err, tc.want)
			}
		})
	}
}

// TestDocsExample configures a source as a new user would, from the
// first askdb.yaml example of docs/warehouses-athena.md, and uses it
// through source.Open with the SDK's default credential chain and
// endpoint resolution pointed at the fakes.
func TestDocsExample(t *testing.T) {
	doc, err := os.ReadFile("../../../docs/warehouses-athena.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindSubmatch(doc)
	if m == nil {
		t.Fatal("docs/warehouses-athena.md has no yaml example")
	}
	cfg, err := config.Parse(m[1], func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatalf("the docs' example does not load: %v", err)
	}
	if err := source.CheckConfig(cfg); err != nil {
		t.Fatalf("the docs' example fails its checks: %v", err)
	}
	a := athenatest.New(t, athenatest.ReadConfig(t, "testdata/fake.json"), openSQLite(t))
	g := gluetest.New(t, "../glue/testdata/legal.json")
	awstest.Env(t)
	a.Setenv(t)
	g.Setenv(t)
	src, err := source.Open(context.Background(), "legal", cfg.Sources["legal"], source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if err := src.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	cat, err := src.Introspect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if tb, ok := cat.Table("legal.contracts"); !ok || len(tb.Columns) != 7 || cat.Version != "Amazon Athena (Athena engine version 3)" {
		t.Errorf("catalog %+v: want legal.contracts with its 7 columns (partition keys included) and the engine version", cat)
	}
	res, err := src.Query(context.Background(), "SELECT 'ok' AS status", source.LimitsFor(cfg.Sources["legal"]))
	if err != nil || len(res.Rows) != 1 || res.Rows[0][0] != "ok" || !strings.Contains(res.Note, "of max_scanned_bytes 10 GB") {
		t.Errorf("query: %+v, %v; want one row and the scan note under the docs' 10GB guard", res, err)
	}
	for _, c := range a.Calls() {
		if c.Target == "AmazonAthena.StartQueryExecution" && !strings.Contains(string(c.Body), `"OutputLocation":"s3://example-athena-results/askdb/"`) {
			t.Errorf("StartQueryExecution %s: want the docs' output location", c.Body)
		}
	}
}
