package awslambda

import (
	"github.com/aws/aws-lambda-go/events"

	"github.com/askdb/askdb/internal/identity"
)

// API Gateway with a Cognito (or any JWT) authorizer has verified the
// caller's token before the function runs; the identity comes from the
// authorizer's claims in the request context, and the server trusts an
// identity of MethodGateway on the context because only code in this
// process can put it there.

// gatewayIdentityV1 reads a REST API Cognito user-pool authorizer's
// claims (requestContext.authorizer.claims).
func (h *Handler) gatewayIdentityV1(rc events.APIGatewayProxyRequestContext) (identity.Identity, bool) {
	raw, ok := rc.Authorizer["claims"].(map[string]any)
	if !ok || len(raw) == 0 {
		return identity.Identity{}, false
	}
	return h.fromClaims(raw)
}

// gatewayIdentityV2 reads an HTTP API JWT authorizer's claims
// (requestContext.authorizer.jwt.claims).
func (h *Handler) gatewayIdentityV2(rc events.APIGatewayV2HTTPRequestContext) (identity.Identity, bool) {
	if rc.Authorizer == nil || rc.Authorizer.JWT == nil || len(rc.Authorizer.JWT.Claims) == 0 {
		return identity.Identity{}, false
	}
	raw := make(map[string]any, len(rc.Authorizer.JWT.Claims))
	for k, v := range rc.Authorizer.JWT.Claims {
		raw[k] = v
	}
	return h.fromClaims(raw)
}

func (h *Handler) fromClaims(raw map[string]any) (identity.Identity, bool) {
	id, err := identity.FromClaims(raw, h.opts.Claims, identity.MethodGateway)
	if err != nil {
		h.opts.Logger.Warn("API Gateway authorizer claims name no user; the request goes on unauthenticated", "err", err)
		return identity.Identity{}, false
	}
	return id, true
}
