package aurora

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/source"
)

// kind is what this package registers: dsn: names the cluster, its secret
// and database, in the form target.String documents.
var kind = source.Kind{Open: Open, Keys: []string{"dsn"}, Check: check}

// target is what every Data API call names.
type target struct {
	ResourceARN, SecretARN, Database, Region string
	Engine                                   catalog.Dialect // MySQL or Postgres
}

// parseDSN reads
// aurora-data:///DATABASE?resource_arn=CLUSTER_ARN&secret_arn=SECRET_ARN&engine=mysql|postgres[&region=R].
func parseDSN(dsn string) (target, error) {
	var t target
	u, err := url.Parse(dsn)
	if err != nil {
		if ue, ok := err.(*url.Error); ok {
			err = ue.Err
		}
		return t, fmt.Errorf("not an aurora-data URL: %w", err)
	}
	if u.Scheme != "aurora-data" {
		return t, fmt.Errorf("want aurora-data:///DATABASE?resource_arn=…&secret_arn=…&engine=mysql|postgres, not scheme %q", u.Scheme)
	}
	q := u.Query()
	for k := range q {
		switch k {
		case "resource_arn", "secret_arn", "engine", "region":
		default:
			return t, fmt.Errorf("unknown parameter %q (known: resource_arn, secret_arn, engine, region)", k)
		}
	}
	t = target{ResourceARN: q.Get("resource_arn"), SecretARN: q.Get("secret_arn"), Database: strings.Trim(u.Path, "/"), Region: q.Get("region")}
	switch strings.ToLower(q.Get("engine")) {
	case "mysql", "aurora-mysql":
		t.Engine = catalog.MySQL
	case "postgres", "postgresql", "aurora-postgresql":
		t.Engine = catalog.Postgres
	default:
		return t, fmt.Errorf("engine=%q: want mysql or postgres", q.Get("engine"))
	}
	switch {
	case !strings.HasPrefix(t.ResourceARN, "arn:") || !strings.Contains(t.ResourceARN, ":rds:"):
		return t, fmt.Errorf("resource_arn=%q: want the cluster's ARN, arn:aws:rds:REGION:ACCOUNT:cluster:NAME", t.ResourceARN)
	case !strings.HasPrefix(t.SecretARN, "arn:") || !strings.Contains(t.SecretARN, ":secretsmanager:"):
		return t, fmt.Errorf("secret_arn=%q: want the Secrets Manager secret's ARN", t.SecretARN)
	case t.Database == "":
		return t, fmt.Errorf("no database: write aurora-data:///DATABASE?…")
	}
	if t.Region == "" {
		t.Region = strings.Split(t.ResourceARN, ":")[3] // the cluster's own region
	}
	return t, nil
}

func check(e *source.Entry) error {
	if e.Source.DSN == "" {
		return e.Errorf("dsn", "required: aurora-data:///DATABASE?resource_arn=…&secret_arn=…&engine=mysql|postgres")
	}
	if _, err := parseDSN(e.Source.DSN); err != nil {
		return e.Errorf("dsn", "%v", err)
	}
	return nil
}
