// Package awstest holds local fakes of AWS services that speak their
// real wire protocol, so tests drive the real aws-sdk-go-v2 clients. It is
// imported by tests only.
package awstest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// SecretsManager speaks Secrets Manager's JSON protocol for
// GetSecretValue over the secrets it holds (id → secret string).
type SecretsManager struct {
	URL string // the fake's endpoint

	mu      sync.Mutex
	secrets map[string]string
	targets []string
}

// NewSecretsManager starts a fake holding secrets, closed when t ends.
func NewSecretsManager(t testing.TB, secrets map[string]string) *SecretsManager {
	t.Helper()
	f := &SecretsManager{secrets: secrets}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	f.URL = srv.URL
	return f
}

// Client returns a real SDK client pointed at the fake.
func (f *SecretsManager) Client() *secretsmanager.Client {
	return secretsmanager.New(secretsmanager.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(f.URL),
		Credentials: credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""),
	})
}

// Env sets static test credentials and a region for t, and keeps the AWS
// SDK from reading the developer's files or asking the EC2 metadata service.
func Env(t testing.TB) {
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDTEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_CONFIG_FILE", "/nonexistent/askdb-test-aws-config")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/askdb-test-aws-credentials")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}

// Setenv sets Env and points the Secrets Manager endpoint at the fake for
// t, so that a client built by the SDK's default config loading reaches it.
func (f *SecretsManager) Setenv(t testing.TB) {
	Env(t)
	t.Setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", f.URL)
}

// Targets returns the X-Amz-Target of every call received, in order.
func (f *SecretsManager) Targets() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.targets...)
}

// ServeHTTP implements http.Handler.
func (f *SecretsManager) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.targets = append(f.targets, r.Header.Get("X-Amz-Target"))
	var in struct{ SecretId string }
	body, _ := io.ReadAll(r.Body)
	_ = json.Unmarshal(body, &in)
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	s, ok := f.secrets[in.SecretId]
	if r.Header.Get("X-Amz-Target") != "secretsmanager.GetSecretValue" || !ok {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"__type":"ResourceNotFoundException","Message":"Secrets Manager can't find the specified secret."}`)
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"ARN": in.SecretId, "Name": "db", "SecretString": s, "VersionId": "v1"})
}
