package identity

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"

	"github.com/askdb/askdb/internal/config"
)

// DefaultClockSkew is how far exp and nbf may be off when not configured.
const DefaultClockSkew = time.Minute

// ErrInvalidToken is matched by every token verification failure.
var ErrInvalidToken = errors.New("invalid token")

// Options configure a Verifier.
type Options struct {
	HTTPClient *http.Client
	Now        func() time.Time
	// RefetchInterval and KeysMaxAge tune the key cache (see the defaults).
	RefetchInterval time.Duration
	KeysMaxAge      time.Duration
}

// Verifier checks OIDC bearer tokens: signature (RS256, ES256), iss, aud,
// exp and nbf with clock skew, and maps the claims onto an Identity.
type Verifier struct {
	cfg    config.OIDC
	claims config.Claims
	client *http.Client
	keys   *keySet
	v      *oidc.IDTokenVerifier

	discMu  sync.Mutex
	jwksURL string
}

// NewVerifier returns a Verifier for cfg. Discovery happens on first use,
// so a server starts while its issuer is unreachable.
func NewVerifier(cfg config.OIDC, claims config.Claims, opts Options) *Verifier {
	if opts.HTTPClient == nil {
		opts.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	skew := time.Duration(cfg.ClockSkew)
	if skew <= 0 {
		skew = DefaultClockSkew
	}
	v := &Verifier{cfg: cfg, claims: claims, client: opts.HTTPClient, jwksURL: cfg.JWKSURL}
	v.keys = &keySet{
		url: v.discover, client: opts.HTTPClient, now: opts.Now,
		interval: orDefault(opts.RefetchInterval, DefaultRefetchInterval),
		maxAge:   orDefault(opts.KeysMaxAge, DefaultKeysMaxAge),
	}
	algs := make([]string, len(Algorithms))
	for i, a := range Algorithms {
		algs[i] = string(a)
	}
	v.v = oidc.NewVerifier(cfg.Issuer, v.keys, &oidc.Config{
		// The audience is checked in Verify, which also takes the
		// client_id of a token with no aud (Cognito access tokens).
		SkipClientIDCheck:    true,
		SupportedSigningAlgs: algs,
		// A token still counts for skew after its exp; go-oidc also allows
		// a fixed 5 minutes before nbf.
		Now: func() time.Time { return opts.Now().Add(-skew) },
	})
	return v
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// Verify checks raw and returns the caller it names. Every failure wraps
// ErrInvalidToken; the message says why without echoing the token.
func (v *Verifier) Verify(ctx context.Context, raw string) (Identity, error) {
	tok, err := v.v.Verify(oidc.ClientContext(ctx, v.client), raw)
	if err != nil {
		return Identity{}, fmt.Errorf("%w: %w", ErrInvalidToken, err)
	}
	var claims map[string]any
	if err := tok.Claims(&claims); err != nil {
		return Identity{}, fmt.Errorf("%w: claims: %w", ErrInvalidToken, err)
	}
	if !forAudience(tok.Audience, claims, v.cfg.Audience) {
		return Identity{}, fmt.Errorf("%w: the token is for audience %q, not %q", ErrInvalidToken, tok.Audience, v.cfg.Audience)
	}
	id, err := FromClaims(claims, v.claims, MethodOIDC)
	if err != nil {
		return Identity{}, fmt.Errorf("%w: %w", ErrInvalidToken, err)
	}
	return id, nil
}

// forAudience reports whether a token is meant for audience: its aud
// holds it, or it has no aud and its client_id is it, as Cognito's access
// tokens have.
func forAudience(aud []string, claims map[string]any, audience string) bool {
	if len(aud) > 0 {
		return slices.Contains(aud, audience)
	}
	id, _ := claims["client_id"].(string)
	return id == audience
}

// LooksLikeJWT reports whether a bearer credential has a JWT's three
// dot-separated parts, so that API keys are never sent to the issuer.
func LooksLikeJWT(s string) bool { return strings.Count(s, ".") == 2 }

// discover returns the JWKS URL: jwks_url when configured, else the
// issuer's discovery document's jwks_uri, whose issuer must match. A
// failed discovery is retried after the refetch interval.
func (v *Verifier) discover(ctx context.Context) (string, error) {
	v.discMu.Lock()
	defer v.discMu.Unlock()
	if v.jwksURL != "" {
		return v.jwksURL, nil
	}
	var doc struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	u := strings.TrimSuffix(v.cfg.Issuer, "/") + "/.well-known/openid-configuration"
	if err := getJSON(ctx, v.client, u, &doc); err != nil {
		return "", fmt.Errorf("oidc discovery %q: %w", u, err)
	}
	if doc.Issuer != v.cfg.Issuer {
		return "", fmt.Errorf("oidc discovery %q: issuer %q does not match the configured %q", u, doc.Issuer, v.cfg.Issuer)
	}
	if doc.JWKSURI == "" {
		return "", fmt.Errorf("oidc discovery %q: no jwks_uri", u)
	}
	v.jwksURL = doc.JWKSURI
	return v.jwksURL, nil
}
