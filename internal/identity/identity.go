package identity

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/askdb/askdb/internal/config"
)

// How a caller was identified.
const (
	MethodAnonymous = "anonymous"
	MethodAPIKey    = "api_key"
	MethodOIDC      = "oidc"
	// MethodGateway is an API Gateway authorizer's claims (Cognito).
	MethodGateway = "gateway"
)

// Identity is the caller of one request.
type Identity struct {
	User   string   `json:"user"`
	Groups []string `json:"groups,omitempty"`
	// Claims are the token's claims as strings, for row-filter
	// placeholders; arrays and objects are left out.
	Claims map[string]string `json:"-"`
	Method string            `json:"method"`
}

// Claim returns the value row filters bind for {{user}} (claim "") and
// {{user.<claim>}}.
func (id Identity) Claim(name string) (string, bool) {
	if name == "" {
		return id.User, id.User != ""
	}
	v, ok := id.Claims[name]
	return v, ok
}

type ctxKey struct{}

// With returns ctx carrying id.
func With(ctx context.Context, id Identity) context.Context {
	return context.WithValue(ctx, ctxKey{}, id)
}

// From returns the identity on ctx, if any.
func From(ctx context.Context) (Identity, bool) {
	id, ok := ctx.Value(ctxKey{}).(Identity)
	return id, ok
}

// FromClaims maps a verified token's claims onto an Identity.
func FromClaims(claims map[string]any, m config.Claims, method string) (Identity, error) {
	userClaim, groupsClaim := m.User, m.Groups
	if groupsClaim == "" {
		groupsClaim = "groups"
	}
	id := Identity{Method: method, Claims: map[string]string{}}
	for k, v := range claims {
		if s, ok := scalar(v); ok {
			id.Claims[k] = s
		}
	}
	switch {
	case userClaim != "":
		id.User = id.Claims[userClaim]
	case id.Claims["email"] != "":
		id.User = id.Claims["email"]
	default:
		id.User = id.Claims["sub"]
	}
	if id.User == "" {
		return Identity{}, fmt.Errorf("the token has no %q claim to name the user", cmpOr(userClaim, "email"))
	}
	g, ok := claims[groupsClaim]
	if !ok && m.Groups == "" {
		g = claims["cognito:groups"] // Cognito's name, when none is configured
	}
	id.Groups = groupList(g)
	return id, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func scalar(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case bool, float64, int, int64:
		return fmt.Sprint(x), true
	}
	return "", false
}

// groupList reads a groups claim: a JSON array, or one string as API
// Gateway passes Cognito groups ("[a b]", "a,b" or "a b").
func groupList(v any) []string {
	var out []string
	switch x := v.(type) {
	case []any:
		for _, g := range x {
			if s, ok := g.(string); ok && s != "" {
				out = append(out, s)
			}
		}
	case []string:
		out = append(out, x...)
	case string:
		x = strings.Trim(strings.TrimSpace(x), "[]")
		out = strings.FieldsFunc(x, func(r rune) bool { return r == ',' || r == ' ' })
	}
	slices.Sort(out)
	return slices.Compact(out)
}
