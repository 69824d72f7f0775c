package awslambda

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/askdb/askdb/internal/identity"
)

func (h *Handler) apiGatewayV1(ctx context.Context, payload []byte) (events.APIGatewayProxyResponse, error) {
	var ev events.APIGatewayProxyRequest
	if err := json.Unmarshal(payload, &ev); err != nil {
		return events.APIGatewayProxyResponse{}, fmt.Errorf("decode API Gateway REST event: %w", err)
	}
	q := url.Values{}
	for k, vs := range ev.MultiValueQueryStringParameters {
		q[k] = vs
	}
	for k, v := range ev.QueryStringParameters {
		if _, ok := q[k]; !ok {
			q.Set(k, v)
		}
	}
	hdr := http.Header{}
	for k, vs := range ev.MultiValueHeaders {
		for _, v := range vs {
			hdr.Add(k, v)
		}
	}
	for k, v := range ev.Headers {
		if hdr.Get(k) == "" {
			hdr.Set(k, v)
		}
	}
	req, err := newRequest(ctx, ev.HTTPMethod, ev.Path, q.Encode(), hdr, ev.Body, ev.IsBase64Encoded, ev.RequestContext.Identity.SourceIP)
	if err != nil {
		return events.APIGatewayProxyResponse{}, err
	}
	if id, ok := h.gatewayIdentityV1(ev.RequestContext); ok {
		req = req.WithContext(identity.With(req.Context(), id))
	}
	rec := h.serve(req)
	body, b64 := encodeBody(rec)
	resp := events.APIGatewayProxyResponse{
		StatusCode: rec.Code, Headers: map[string]string{}, MultiValueHeaders: map[string][]string{},
		Body: body, IsBase64Encoded: b64,
	}
	for k, vs := range rec.Header() {
		resp.Headers[k] = strings.Join(vs, ", ")
		resp.MultiValueHeaders[k] = vs
	}
	return resp, nil
}

func (h *Handler) apiGatewayV2(ctx context.Context, payload []byte) (events.APIGatewayV2HTTPResponse, error) {
	var ev events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(payload, &ev); err != nil {
		return events.APIGatewayV2HTTPResponse{}, fmt.Errorf("decode HTTP API event: %w", err)
	}
	hdr := http.Header{}
	for k, v := range ev.Headers {
		hdr.Set(k, v)
	}
	if len(ev.Cookies) > 0 {
		hdr.Set("Cookie", strings.Join(ev.Cookies, "; "))
	}
	path := ev.RawPath
	// A named stage prefixes the path (/prod/api/ask); the handler's routes do not know it.
	if st := ev.RequestContext.Stage; st != "" && st != "$default" {
		if rest, ok := strings.CutPrefix(path, "/"+st); ok && (rest == "" || rest[0] == '/') {
			path = rest
		}
	}
	req, err := newRequest(ctx, ev.RequestContext.HTTP.Method, path, ev.RawQueryString, hdr, ev.Body, ev.IsBase64Encoded, ev.RequestContext.HTTP.SourceIP)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	if id, ok := h.gatewayIdentityV2(ev.RequestContext); ok {
		req = req.WithContext(identity.With(req.Context(), id))
	}
	rec := h.serve(req)
	body, b64 := encodeBody(rec)
	resp := events.APIGatewayV2HTTPResponse{StatusCode: rec.Code, Headers: map[string]string{}, Body: body, IsBase64Encoded: b64}
	for k, vs := range rec.Header() {
		if k == "Set-Cookie" {
			resp.Cookies = vs
			continue
		}
		resp.Headers[k] = strings.Join(vs, ", ")
	}
	return resp, nil
}

func newRequest(ctx context.Context, method, path, rawQuery string, hdr http.Header, body string, b64 bool, sourceIP string) (*http.Request, error) {
	data := []byte(body)
	if b64 {
		var err error
		if data, err = base64.StdEncoding.DecodeString(body); err != nil {
			return nil, fmt.Errorf("decode base64 request body: %w", err)
		}
	}
	if path == "" {
		path = "/"
	}
	u := &url.URL{Path: path, RawQuery: rawQuery}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("build request %s %q: %w", method, path, err)
	}
	req.Header = hdr
	req.Host = hdr.Get("Host")
	req.ContentLength = int64(len(data))
	req.RequestURI = u.RequestURI()
	if sourceIP != "" {
		req.RemoteAddr = sourceIP + ":0"
	}
	return req, nil
}

func (h *Handler) serve(req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	if h.opts.HTTP == nil {
		rec.Header().Set("Content-Type", "application/json")
		rec.WriteHeader(http.StatusServiceUnavailable)
		_, _ = rec.WriteString(`{"error":"the HTTP API is not configured in this function"}`)
		return rec
	}
	h.opts.HTTP.ServeHTTP(rec, req)
	return rec
}

// encodeBody returns the body as text, or base64 when it is not text.
func encodeBody(rec *httptest.ResponseRecorder) (string, bool) {
	body := rec.Body.Bytes()
	if len(body) == 0 || isText(rec.Header().Get("Content-Type")) {
		return string(body), false
	}
	return base64.StdEncoding.EncodeToString(body), true
}

func isText(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return contentType == ""
	}
	switch {
	case strings.HasPrefix(mt, "text/"), strings.HasSuffix(mt, "+json"), strings.HasSuffix(mt, "+xml"):
		return true
	}
	switch mt {
	case "application/json", "application/javascript", "application/xml", "application/x-ndjson", "image/svg+xml":
		return true
	}
	return false
}
