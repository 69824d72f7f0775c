// Package oidctest is a local OIDC issuer for tests: a discovery document
// and a JWKS served on loopback, and tokens signed with its test keys.
package oidctest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// Audience is the client id the issuer's tokens are for by default.
const Audience = "askdb-test"

// Issuer is a running test issuer.
type Issuer struct {
	URL string
	// JWKSFetches counts GETs of the JWKS.
	JWKSFetches atomic.Int64

	t      testing.TB
	mu     sync.Mutex
	keys   []key
	server *httptest.Server
}

type key struct {
	kid  string
	alg  jose.SignatureAlgorithm
	priv any
	pub  any
}

// New starts an issuer with one RSA key ("rsa-1") and one EC key ("ec-1").
func New(t testing.TB) *Issuer {
	t.Helper()
	is := &Issuer{t: t}
	is.AddRSAKey("rsa-1")
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	is.keys = append(is.keys, key{kid: "ec-1", alg: jose.ES256, priv: ec, pub: &ec.PublicKey})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, map[string]any{"issuer": is.URL, "jwks_uri": is.URL + "/jwks", "id_token_signing_alg_values_supported": []string{"RS256", "ES256"}})
	})
	mux.HandleFunc("GET /jwks", func(w http.ResponseWriter, r *http.Request) {
		is.JWKSFetches.Add(1)
		writeJSON(w, is.JWKS())
	})
	is.server = httptest.NewServer(mux)
	is.URL = is.server.URL
	t.Cleanup(is.server.Close)
	return is
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// AddRSAKey adds (rotates in) a new RSA signing key with kid.
func (is *Issuer) AddRSAKey(kid string) {
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		is.t.Fatal(err)
	}
	is.mu.Lock()
	defer is.mu.Unlock()
	is.keys = append(is.keys, key{kid: kid, alg: jose.RS256, priv: priv, pub: &priv.PublicKey})
}

// JWKS is the public key set the issuer serves.
func (is *Issuer) JWKS() jose.JSONWebKeySet {
	is.mu.Lock()
	defer is.mu.Unlock()
	var set jose.JSONWebKeySet
	for _, k := range is.keys {
		set.Keys = append(set.Keys, jose.JSONWebKey{Key: k.pub, KeyID: k.kid, Algorithm: string(k.alg), Use: "sig"})
	}
	return set
}

// Claims returns a valid claim set for user: iss, aud, sub, email,
// iat, exp an hour ahead.
func (is *Issuer) Claims(user string, groups ...string) map[string]any {
	now := time.Now()
	return map[string]any{
		"iss": is.URL, "aud": Audience, "sub": "sub-" + user, "email": user,
		"iat": now.Unix(), "exp": now.Add(time.Hour).Unix(), "groups": groups,
	}
}

// Sign signs claims with the key kid.
func (is *Issuer) Sign(kid string, claims map[string]any) string {
	is.t.Helper()
	is.mu.Lock()
	var k *key
	for i := range is.keys {
		if is.keys[i].kid == kid {
			k = &is.keys[i]
		}
	}
	is.mu.Unlock()
	if k == nil {
		is.t.Fatalf("oidctest: no key %q", kid)
	}
	return SignWith(is.t, k.alg, k.priv, kid, claims)
}

// Token is Sign with the RSA key rsa-1.
func (is *Issuer) Token(claims map[string]any) string { return is.Sign("rsa-1", claims) }

// SignWith signs claims with any private key, for forged tokens.
func SignWith(t testing.TB, alg jose.SignatureAlgorithm, priv any, kid string, claims map[string]any) string {
	t.Helper()
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: priv}, (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", kid))
	if err != nil {
		t.Fatal(err)
	}
	payload, _ := json.Marshal(claims)
	obj, err := s.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	out, err := obj.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Unsigned builds an alg "none" token by hand (go-jose refuses to).
func Unsigned(claims map[string]any) string {
	h, _ := json.Marshal(map[string]string{"alg": "none", "typ": "JWT"})
	p, _ := json.Marshal(claims)
	enc := base64.RawURLEncoding.EncodeToString
	return enc(h) + "." + enc(p) + "."
}

// HMACWithPublicKey signs an HS256 token with the issuer's RSA public key
// (in PKIX DER) as the secret: the classic algorithm-confusion forgery.
func (is *Issuer) HMACWithPublicKey(claims map[string]any) string {
	is.mu.Lock()
	pub := is.keys[0].pub
	is.mu.Unlock()
	der, _ := x509.MarshalPKIXPublicKey(pub)
	h, _ := json.Marshal(map[string]string{"alg": "HS256", "typ": "JWT", "kid": "rsa-1"})
	p, _ := json.Marshal(claims)
	enc := base64.RawURLEncoding.EncodeToString
	signing := enc(h) + "." + enc(p)
	m := hmac.New(sha256.New, der)
	m.Write([]byte(signing))
	return signing + "." + enc(m.Sum(nil))
}
