package identity

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	jose "github.com/go-jose/go-jose/v4"
)

// Algorithms are the only signature algorithms accepted: asymmetric, so
// that a public key can never be used as an HMAC secret, and never none.
var Algorithms = []jose.SignatureAlgorithm{jose.RS256, jose.ES256}

// Defaults of the key cache.
const (
	// DefaultRefetchInterval is the least time between two JWKS fetches
	// caused by tokens with an unknown key id, so that forged kids cannot
	// turn the server into a flood against the issuer.
	DefaultRefetchInterval = time.Minute
	// DefaultKeysMaxAge is how long fetched keys are trusted before the
	// next verification refetches them, so a removed key stops working.
	DefaultKeysMaxAge = time.Hour
	maxJWKSBytes      = 1 << 20
)

// ErrUnknownKey means no key of the issuer's set verifies the token.
var ErrUnknownKey = errors.New("no key of the issuer verifies the token")

// keySet is an oidc.KeySet that caches the issuer's JWKS, refetches it
// when a token names an unknown kid (at most once per refetch interval),
// and verifies with RS256 or ES256 only.
type keySet struct {
	url      func(ctx context.Context) (string, error)
	client   *http.Client
	now      func() time.Time
	interval time.Duration
	maxAge   time.Duration

	mu      sync.Mutex
	keys    []jose.JSONWebKey
	fetched time.Time // last fetch attempt, successful or not
	good    time.Time // last successful fetch
}

var _ oidc.KeySet = (*keySet)(nil)

// VerifySignature implements oidc.KeySet.
func (k *keySet) VerifySignature(ctx context.Context, raw string) ([]byte, error) {
	jws, err := jose.ParseSigned(raw, Algorithms)
	if err != nil {
		return nil, fmt.Errorf("parse token: %w", err)
	}
	if len(jws.Signatures) != 1 {
		return nil, errors.New("the token must carry exactly one signature")
	}
	h := jws.Signatures[0].Header
	keys, err := k.candidates(ctx, h.KeyID)
	if err != nil {
		return nil, err
	}
	for _, key := range keys {
		if (key.Use == "" || key.Use == "sig") && (key.Algorithm == "" || key.Algorithm == h.Algorithm) {
			if payload, err := jws.Verify(key.Key); err == nil {
				return payload, nil
			}
		}
	}
	return nil, fmt.Errorf("kid %q: %w", h.KeyID, ErrUnknownKey)
}

// candidates returns the cached keys with kid, refetching the set when
// none has it (rate-limited) or when the cache is older than maxAge.
func (k *keySet) candidates(ctx context.Context, kid string) ([]jose.JSONWebKey, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	now := k.now()
	stale := k.good.IsZero() || now.Sub(k.good) > k.maxAge
	found := k.withKID(kid)
	if len(found) > 0 && !stale {
		return found, nil
	}
	if !k.fetched.IsZero() && now.Sub(k.fetched) < k.interval {
		return found, nil
	}
	k.fetched = now
	keys, err := k.fetch(ctx)
	if err != nil {
		if len(found) > 0 {
			return found, nil // keep serving the cache while the issuer is down
		}
		return nil, err
	}
	k.keys, k.good = keys, now
	return k.withKID(kid), nil
}

func (k *keySet) withKID(kid string) []jose.JSONWebKey {
	var out []jose.JSONWebKey
	for _, key := range k.keys {
		if kid == "" || key.KeyID == kid {
			out = append(out, key)
		}
	}
	return out
}

func (k *keySet) fetch(ctx context.Context) ([]jose.JSONWebKey, error) {
	u, err := k.url(ctx)
	if err != nil {
		return nil, err
	}
	var set jose.JSONWebKeySet
	if err := getJSON(ctx, k.client, u, &set); err != nil {
		return nil, fmt.Errorf("jwks %q: %w", u, err)
	}
	var keys []jose.JSONWebKey
	for _, key := range set.Keys {
		if key.IsPublic() && key.Valid() {
			keys = append(keys, key)
		}
	}
	return keys, nil
}

// getJSON GETs u and decodes a JSON body of at most maxJWKSBytes.
func getJSON(ctx context.Context, c *http.Client, u string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxJWKSBytes)).Decode(v); err != nil {
		return fmt.Errorf("decode: %w", err)
	}
	return nil
}
