package server

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/identity"
	"github.com/askdb/askdb/internal/pipeline"
)

// contentSecurityPolicy allows only the binary's own scripts and styles:
// no inline code, no CDN, no framing.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// statusRecorder remembers the status for metrics and logs. It keeps
// Flush and deadlines working through Unwrap.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (sr *statusRecorder) WriteHeader(code int) {
	if sr.status == 0 {
		sr.status = code
	}
	sr.ResponseWriter.WriteHeader(code)
}

func (sr *statusRecorder) Write(b []byte) (int, error) {
	if sr.status == 0 {
		sr.status = http.StatusOK
	}
	return sr.ResponseWriter.Write(b)
}

func (sr *statusRecorder) Unwrap() http.ResponseWriter { return sr.ResponseWriter }

// observe counts and times every request by route pattern, recovers from
// panics (a 500 and a log line, never a stack trace to the client), and
// logs API requests at debug level.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sr := &statusRecorder{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.Error("panic serving request", "path", r.URL.Path, "panic", p)
				if sr.status == 0 {
					writeError(sr, http.StatusInternalServerError, "internal", "internal error")
				}
			}
			status := sr.status
			if status == 0 {
				status = http.StatusOK
			}
			route := routeLabel(r)
			d := time.Since(start)
			s.metrics.request(route, status, d)
			s.log.Debug("request", "method", r.Method, "path", r.URL.Path, "route", route, "status", status, "duration", d)
		}()
		next.ServeHTTP(sr, r)
	})
}

// Anonymous is the user of requests when no authentication is configured.
const Anonymous = "anonymous"

// UserFrom returns the user who made the request: the token's user, the
// API key's user ("key-" and a short hash of the key, or the user it was
// given) or Anonymous.
func UserFrom(ctx context.Context) string {
	if id, ok := identity.From(ctx); ok && id.User != "" {
		return id.User
	}
	return Anonymous
}

// WithUser returns ctx carrying user with no groups; a seam for other
// authenticators. identity.With carries groups and claims too.
func WithUser(ctx context.Context, user string) context.Context {
	return identity.With(ctx, identity.Identity{User: user, Method: identity.MethodAPIKey})
}

// apiKeyIdentities maps each API key onto who it stands for: the plain
// server.api_keys are users named by a hash of the key, with no groups;
// server.auth.keys carry a fixed user and groups.
func apiKeyIdentities(plain []string, keys []config.APIKey) map[string]identity.Identity {
	m := map[string]identity.Identity{}
	for _, k := range plain {
		if k = strings.TrimSpace(k); k != "" {
			sum := sha256.Sum256([]byte(k))
			m[k] = identity.Identity{User: "key-" + hex.EncodeToString(sum[:4]), Method: identity.MethodAPIKey}
		}
	}
	for _, k := range keys {
		if key := strings.TrimSpace(k.Key); key != "" {
			m[key] = identity.Identity{User: k.User, Groups: k.Groups, Method: identity.MethodAPIKey}
		}
	}
	return m
}

// accessChecker is the part of *pipeline.Pipeline that applies the
// access rules to listings the server makes itself.
type accessChecker interface {
	PolicyFor(id identity.Identity, source string) (config.Policy, error)
	SourcesFor(id identity.Identity, all []string) []string
}

var _ accessChecker = (*pipeline.Pipeline)(nil)

// visibleSources lists the sources the caller may query.
func (s *Server) visibleSources(ctx context.Context) []string {
	all := s.opts.Sources.Names()
	ac, ok := s.opts.Pipeline.(accessChecker)
	if !ok {
		return all
	}
	id, _ := identity.From(ctx)
	return ac.SourcesFor(id, all)
}

// callerPolicy is the policy that hides tables and columns from the
// caller on source, or a 403 when the access rules keep them from it.
func (s *Server) callerPolicy(ctx context.Context, source string) (config.Policy, *statusError) {
	resolved, err := s.opts.Sources.Resolve(source)
	if err != nil {
		return config.Policy{}, classify(err, nil)
	}
	ac, ok := s.opts.Pipeline.(accessChecker)
	if !ok {
		return s.opts.Sources.Config(resolved).Policy, nil
	}
	id, _ := identity.From(ctx)
	pol, err := ac.PolicyFor(id, resolved)
	if err != nil {
		return config.Policy{}, classify(err, nil)
	}
	return pol, nil
}

// authRequired reports whether requests must authenticate: API keys or
// OIDC are configured.
func (s *Server) authRequired() bool { return len(s.keys) > 0 || s.oidc != nil }

