package redshift

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/askdb/askdb/internal/secret"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/source/postgres"
)

// kind is what this package registers: dsn: names the endpoint (wire
// protocol) or the cluster or workgroup (Data API); secret: is read by
// askdb and merged into a wire DSN. The Data API reads its secret itself,
// named by the DSN's secret_arn.
var kind = source.Kind{Open: Open, Keys: []string{"dsn", "secret"}, Check: check, MergeSecret: mergeSecret}

// dataScheme is the DSN scheme of the Data API.
const dataScheme = "redshift-data"

// isDataAPI reports whether dsn names the Data API.
func isDataAPI(dsn string) bool { return strings.HasPrefix(strings.ToLower(dsn), dataScheme+"://") }

// wireDSN turns redshift://… into the postgres:// URL pgx reads.
func wireDSN(dsn string) string {
	if rest, ok := strings.CutPrefix(dsn, "redshift://"); ok {
		return "postgres://" + rest
	}
	return dsn
}

// check parses the DSN at load, so that a typo is found before the first
// question. Neither parser's errors show a password.
func check(e *source.Entry) error {
	dsn := e.Source.DSN
	if dsn == "" {
		return e.Errorf("dsn", "required: postgres://host:5439/db for the wire protocol, or redshift-data:///db?cluster=… (or ?workgroup=…) for the Data API")
	}
	if isDataAPI(dsn) {
		if e.Source.Secret != "" {
			return e.Errorf("secret", "the Data API reads its secret itself: name it in the dsn as secret_arn=…, not as secret:")
		}
		if _, err := parseDataDSN(dsn); err != nil {
			return e.Errorf("dsn", "%v", err)
		}
		return nil
	}
	if _, err := pgx.ParseConfig(wireDSN(dsn)); err != nil {
		return e.Errorf("dsn", "not a PostgreSQL URL or key=value DSN: %v", err)
	}
	return nil
}

// mergeSecret merges a database secret into a wire DSN, as the postgres
// kind does; the Data API takes no merged secret.
func mergeSecret(dsn string, sec secret.DB) (string, error) {
	if isDataAPI(dsn) {
		return "", fmt.Errorf("the Data API reads its secret itself: name it in the dsn as secret_arn=…")
	}
	return postgres.MergeSecret(wireDSN(dsn), sec)
}

// dataTarget is what every Data API call names: the database, the cluster
// or Serverless workgroup, and how to authenticate (a Secrets Manager
// secret, or temporary credentials for a database user).
type dataTarget struct {
	Database, Cluster, Workgroup, SecretARN, DBUser, Region string
}

// parseDataDSN reads redshift-data:///DATABASE?cluster=ID&db_user=U or
// ?workgroup=NAME&secret_arn=ARN, with an optional region=.
func parseDataDSN(dsn string) (dataTarget, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		if ue, ok := err.(*url.Error); ok {
			err = ue.Err
		}
		return dataTarget{}, fmt.Errorf("not a redshift-data URL: %w", err)
	}
	q := u.Query()
	t := dataTarget{
		Database: strings.Trim(u.Path, "/"), Cluster: q.Get("cluster"), Workgroup: q.Get("workgroup"),
		SecretARN: q.Get("secret_arn"), DBUser: q.Get("db_user"), Region: q.Get("region"),
	}
	if t.Database == "" {
		t.Database = u.Host
	}
	for k := range q {
		switch k {
		case "cluster", "workgroup", "secret_arn", "db_user", "region":
		default:
			return t, fmt.Errorf("unknown parameter %q (known: cluster, workgroup, secret_arn, db_user, region)", k)
		}
	}
	switch {
	case t.Database == "":
		return t, fmt.Errorf("no database: write redshift-data:///DATABASE?…")
	case (t.Cluster == "") == (t.Workgroup == ""):
		return t, fmt.Errorf("name exactly one of cluster= (a provisioned cluster) or workgroup= (Redshift Serverless)")
	case t.Workgroup != "" && t.DBUser != "":
		return t, fmt.Errorf("db_user= is for clusters; a workgroup takes secret_arn= or the caller's IAM identity")
	case t.SecretARN != "" && t.DBUser != "":
		return t, fmt.Errorf("name one of secret_arn= or db_user=, not both")
	case t.Cluster != "" && t.SecretARN == "" && t.DBUser == "":
		return t, fmt.Errorf("a cluster needs secret_arn= or db_user=")
	}
	return t, nil
}
