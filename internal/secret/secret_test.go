package secret_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/askdb/askdb/internal/awstest"
	"github.com/askdb/askdb/internal/secret"
)

const pgARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds-pg-AbCdEf"

func TestSecretsManager(t *testing.T) {
	fake := awstest.NewSecretsManager(t, map[string]string{
		pgARN:    `{"username":"analyst","password":"p@ss:w/rd","engine":"postgres","host":"db.example.internal","port":5432,"dbname":"sales"}`,
		"string": `{"username":"reader","password":"s3cret","port":"3306"}`,
		"text":   `not json`,
	})
	store := secret.NewSecretsManager(fake.Client())
	got, err := store.DB(t.Context(), pgARN)
	if err != nil {
		t.Fatal(err)
	}
	want := secret.DB{Username: "analyst", Password: "p@ss:w/rd", Engine: "postgres", Host: "db.example.internal", Port: json.RawMessage("5432"), DBName: "sales"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("secret (-want +got):\n%s", diff)
	}
	if got, _ := store.DB(t.Context(), "string"); got.PortString() != "3306" {
		t.Errorf("a port written as a string reads as %q", got.PortString())
	}
	if _, err := store.DB(t.Context(), "text"); !errors.Is(err, secret.ErrNotDBSecret) {
		t.Errorf("a secret that is not JSON: err = %v, want ErrNotDBSecret", err)
	}
	if _, err := store.DB(t.Context(), "arn:missing"); err == nil {
		t.Error("a missing secret read without error")
	}
	if diff := cmp.Diff([]string{"secretsmanager.GetSecretValue"}, fake.Targets()[:1]); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
}

// TestFromEnvironment: the lazily built client follows the AWS environment.
func TestFromEnvironment(t *testing.T) {
	fake := awstest.NewSecretsManager(t, map[string]string{"db": `{"username":"u","password":"p"}`})
	fake.Setenv(t)
	got, err := secret.FromEnvironment().DB(t.Context(), "db")
	if err != nil {
		t.Fatal(err)
	}
	if got.Username != "u" || got.Password != "p" {
		t.Errorf("secret = %+v", got)
	}
}