// authenticate requires Authorization: Bearer <key or token> when API keys
// or OIDC are configured, and puts the caller's identity on the request
// context (MCP mounted on the server gets it the same way).
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if id, ok := identity.From(r.Context()); ok && id.Method == identity.MethodGateway {
			// API Gateway's authorizer verified the caller (awslambda).
			next.ServeHTTP(w, r)
			return
		}
		if !s.authRequired() {
			next.ServeHTTP(w, r.WithContext(identity.With(r.Context(), identity.Identity{User: Anonymous, Method: identity.MethodAnonymous})))
			return
		}
		id, e := s.checkCredential(r)
		if e != nil {
			if e.status == http.StatusUnauthorized {
				w.Header().Set("WWW-Authenticate", `Bearer realm="askdb"`)
			} else {
				s.metrics.limited()
			}
			writeStatusError(w, e)
			return
		}
		next.ServeHTTP(w, r.WithContext(identity.With(r.Context(), id)))
	})
}

// checkCredential returns the caller r's bearer credential names: an API
// key, or with OIDC a signed token. A client address that sent too many
// wrong credentials gets a 429 before its credential is even looked at,
// so that a right guess is not told apart from a wrong one; every wrong
// one counts against the address. A request with none is a 401 but no
// guess.
func (s *Server) checkCredential(r *http.Request) (identity.Identity, *statusError) {
	addr := addrKey(s.clientAddr(r))
	if wait, ok := s.authFails.blocked(addr); ok {
		return identity.Identity{}, &statusError{status: http.StatusTooManyRequests, code: "rate_limited", retryAfter: wait,
			msg: "too many wrong credentials from this address; wait before trying again"}
	}
	header := r.Header.Get("Authorization")
	token, _ := strings.CutPrefix(header, "Bearer ")
	if id, ok := s.keyIdentity(header); ok {
		return id, nil
	}
	msg := "send a valid API key: Authorization: Bearer <key>"
	if s.oidc != nil {
		msg = "send a valid API key or sign-in token: Authorization: Bearer <token>"
		if token != header && identity.LooksLikeJWT(token) {
			id, err := s.oidc.Verify(r.Context(), token)
			if err == nil {
				return id, nil
			}
			s.log.Info("bearer token refused", "err", err)
			msg = "the sign-in token was refused (expired, for another audience or issuer, or badly signed); sign in again"
		}
	}
	if header != "" {
		s.authFails.fail(addr)
	}
	return identity.Identity{}, &statusError{status: http.StatusUnauthorized, code: "unauthorized", msg: msg}
}

func (s *Server) keyIdentity(header string) (identity.Identity, bool) {
	token, ok := strings.CutPrefix(header, "Bearer ")
	if !ok || token == "" {
		return identity.Identity{}, false
	}
	for k, id := range s.keys {
		if subtle.ConstantTimeCompare([]byte(k), []byte(token)) == 1 {
			return id, true
		}
	}
	return identity.Identity{}, false
}

// clientID names the client for rate limits: the authenticated user when
// authentication is on, else its address (see clientAddr and addrKey).
func (s *Server) clientID(r *http.Request) string {
	if u := UserFrom(r.Context()); u != Anonymous {
		return u
	}
	return addrKey(s.clientAddr(r))
}

// clientAddr is the client's remote IP. X-Forwarded-For is believed only
// from a trusted proxy, and then only its last untrusted hop, since a
// client can write any value at the start of the header.
func (s *Server) clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if !s.trusted(host) {
		return host
	}
	hops := strings.Split(r.Header.Get("X-Forwarded-For"), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop := strings.TrimSpace(hops[i])
		if hop != "" && !s.trusted(hop) {
			return hop
		}
	}
	return host
}

// trusted reports whether addr is one of the configured proxies.
func (s *Server) trusted(addr string) bool {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	for _, p := range s.proxies {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// parseProxies reads server.trusted_proxies: IPs or CIDRs.
func parseProxies(list []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range list {
		if !strings.Contains(s, "/") {
			ip, err := netip.ParseAddr(s)
			if err != nil {
				return nil, fmt.Errorf("server.trusted_proxies: %q is not an IP or CIDR", s)
			}
			out = append(out, netip.PrefixFrom(ip, ip.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return nil, fmt.Errorf("server.trusted_proxies: %q is not an IP or CIDR", s)
		}
		out = append(out, p)
	}
	return out, nil
}
