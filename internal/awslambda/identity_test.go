package awslambda_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/askdb/askdb/internal/awslambda"
	"github.com/askdb/askdb/internal/identity"
)

// TestGatewayIdentity checks that the caller named by an API Gateway
// authorizer's claims reaches the HTTP handler's context, and that a
// request without them carries none.
func TestGatewayIdentity(t *testing.T) {
	var got *identity.Identity
	h := awslambda.New(awslambda.Options{HTTP: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = nil
		if id, ok := identity.From(r.Context()); ok {
			got = &id
		}
	})})
	v1 := func(authorizer any) []byte {
		ev := map[string]any{"httpMethod": "GET", "path": "/api/sources", "requestContext": map[string]any{"authorizer": authorizer}}
		b, _ := json.Marshal(ev)
		return b
	}
	v2 := func(authorizer any) []byte {
		ev := map[string]any{"version": "2.0", "rawPath": "/api/sources", "requestContext": map[string]any{
			"http": map[string]any{"method": "GET"}, "authorizer": authorizer}}
		b, _ := json.Marshal(ev)
		return b
	}
	ann := &identity.Identity{User: "ann@example.com", Groups: []string{"analysts", "sales"}, Method: identity.MethodGateway}
	tests := []struct {
		name  string
		event []byte
		want  *identity.Identity
	}{
		{"REST Cognito authorizer", v1(map[string]any{"claims": map[string]any{"email": "ann@example.com", "cognito:groups": "sales,analysts", "custom:region": "EMEA"}}), ann},
		{"HTTP API JWT authorizer", v2(map[string]any{"jwt": map[string]any{"claims": map[string]string{"email": "ann@example.com", "cognito:groups": "[sales analysts]", "custom:region": "EMEA"}}}), ann},
		{"REST without an authorizer", v1(nil), nil},
		{"HTTP API IAM authorizer", v2(map[string]any{"iam": map[string]any{"userArn": "arn:aws:iam::1:user/x"}}), nil},
		{"claims without a user", v1(map[string]any{"claims": map[string]any{"cognito:groups": "sales"}}), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := h.Invoke(t.Context(), tt.event); err != nil {
				t.Fatal(err)
			}
			if got != nil {
				if got.Claims["custom:region"] != "EMEA" {
					t.Errorf("claims %v lack custom:region", got.Claims)
				}
				got.Claims = nil
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Error(d)
			}
		})
	}
}
