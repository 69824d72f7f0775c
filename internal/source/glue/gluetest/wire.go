// Package gluetest holds a local fake of the AWS Glue Data Catalog's JSON
// protocol (GetDatabases, GetTables) for tests that drive the real
// aws-sdk-go-v2 client, and the wire checks every AWS JSON fake here
// shares: a POST with an X-Amz-Target, and a SigV4 Authorization header
// for the service. It is imported by tests only.
package gluetest

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"fmt"
	"io"
	"net/http"
	"strings"
)

// Call is one request a fake received.
type Call struct {
	Target string          // the X-Amz-Target, e.g. "AWSGlue.GetTables"
	Body   json.RawMessage // the request body
}

// Read checks what the real service checks before it reads a request of
// the AWS JSON 1.1 protocol: a POST with the target prefix (service name
// and version, "AWSGlue." or "AmazonAthena."), the protocol's content
// type, and a SigV4 Authorization header scoped to signingName. It
// returns the operation name and the body. On failure it has written the
// service's error.
func Read(w http.ResponseWriter, r *http.Request, prefix, signingName string) (op string, body []byte, ok bool) {
	target := r.Header.Get("X-Amz-Target")
	switch {
	case r.Method != http.MethodPost || !strings.HasPrefix(target, prefix):
		WriteError(w, http.StatusBadRequest, "UnknownOperationException", fmt.Sprintf("no operation %q", target))
		return "", nil, false
	case !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-amz-json-1.1"):
		WriteError(w, http.StatusBadRequest, "SerializationException", "content type must be application/x-amz-json-1.1")
		return "", nil, false
	}
	if msg := signature(r, signingName); msg != "" {
		WriteError(w, http.StatusForbidden, "MissingAuthenticationTokenException", msg)
		return "", nil, false
	}
	body, err := io.ReadAll(r.Body)
	if err != nil || !json.Valid(body) {
		WriteError(w, http.StatusBadRequest, "SerializationException", "the body is not JSON")
		return "", nil, false
	}
	return strings.TrimPrefix(target, prefix), body, true
}

// signature returns why r is not SigV4-signed for service, or "".
func signature(r *http.Request, service string) string {
	auth := r.Header.Get("Authorization")
	if !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 ") {
		return "Missing Authentication Token: no AWS4-HMAC-SHA256 Authorization header"
	}
	if r.Header.Get("X-Amz-Date") == "" {
		return "the signed request has no X-Amz-Date"
	}
	for _, part := range []string{"Credential=", "SignedHeaders=", "Signature=", "/" + service + "/aws4_request"} {
		if !strings.Contains(auth, part) {
			return fmt.Sprintf("the Authorization header has no %q", part)
		}
	}
	return ""
}

// WriteError writes an AWS JSON 1.1 error.
func WriteError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-ErrorType", code)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"__type": code, "Message": msg})
}

// WriteJSON writes an AWS JSON 1.1 answer.
func WriteJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	_ = json.NewEncoder(w).Encode(v)
}

// Golden compares got with the file at path, first rewriting the file
// when update is set (the tests' -update flag).
func Golden(t testing.TB, path string, got []byte, update bool) {
	t.Helper()
	if update {
		if err := os.WriteFile(path, append(bytes.TrimSpace(got), '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to write it)", err)
	}
	if diff := cmp.Diff(string(bytes.TrimSpace(want)), string(bytes.TrimSpace(got))); diff != "" {
		t.Errorf("%s differs (-want +got; -update rewrites it):\n%s", path, diff)
	}
}
