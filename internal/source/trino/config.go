package trino

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	trino "github.com/trinodb/trino-go-client/trino"

	"github.com/askdb/askdb/internal/secret"
	"github.com/askdb/askdb/internal/source"
)

// kind is what this package registers: a source reads dsn: (the client's
// URL form) and secret:, merged into the DSN when it opens.
var kind = source.Kind{Open: Open, Keys: []string{"dsn", "secret"}, Check: check, MergeSecret: MergeSecret}

func init() { source.Register("trino", kind) }

// dsnForm is shown when a DSN does not parse.
const dsnForm = "https://user@host:8443?catalog=CATALOG&schema=SCHEMA (or https://user@host:8443/CATALOG/SCHEMA)"

// defaultSource is the X-Trino-Source askdb sends when the DSN names none,
// so that a cluster's resource groups and query history can tell its queries.
const defaultSource = "askdb"

// maxRunTime is the session property askdb sets on every query from the
// source's query_timeout.
const maxRunTime = "query_max_run_time"

// fileKeys are the DSN parameters that name files (TLS and Kerberos),
// resolved relative to askdb.yaml at load.
var fileKeys = []string{"SSLCertPath", "SSLClientCertPath", "SSLClientKeyPath", "KerberosKeytabPath", "KerberosConfigPath"}

// check parses the DSN at load, resolves its certificate paths relative to
// askdb.yaml, and refuses what askdb must own itself.
func check(e *source.Entry) error {
	if e.Source.DSN == "" {
		if e.Source.Secret == "" {
			return e.Errorf("dsn", "required (or secret: with host and port); expected %s", dsnForm)
		}
		return nil
	}
	dsn, err := resolvePaths(e.Source.DSN, e.Config.ResolvePath)
	if err != nil {
		return e.Errorf("dsn", "%v; expected %s", err, dsnForm)
	}
	conf, err := parseDSN(dsn)
	if err != nil {
		return e.Errorf("dsn", "%v", err)
	}
	if conf.ServerURI != "" && e.Source.Secret == "" {
		if err := needUser(conf.ServerURI); err != nil {
			return e.Errorf("dsn", "%v", err)
		}
	}
	e.Source.DSN = dsn
	return nil
}

// parseDSN parses dsn with the client and checks askdb's own rules: an
// http(s) URL, a catalog, and no query_max_run_time of its own.
func parseDSN(dsn string) (*trino.Config, error) {
	u, err := url.Parse(dsn)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("not an http or https URL; expected %s", dsnForm)
	}
	conf, err := trino.ParseDSN(dsn)
	if err != nil {
		return nil, fmt.Errorf("%w; expected %s", err, dsnForm)
	}
	if conf.Catalog == "" {
		return nil, fmt.Errorf("no catalog: askdb introspects one catalog's information_schema; expected %s", dsnForm)
	}
	if conf.ExternalAuthentication {
		return nil, errors.New("externalAuthentication opens a browser to log in: askdb runs unattended; use a password, accessToken, a client certificate or Kerberos")
	}
	if conf.CustomClientName != "" {
		return nil, errors.New("custom_client names an HTTP client registered in Go code, which askdb does not register; use the SSL* parameters for TLS")
	}
	if _, ok := conf.SessionProperties[maxRunTime]; ok {
		return nil, errors.New("session_properties sets query_max_run_time: askdb sets it on every query from query_timeout; set query_timeout instead")
	}
	return conf, nil
}

// needUser refuses a DSN without a user: Trino requires X-Trino-User.
func needUser(serverURI string) error {
	u, err := url.Parse(serverURI)
	if err != nil {
		return err
	}
	if u.User == nil || u.User.Username() == "" {
		return fmt.Errorf("no user: Trino requires one (https://USER@host:8443?catalog=...), or set secret:")
	}
	return nil
}

// resolvePaths rewrites the file parameters of dsn with
// resolve (relative to askdb.yaml).
func resolvePaths(dsn string, resolve func(string) string) (string, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", errors.New("not a valid URL")
	}
	q := u.Query()
	changed := false
	for _, k := range fileKeys {
		if p := q.Get(k); p != "" && resolve(p) != p {
			q.Set(k, resolve(p))
			changed = true
		}
	}
	if !changed {
		return dsn, nil
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// MergeSecret merges a database secret into a DSN: user and password
// always, host and port when the DSN names no host, and the secret's
// dbname as the catalog when the DSN names none. With no DSN the URL is
// https, as Trino accepts a password only over TLS.
func MergeSecret(dsn string, sec secret.DB) (string, error) {
	if dsn == "" {
		if sec.Host == "" {
			return "", errors.New("the secret has no host and the source no dsn")
		}
		dsn = "https://" + sec.Host
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "", fmt.Errorf("parse dsn: %w", err)
	}
	if u.Host == "" && sec.Host != "" {
		u.Host = sec.Host
	}
	if p := sec.PortString(); p != "" && u.Port() == "" {
		u.Host = net.JoinHostPort(u.Hostname(), p)
	}
	if sec.Username != "" {
		u.User = url.UserPassword(sec.Username, sec.Password)
		if sec.Password == "" {
			u.User = url.User(sec.Username)
		}
	}
	q := u.Query()
	if q.Get("catalog") == "" && strings.Trim(u.Path, "/") == "" && sec.DBName != "" {
		q.Set("catalog", sec.DBName)
		u.RawQuery = q.Encode()
	}
	return u.String(), nil
}
