package mysql

import (
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/go-sql-driver/mysql"

	"github.com/askdb/askdb/internal/secret"
	"github.com/askdb/askdb/internal/source"
)

// kind is what this package registers: a source reads dsn: (the driver's
// form or a mysql:// URL) and secret:, merged into the DSN when it opens.
var kind = source.Kind{Open: Open, Keys: []string{"dsn", "secret"}, Check: check, MergeSecret: MergeSecret}

// dsnForm is the form the MySQL driver takes, shown when a DSN is neither it nor a URL.
const dsnForm = "user:password@tcp(host:3306)/database (or mysql://user:password@host:3306/database)"

// check rewrites a URL DSN into the driver's form and parses it at load.
func check(e *source.Entry) error {
	if e.Source.DSN == "" {
		return nil
	}
	dsn, err := DriverDSN(e.Source.DSN)
	if err != nil {
		return e.Errorf("dsn", "%v", err)
	}
	if _, err := mysql.ParseDSN(dsn); err != nil {
		return e.Errorf("dsn", "%v; expected %s", err, dsnForm)
	}
	e.Source.DSN = dsn
	return nil
}

// DriverDSN accepts the URL form users bring from other tools,
// mysql://user:pw@host:3306/db?params, and returns the driver's own form,
// user:pw@tcp(host:3306)/db?params. A DSN already in the driver's form
// is returned as it is.
func DriverDSN(dsn string) (string, error) {
	scheme, _, ok := strings.Cut(dsn, "://")
	if !ok || strings.Contains(scheme, "@") || strings.Contains(scheme, "(") {
		return dsn, nil
	}
	if scheme != "mysql" && scheme != "mariadb" {
		return "", fmt.Errorf("a %s:// URL is not a MySQL DSN; expected %s", scheme, dsnForm)
	}
	u, err := url.Parse(dsn)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("not a valid MySQL URL; expected %s", dsnForm)
	}
	var b strings.Builder
	if u.User != nil {
		b.WriteString(u.User.Username())
		if pw, ok := u.User.Password(); ok {
			b.WriteString(":" + pw)
		}
		b.WriteString("@")
	}
	host := u.Host
	if u.Port() == "" {
		host += ":3306"
	}
	fmt.Fprintf(&b, "tcp(%s)/%s", host, strings.TrimPrefix(u.Path, "/"))
	if u.RawQuery != "" {
		b.WriteString("?" + u.RawQuery)
	}
	return b.String(), nil
}

// MergeSecret merges a database secret into a DSN in the driver's form:
// user and password always, host, port and database when the DSN does not
// name them.
func MergeSecret(dsn string, sec secret.DB) (string, error) {
	c := mysql.NewConfig()
	if dsn != "" {
		var err error
		if dsn, err = DriverDSN(dsn); err != nil {
			return "", err
		}
		if c, err = mysql.ParseDSN(dsn); err != nil {
			return "", fmt.Errorf("parse dsn: %w", err)
		}
	}
	if sec.Username != "" {
		c.User, c.Passwd = sec.Username, sec.Password
	}
	if (c.Addr == "" || dsn == "" || !strings.Contains(dsn, "(")) && sec.Host != "" {
		c.Net, c.Addr = "tcp", sec.Host
		if p := sec.PortString(); p != "" {
			c.Addr = net.JoinHostPort(sec.Host, p)
		}
	}
	if c.DBName == "" {
		c.DBName = sec.DBName
	}
	return c.FormatDSN(), nil
}
