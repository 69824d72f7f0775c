package awslambda

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/go-sql-driver/mysql"

	"github.com/askdb/askdb/internal/config"
)

// SecretGetter reads a secret; *secretsmanager.Client implements it.
type SecretGetter interface {
	GetSecretValue(ctx context.Context, in *secretsmanager.GetSecretValueInput, opts ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error)
}

var _ SecretGetter = (*secretsmanager.Client)(nil)

// DBSecret is a database secret as RDS and Secrets Manager rotation write it.
type DBSecret struct {
	Username string          `json:"username"`
	Password string          `json:"password"`
	Engine   string          `json:"engine"`
	Host     string          `json:"host"`
	Port     json.RawMessage `json:"port"` // a number or a string
	DBName   string          `json:"dbname"`
}

func (s DBSecret) port() string {
	return strings.Trim(string(s.Port), `"`)
}

// ResolveSecrets reads the secret of every source with secret: set and
// merges it into the source's DSN: user and password always, host, port
// and database when the DSN does not name them. Call it once per cold
// start, before the sources are opened.
func ResolveSecrets(ctx context.Context, cfg *config.Config, sm SecretGetter) error {
	for _, name := range cfg.SourceNames() {
		src := cfg.Sources[name]
		if src.Secret == "" {
			continue
		}
		out, err := sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(src.Secret)})
		if err != nil {
			return fmt.Errorf("source %q: read secret %q: %w", name, src.Secret, err)
		}
		if out.SecretString == nil {
			return fmt.Errorf("source %q: secret %q has no string value (binary secrets are not supported)", name, src.Secret)
		}
		var sec DBSecret
		if err := json.Unmarshal([]byte(*out.SecretString), &sec); err != nil {
			return fmt.Errorf("source %q: secret %q is not JSON with username and password: %w", name, src.Secret, err)
		}
		dsn, err := MergeDSN(src.Kind, src.DSN, sec)
		if err != nil {
			return fmt.Errorf("source %q: secret %q: %w", name, src.Secret, err)
		}
		src.DSN = dsn
		cfg.Sources[name] = src
	}
	return nil
}

// MergeDSN merges a database secret into a DSN of the given source kind.
func MergeDSN(kind, dsn string, sec DBSecret) (string, error) {
	switch kind {
	case "mysql", "mariadb", "aurora-mysql":
		return mergeMySQL(dsn, sec)
	case "postgres", "postgresql", "redshift", "aurora-postgresql":
		return mergePostgres(dsn, sec)
	}
	return "", fmt.Errorf("secrets are supported for postgres and mysql sources, not %q", kind)
}

func mergePostgres(dsn string, sec DBSecret) (string, error) {
	if dsn != "" && !strings.Contains(dsn, "://") {
		// key=value form: later keys win.
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
		add("port", sec.port(), false)
		add("dbname", sec.DBName, false)
		return b.String(), nil
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
		if p := sec.port(); p != "" {
			u.Host = net.JoinHostPort(sec.Host, p)
		}
	}
	if strings.Trim(u.Path, "/") == "" && sec.DBName != "" {
		u.Path = "/" + sec.DBName
	}
	return u.String(), nil
}

// redactURLError drops the URL (which may hold a password) from a parse error.
func redactURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}

func mergeMySQL(dsn string, sec DBSecret) (string, error) {
	c := mysql.NewConfig()
	if dsn != "" {
		var err error
		if c, err = mysql.ParseDSN(dsn); err != nil {
			return "", fmt.Errorf("parse dsn: %w", err)
		}
	}
	if sec.Username != "" {
		c.User, c.Passwd = sec.Username, sec.Password
	}
	if (c.Addr == "" || dsn == "" || !strings.Contains(dsn, "(")) && sec.Host != "" {
		c.Net, c.Addr = "tcp", sec.Host
		if p := sec.port(); p != "" {
			c.Addr = net.JoinHostPort(sec.Host, p)
		}
	}
	if c.DBName == "" {
		c.DBName = sec.DBName
	}
	return c.FormatDSN(), nil
}
