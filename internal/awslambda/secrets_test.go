package awslambda_test

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
	"github.com/google/go-cmp/cmp"

	"github.com/askdb/askdb/internal/awslambda"
	"github.com/askdb/askdb/internal/config"
)

// fakeSecretsManager speaks Secrets Manager's JSON protocol for GetSecretValue.
type fakeSecretsManager struct {
	mu      sync.Mutex
	secrets map[string]string
	targets []string
}

func (f *fakeSecretsManager) ServeHTTP(w http.ResponseWriter, r *http.Request) {
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

func TestResolveSecrets(t *testing.T) {
	const pgARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds-pg-AbCdEf"
	const myARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds-my-AbCdEf"
	fake := &fakeSecretsManager{secrets: map[string]string{
		pgARN: `{"username":"analyst","password":"p@ss:w/rd","engine":"postgres","host":"db.example.internal","port":5432,"dbname":"sales"}`,
		myARN: `{"username":"reader","password":"s3cret","engine":"mysql","host":"my.example.internal","port":"3306","dbname":"shop"}`,
	}}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	client := secretsmanager.New(secretsmanager.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""),
	})
	cfg := &config.Config{Sources: map[string]config.Source{
		"warehouse": {Kind: "postgres", Secret: pgARN, DSN: "postgres:///?sslmode=require"},
		"shop":      {Kind: "mysql", Secret: myARN},
		"local":     {Kind: "sqlite", Path: "x.db"},
	}}
	if err := awslambda.ResolveSecrets(t.Context(), cfg, client); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{"warehouse": cfg.Sources["warehouse"].DSN, "shop": cfg.Sources["shop"].DSN, "local": cfg.Sources["local"].DSN}
	want := map[string]string{
		"warehouse": "postgres://analyst:p%40ss%3Aw%2Frd@db.example.internal:5432/sales?sslmode=require",
		"shop":      "reader:s3cret@tcp(my.example.internal:3306)/shop",
		"local":     "",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("DSNs (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"secretsmanager.GetSecretValue", "secretsmanager.GetSecretValue"}, fake.targets); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}

	cfg.Sources["missing"] = config.Source{Kind: "postgres", Secret: "arn:aws:secretsmanager:us-east-1:1:secret:nope"}
	if err := awslambda.ResolveSecrets(t.Context(), cfg, client); err == nil {
		t.Error("a missing secret resolved without error")
	}
}

func TestMergeDSN(t *testing.T) {
	sec := awslambda.DBSecret{Username: "u", Password: "p'w", Host: "h", Port: json.RawMessage("5432"), DBName: "d"}
	tests := []struct {
		name, kind, dsn, want string
	}{
		{"empty postgres", "postgres", "", "postgres://u:p%27w@h:5432/d"},
		{"postgres keeps its host", "postgres", "postgres://other:1/x", "postgres://u:p%27w@other:1/x"},
		{"postgres key=value", "postgres", "host=other sslmode=disable", `host=other sslmode=disable user='u' password='p\'w' port='5432' dbname='d'`},
		{"mysql keeps params", "mysql", "tcp(other:3307)/x?parseTime=true", "u:p'w@tcp(other:3307)/x?parseTime=true"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := awslambda.MergeDSN(tc.kind, tc.dsn, sec)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("MergeDSN = %q, want %q", got, tc.want)
			}
		})
	}
	if _, err := awslambda.MergeDSN("sqlite", "", sec); err == nil {
		t.Error("sqlite accepted a secret")
	}
}
