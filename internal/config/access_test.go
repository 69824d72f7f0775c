package config

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseAccess(t *testing.T) {
	const doc = `
sources:
  sales: {kind: postgres, dsn: "postgres://x@h/db"}
  hr:    {kind: mysql, dsn: "x@tcp(h)/hr"}
server:
  auth:
    oidc: {issuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc", audience: "client-1"}
    claims: {user: email, groups: "cognito:groups"}
    keys:
      - {key: "${ETL_KEY}", user: etl-bot, groups: [analysts]}
access:
  - groups: [analysts]
    sources: [sales, hr]
    deny: [hr.employees.salary]
  - groups: [sales-emea]
    sources: [sales]
    rows:
      orders: "region = 'EMEA'"
      customers: "region = {{user.region}}"
`
	cfg, err := Parse([]byte(doc), env(map[string]string{"ETL_KEY": "k1"}))
	if err != nil {
		t.Fatal(err)
	}
	want := []AccessRule{
		{Groups: []string{"analysts"}, Sources: []string{"sales", "hr"}, Deny: []string{"hr.employees.salary"}},
		{Groups: []string{"sales-emea"}, Sources: []string{"sales"}, Rows: map[string]string{"orders": "region = 'EMEA'", "customers": "region = {{user.region}}"}},
	}
	if d := cmp.Diff(want, cfg.Access); d != "" {
		t.Errorf("access (-want +got):\n%s", d)
	}
	if k := cfg.Server.Auth.Keys; len(k) != 1 || k[0].Key != "k1" || k[0].User != "etl-bot" {
		t.Errorf("keys = %+v", k)
	}
	if cfg.Server.Auth.OIDC.Audience != "client-1" || cfg.Server.Auth.Claims.Groups != "cognito:groups" {
		t.Errorf("auth = %+v", cfg.Server.Auth)
	}
	if rest, ok := want[0].ForSource("hr.employees.salary", "sales"); ok {
		t.Errorf("hr entry applies to sales as %q", rest)
	}
	if rest, ok := want[0].ForSource("hr.employees.salary", "hr"); !ok || rest != "employees.salary" {
		t.Errorf("hr entry on hr = %q, %v", rest, ok)
	}
	if got := Placeholders("a = {{user.region}} AND b = {{ user }} AND c = {{user.custom:team}}"); !cmp.Equal(got, []string{"region", "", "custom:team"}) {
		t.Errorf("placeholders = %q", got)
	}
}

func TestParseAccessErrors(t *testing.T) {
	const src = "sources:\n  s: {kind: sqlite}\n"
	tests := []struct {
		name, doc string
		want      string
	}{
		{"unknown source", src + "access:\n  - {groups: [a], sources: [t]}\n", `source "t" is not one of the sources`},
		{"no groups", src + "access:\n  - {sources: [s]}\n", "groups is required"},
		{"empty filter", src + "access:\n  - {groups: [a], sources: [s], rows: {orders: \" \"}}\n", "the filter is empty"},
		{"unknown rule key", src + "access:\n  - {groups: [a], source: [s]}\n", "source"},
		{"oidc without audience", src + "server:\n  auth:\n    oidc: {issuer: \"https://i\"}\n", "issuer and audience are required"},
		{"oidc issuer not a URL", src + "server:\n  auth:\n    oidc: {issuer: \"i\", audience: a}\n", "must be an http(s) URL"},
		{"oidc issuer over plain http", src + "server:\n  auth:\n    oidc: {issuer: \"http://idp.example.com\", audience: a}\n", "must be https"},
		{"key without user", src + "server:\n  auth:\n    keys: [{key: k}]\n", "key and user are required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.doc), env(nil))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err %v, want it to mention %q", err, tt.want)
			}
		})
	}
}
