// Package identity owns who is asking: the Identity a request carries on
// its context (user, groups, claims), OIDC bearer-token verification
// (discovery, a rotating JWKS cache, RS256 and ES256 only) and the mapping
// of token claims onto a user and groups. It must not import pipeline,
// server or any source driver.
package identity
