package athena

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/askdb/askdb/internal/source"
)

// DSN is an athena source's dsn:, parsed:
//
//	athena://REGION/DATABASE?workgroup=W&output_location=s3://bucket/prefix/&catalog=AwsDataCatalog&max_scanned_bytes=10GiB
//
// REGION may be left out (athena:///sales?…) to take the AWS
// environment's region.
type DSN struct {
	Region   string
	Database string // the query context's database, and the Glue database introspected
	// Catalog is the Athena data catalog (the query context); default AwsDataCatalog.
	Catalog string
	// Workgroup runs every query; default primary.
	Workgroup string
	// OutputLocation is where Athena writes results (s3://…); empty: the workgroup's.
	OutputLocation string
	// MaxScannedBytes is the cost guard: a query that scanned more fails
	// after the fact; 0 means no guard. See limits.go.
	MaxScannedBytes int64
	// PollInterval is the first wait between GetQueryExecution calls; it
	// doubles up to MaxPollInterval.
	PollInterval time.Duration
}

// Defaults for what a DSN may leave out.
const (
	DefaultCatalog      = "AwsDataCatalog"
	DefaultWorkgroup    = "primary"
	DefaultPollInterval = 100 * time.Millisecond
	MaxPollInterval     = 2 * time.Second
)

var dsnParams = []string{"workgroup", "output_location", "catalog", "max_scanned_bytes", "poll_interval"}

// ParseDSN parses an athena dsn:.
func ParseDSN(s string) (DSN, error) {
	u, err := url.Parse(s)
	if err != nil {
		return DSN{}, fmt.Errorf("not a URL: %w", err)
	}
	if u.Scheme != "athena" {
		return DSN{}, fmt.Errorf("scheme %q: want athena://REGION/DATABASE?workgroup=…", u.Scheme)
	}
	if u.User != nil {
		return DSN{}, fmt.Errorf("athena takes no user or password: it signs with the AWS credential chain")
	}
	q := u.Query()
	for k := range q {
		if !slices.Contains(dsnParams, k) {
			return DSN{}, fmt.Errorf("unknown parameter %q (known: %s)", k, strings.Join(dsnParams, ", "))
		}
	}
	d := DSN{
		Region: u.Host, Database: strings.Trim(u.Path, "/"),
		Catalog: or(q.Get("catalog"), DefaultCatalog), Workgroup: or(q.Get("workgroup"), DefaultWorkgroup),
		OutputLocation: q.Get("output_location"), PollInterval: DefaultPollInterval,
	}
	if d.Database == "" || strings.Contains(d.Database, "/") {
		return DSN{}, fmt.Errorf("the path must name one database: athena://REGION/DATABASE")
	}
	if d.OutputLocation != "" && !strings.HasPrefix(d.OutputLocation, "s3://") {
		return DSN{}, fmt.Errorf("output_location %q: want an s3:// URL", d.OutputLocation)
	}
	if v := q.Get("max_scanned_bytes"); v != "" {
		if d.MaxScannedBytes, err = ParseBytes(v); err != nil {
			return DSN{}, fmt.Errorf("max_scanned_bytes: %w", err)
		}
	}
	if v := q.Get("poll_interval"); v != "" {
		if d.PollInterval, err = time.ParseDuration(v); err != nil || d.PollInterval <= 0 {
			return DSN{}, fmt.Errorf("poll_interval %q: want a positive duration such as 200ms", v)
		}
	}
	return d, nil
}

// ParseBytes reads a byte count: 1048576, 10GB, 10GiB, 500MB, 1TB (KB,
// MB, GB and TB are powers of 1000, the units Athena bills in; KiB, MiB,
// GiB and TiB powers of 1024).
func ParseBytes(s string) (int64, error) {
	units := []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
		{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12}, {"B", 1}}
	num, mult := strings.TrimSpace(s), int64(1)
	for _, u := range units {
		if strings.HasSuffix(num, u.suffix) {
			num, mult = strings.TrimSpace(strings.TrimSuffix(num, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n <= 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("%q: want a positive size such as 10GB or 1073741824", s)
	}
	return n * mult, nil
}

// check parses the DSN at load, so that a typo is found before the first question.
func check(e *source.Entry) error {
	if e.Source.DSN == "" {
		return e.Errorf("", "kind athena needs dsn: athena://REGION/DATABASE?workgroup=…&output_location=s3://…")
	}
	if _, err := ParseDSN(e.Source.DSN); err != nil {
		return e.Errorf("dsn", "%v", err)
	}
	return nil
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
