package config

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// Auth is server.auth: who may call the server and how they are named.
type Auth struct {
	// OIDC, when set, accepts JWTs signed by the issuer (Cognito, Okta,
	// Entra ID, Google, Keycloak) as bearer tokens.
	OIDC *OIDC `yaml:"oidc"`
	// Claims maps token claims onto the user and groups.
	Claims Claims `yaml:"claims"`
	// Keys are API keys for machines, each with a fixed user and groups.
	Keys []APIKey `yaml:"keys"`
}

// OIDC is server.auth.oidc.
type OIDC struct {
	// Issuer is the iss every token must carry; discovery reads
	// Issuer/.well-known/openid-configuration.
	Issuer string `yaml:"issuer"`
	// Audience is a value the token's aud must contain (the client id); a
	// token with no aud (a Cognito access token) must have it as client_id.
	Audience string `yaml:"audience"`
	// JWKSURL skips discovery when set.
	JWKSURL string `yaml:"jwks_url"`
	// ClockSkew is how far exp and nbf may be off; default 1m.
	ClockSkew Duration `yaml:"clock_skew"`
}

// Claims names the token claims that carry the user and the groups.
type Claims struct {
	// User defaults to email, falling back to sub when a token has none.
	User string `yaml:"user"`
	// Groups defaults to groups; Cognito uses "cognito:groups".
	Groups string `yaml:"groups"`
}

// APIKey is one machine key with the identity it stands for.
type APIKey struct {
	Key    string   `yaml:"key"`
	User   string   `yaml:"user"`
	Groups []string `yaml:"groups"`
}

// AccessRule is one entry of the access section: what members of any of
// Groups may see.
type AccessRule struct {
	Groups  []string `yaml:"groups"`
	Sources []string `yaml:"sources"`
	// Deny hides columns (and tables) as policy.deny does; an entry may
	// start with one of Sources ("hr.employees.salary") to apply there only.
	Deny []string `yaml:"deny"`
	// Rows maps a table ("orders", "sales.orders" naming the source, or
	// "schema.orders") to a SQL condition every reference to it is
	// filtered by. {{user}} and {{user.<claim>}} are the caller's values,
	// bound as literals by the dialect's own quoting, never spliced.
	Rows map[string]string `yaml:"rows"`
}

// placeholder matches {{user}} and {{user.<claim>}} in a row filter.
var placeholder = regexp.MustCompile(`\{\{\s*user(?:\.([A-Za-z0-9_:.\-]+))?\s*\}\}`)

// Placeholders returns the claim names a row filter uses, in order; "" is
// {{user}} itself.
func Placeholders(filter string) []string {
	var out []string
	for _, m := range placeholder.FindAllStringSubmatch(filter, -1) {
		out = append(out, m[1])
	}
	return out
}

// ReplacePlaceholders replaces each placeholder by repl(claim).
func ReplacePlaceholders(filter string, repl func(claim string) string) string {
	return placeholder.ReplaceAllStringFunc(filter, func(m string) string {
		return repl(placeholder.FindStringSubmatch(m)[1])
	})
}

func (a Auth) validate() error {
	if o := a.OIDC; o != nil {
		if o.Issuer == "" || o.Audience == "" {
			return fmt.Errorf("server.auth.oidc: issuer and audience are required")
		}
		for name, v := range map[string]string{"issuer": o.Issuer, "jwks_url": o.JWKSURL} {
			if v == "" {
				continue
			}
			u, err := url.Parse(v)
			if err != nil || u.Host == "" || u.Scheme != "https" && u.Scheme != "http" {
				return fmt.Errorf("server.auth.oidc.%s %q: must be an http(s) URL", name, v)
			}
			if u.Scheme == "http" && !loopback(u.Hostname()) {
				// Keys fetched over plain HTTP could be swapped on the way.
				return fmt.Errorf("server.auth.oidc.%s %q: must be https (plain http only on loopback, for tests)", name, v)
			}
		}
	}
	for i, k := range a.Keys {
		if strings.TrimSpace(k.Key) == "" || k.User == "" {
			return fmt.Errorf("server.auth.keys[%d]: key and user are required", i)
		}
	}
	return nil
}

func loopback(host string) bool {
	ip := net.ParseIP(host)
	return host == "localhost" || ip != nil && ip.IsLoopback()
}

func (c *Config) validateAccess() error {
	if err := c.Server.Auth.validate(); err != nil {
		return err
	}
	for i, r := range c.Access {
		if len(r.Groups) == 0 {
			return fmt.Errorf("access[%d]: groups is required", i)
		}
		for _, s := range r.Sources {
			if _, ok := c.Sources[s]; !ok && s != "*" {
				return fmt.Errorf("access[%d]: source %q is not one of the sources (%s)", i, s, joinComma(c.SourceNames()))
			}
		}
		for table, f := range r.Rows {
			if strings.TrimSpace(f) == "" {
				return fmt.Errorf("access[%d].rows.%s: the filter is empty", i, table)
			}
		}
	}
	return nil
}

// Grants reports whether the rule gives access to source name.
func (r AccessRule) Grants(name string) bool {
	return slices.Contains(r.Sources, name) || slices.Contains(r.Sources, "*")
}

// Matches reports whether a caller in groups is covered by the rule.
func (r AccessRule) Matches(groups []string) bool {
	return slices.ContainsFunc(r.Groups, func(g string) bool { return g == "*" || slices.Contains(groups, g) })
}

// ForSource strips a leading "<source>." from a deny entry or rows key:
// it returns the rest and whether the entry applies to source at all (an
// entry naming another of the rule's sources does not).
func (r AccessRule) ForSource(entry, source string) (string, bool) {
	if first, rest, ok := strings.Cut(entry, "."); ok && slices.Contains(r.Sources, first) {
		return rest, first == source
	}
	return entry, true
}
