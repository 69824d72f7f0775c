package identity_test

import (
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/google/go-cmp/cmp"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/identity"
	"github.com/askdb/askdb/internal/identity/oidctest"
)

func newVerifier(is *oidctest.Issuer, opts identity.Options) *identity.Verifier {
	return identity.NewVerifier(config.OIDC{Issuer: is.URL, Audience: oidctest.Audience},
		config.Claims{User: "email", Groups: "groups"}, opts)
}

func TestVerify(t *testing.T) {
	is := oidctest.New(t)
	v := newVerifier(is, identity.Options{})
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	with := func(mod func(c map[string]any)) map[string]any {
		c := is.Claims("ann@example.com", "sales-emea", "analysts")
		c["region"] = "EMEA"
		mod(c)
		return c
	}
	same := func(map[string]any) {}
	tests := []struct {
		name  string
		token string
		want  *identity.Identity // nil: refused
	}{
		{"RS256", is.Token(with(same)), &identity.Identity{User: "ann@example.com", Groups: []string{"analysts", "sales-emea"}, Method: identity.MethodOIDC}},
		{"ES256", is.Sign("ec-1", with(same)), &identity.Identity{User: "ann@example.com", Groups: []string{"analysts", "sales-emea"}, Method: identity.MethodOIDC}},
		{"within clock skew after exp", is.Token(with(func(c map[string]any) { c["exp"] = time.Now().Add(-30 * time.Second).Unix() })), &identity.Identity{User: "ann@example.com", Groups: []string{"analysts", "sales-emea"}, Method: identity.MethodOIDC}},
		{"expired", is.Token(with(func(c map[string]any) { c["exp"] = time.Now().Add(-10 * time.Minute).Unix() })), nil},
		{"not yet valid", is.Token(with(func(c map[string]any) { c["nbf"] = time.Now().Add(time.Hour).Unix() })), nil},
		{"wrong audience", is.Token(with(func(c map[string]any) { c["aud"] = "someone-else" })), nil},
		{"Cognito access token: no aud, client_id", is.Token(with(func(c map[string]any) { delete(c, "aud"); c["client_id"] = oidctest.Audience })), &identity.Identity{User: "ann@example.com", Groups: []string{"analysts", "sales-emea"}, Method: identity.MethodOIDC}},
		{"no aud, other client_id", is.Token(with(func(c map[string]any) { delete(c, "aud"); c["client_id"] = "other" })), nil},
		{"no aud, no client_id", is.Token(with(func(c map[string]any) { delete(c, "aud") })), nil},
		{"wrong aud, right client_id", is.Token(with(func(c map[string]any) { c["aud"] = "other"; c["client_id"] = oidctest.Audience })), nil},
		{"aud list holding the audience", is.Token(with(func(c map[string]any) { c["aud"] = []string{"x", oidctest.Audience} })), &identity.Identity{User: "ann@example.com", Groups: []string{"analysts", "sales-emea"}, Method: identity.MethodOIDC}},
		{"wrong issuer", is.Token(with(func(c map[string]any) { c["iss"] = "https://evil.example" })), nil},
		{"wrong signature", oidctest.SignWith(t, jose.RS256, other, "rsa-1", with(same)), nil},
		{"alg none", oidctest.Unsigned(with(same)), nil},
		{"HS256 with the public key", is.HMACWithPublicKey(with(same)), nil},
		{"unknown kid", oidctest.SignWith(t, jose.RS256, other, "nope", with(same)), nil},
		{"no user claim", is.Token(with(func(c map[string]any) { delete(c, "email") })), nil},
		{"garbage", "a.b.c", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := v.Verify(t.Context(), tt.token)
			if tt.want == nil {
				if !errors.Is(err, identity.ErrInvalidToken) {
					t.Fatalf("accepted (%+v, %v), want ErrInvalidToken", id, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if id.Claims["region"] != "EMEA" {
				t.Errorf("claims %v: no region", id.Claims)
			}
			id.Claims = nil
			if d := cmp.Diff(*tt.want, id); d != "" {
				t.Error(d)
			}
		})
	}
}

// TestKeyRotation checks that a token signed with a key added after the
// first fetch is accepted (refetch on unknown kid), and that unknown kids
// refetch at most once per interval.
func TestKeyRotation(t *testing.T) {
	is := oidctest.New(t)
	now := time.Now()
	clock := func() time.Time { return now }
	v := newVerifier(is, identity.Options{Now: clock, RefetchInterval: time.Minute})
	if _, err := v.Verify(t.Context(), is.Token(is.Claims("a@x"))); err != nil {
		t.Fatal(err)
	}
	is.AddRSAKey("rsa-2")
	now = now.Add(2 * time.Minute)
	if _, err := v.Verify(t.Context(), is.Sign("rsa-2", is.Claims("a@x"))); err != nil {
		t.Fatalf("rotated key refused: %v", err)
	}
	before := is.JWKSFetches.Load()
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	for range 20 {
		_, _ = v.Verify(t.Context(), oidctest.SignWith(t, jose.RS256, other, "forged", is.Claims("a@x")))
	}
	if n := is.JWKSFetches.Load() - before; n > 1 {
		t.Errorf("%d JWKS fetches for 20 unknown kids within a minute, want at most 1", n)
	}
	if _, err := v.Verify(t.Context(), is.Token(is.Claims("a@x"))); err != nil {
		t.Errorf("known key refused after unknown kids: %v", err)
	}
}

func TestFromClaims(t *testing.T) {
	tests := []struct {
		name   string
		claims map[string]any
		m      config.Claims
		want   identity.Identity
	}{
		{"cognito groups array", map[string]any{"email": "a@x", "cognito:groups": []any{"b", "a"}}, config.Claims{Groups: "cognito:groups"},
			identity.Identity{User: "a@x", Groups: []string{"a", "b"}}},
		{"gateway groups string", map[string]any{"email": "a@x", "cognito:groups": "[b a]"}, config.Claims{Groups: "cognito:groups"},
			identity.Identity{User: "a@x", Groups: []string{"a", "b"}}},
		{"sub when no email", map[string]any{"sub": "s1", "groups": "x,y"}, config.Claims{},
			identity.Identity{User: "s1", Groups: []string{"x", "y"}}},
		{"configured user claim", map[string]any{"email": "a@x", "username": "ann"}, config.Claims{User: "username"},
			identity.Identity{User: "ann"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := identity.FromClaims(tt.claims, tt.m, "")
			if err != nil {
				t.Fatal(err)
			}
			got.Claims = nil
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Error(d)
			}
		})
	}
}

// TestDiscovery checks that jwks_url skips discovery, and that a discovery
// document naming another issuer is not trusted.
func TestDiscovery(t *testing.T) {
	is := oidctest.New(t)
	direct := identity.NewVerifier(config.OIDC{Issuer: "https://idp.example", Audience: oidctest.Audience, JWKSURL: is.URL + "/jwks"}, config.Claims{}, identity.Options{})
	c := is.Claims("a@x")
	c["iss"] = "https://idp.example"
	if _, err := direct.Verify(t.Context(), is.Token(c)); err != nil {
		t.Errorf("with jwks_url: %v", err)
	}
	// The issuer serves discovery for is.URL; configured as is.URL + "/"
	// the document's issuer differs, so its keys are not used.
	mismatch := identity.NewVerifier(config.OIDC{Issuer: is.URL + "/", Audience: oidctest.Audience}, config.Claims{}, identity.Options{})
	c = is.Claims("a@x")
	c["iss"] = is.URL + "/"
	if _, err := mismatch.Verify(t.Context(), is.Token(c)); !errors.Is(err, identity.ErrInvalidToken) {
		t.Errorf("discovery issuer mismatch accepted: %v", err)
	}
}
