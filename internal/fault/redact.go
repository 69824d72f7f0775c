package fault

import "regexp"

// Credentials as they appear in DSNs and in drivers' messages about them:
// a URL's user:password@, a MySQL DSN's user:password@tcp(…), and the
// user=… password=… pairs of a keyword DSN (pgconn writes "failed to
// connect to `user=… database=…`").
var (
	urlUserinfo   = regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.-]*://)[^/@\s]+@`)
	mysqlUserinfo = regexp.MustCompile(`(^|[\s"'(=])[^\s"'()/@]+@((?:tcp|unix|tcp6|tcp4)\()`)
	keyword       = regexp.MustCompile(`\b(user|password)=('(?:[^'\\]|\\.)*'|[^\s` + "`" + `]+)`)
)

// Redact removes user names and passwords of DSNs from msg. Hosts stay:
// they are what an operator needs to find the database that failed.
func Redact(msg string) string {
	msg = urlUserinfo.ReplaceAllString(msg, "${1}")
	msg = mysqlUserinfo.ReplaceAllString(msg, "${1}${2}")
	return keyword.ReplaceAllString(msg, "${1}=…")
}
