package config

import (
	"fmt"
	"net/url"
	"strings"
)

// mysqlDSNForm is the form the MySQL driver takes, shown when a DSN is neither it nor a URL.
const mysqlDSNForm = "user:password@tcp(host:3306)/database (or mysql://user:password@host:3306/database)"

// mysqlDSN accepts the URL form users bring from other tools,
// mysql://user:pw@host:3306/db?params, and returns the driver's own form,
// user:pw@tcp(host:3306)/db?params. A DSN already in the driver's form
// is returned as it is.
func mysqlDSN(dsn string) (string, error) {
	scheme, _, ok := strings.Cut(dsn, "://")
	if !ok || strings.Contains(scheme, "@") || strings.Contains(scheme, "(") {
		return dsn, nil
	}
	if scheme != "mysql" && scheme != "mariadb" {
		return "", fmt.Errorf("dsn: a %s:// URL is not a MySQL DSN; expected %s", scheme, mysqlDSNForm)
	}
	u, err := url.Parse(dsn)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("dsn: not a valid MySQL URL; expected %s", mysqlDSNForm)
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

// normalizeDSNs rewrites each MySQL source's URL-style DSN into the driver's form.
func (c *Config) normalizeDSNs() error {
	for _, name := range c.SourceNames() {
		s := c.Sources[name]
		if s.Kind != "mysql" || s.DSN == "" {
			continue
		}
		dsn, err := mysqlDSN(s.DSN)
		if err != nil {
			return fmt.Errorf("source %q: %w", name, err)
		}
		s.DSN = dsn
		c.Sources[name] = s
	}
	return nil
}
