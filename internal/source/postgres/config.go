package postgres

import (
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/askdb/askdb/internal/secret"
	"github.com/askdb/askdb/internal/source"
)

// kind is what this package registers: a source reads dsn: (a URL or
// key=value DSN) and secret:, merged into the DSN when it opens.
var kind = source.Kind{Open: Open, Keys: []string{"dsn", "secret"}, Check: check, MergeSecret: MergeSecret}

// check parses the DSN at load, so that a typo is found before the first
// question. pgconn's errors never show the password.
func check(e *source.Entry) error {
	if e.Source.DSN == "" {
		return nil // libpq's defaults (PGHOST…), or all of it from the secret
	}
	if _, err := pgx.ParseConfig(e.Source.DSN); err != nil {
		return e.Errorf("dsn", "not a PostgreSQL URL or key=value DSN: %v", err)
	}
	return nil
}

// MergeSecret merges a database secret into a PostgreSQL DSN, a URL or
// key=value: user and password always, host, port and database when the
// DSN does not name them.
func MergeSecret(dsn string, sec secret.DB) (string, error) {
	if dsn != "" && !strings.Contains(dsn, "://") {
		return mergeKeywords(dsn, sec), nil
	}
	u := &url.URL{Scheme: "postgres"}
	if dsn != "" {
		var err error
		if u, err = url.Parse(dsn); err != nil {
			return "", fmt.Errorf("parse dsn: %w", redactURLError(err))
		}
	}
	if sec.Username != "" {
		u.User = url.UserPassword(sec.Username, sec.Password)
	}
	if u.Host == "" && sec.Host != "" {
		u.Host = sec.Host
		if p := sec.PortString(); p != "" {
			u.Host = net.JoinHostPort(sec.Host, p)
		}
	}
	if strings.Trim(u.Path, "/") == "" && sec.DBName != "" {
		u.Path = "/" + sec.DBName
	}
	return u.String(), nil
}

// mergeKeywords appends the secret to a key=value DSN: later keys win.
func mergeKeywords(dsn string, sec secret.DB) string {
	var b strings.Builder
	b.WriteString(dsn)
	add := func(k, v string, always bool) {
		if v != "" && (always || !strings.Contains(" "+dsn, " "+k+"=")) {
			fmt.Fprintf(&b, " %s='%s'", k, strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(v))
		}
	}
	add("user", sec.Username, true)
	add("password", sec.Password, true)
	add("host", sec.Host, false)
	add("port", sec.PortString(), false)
	add("dbname", sec.DBName, false)
	return b.String()
}

// redactURLError drops the URL (which may hold a password) from a parse error.
func redactURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}
