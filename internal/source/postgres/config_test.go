package postgres_test

import (
	"encoding/json"
	"testing"

	"github.com/askdb/askdb/internal/secret"
	"github.com/askdb/askdb/internal/source/postgres"
)

func TestMergeSecret(t *testing.T) {
	sec := secret.DB{Username: "u", Password: "p'w", Host: "h", Port: json.RawMessage("5432"), DBName: "d"}
	tests := []struct {
		name, dsn, want string
	}{
		{"empty", "", "postgres://u:p%27w@h:5432/d"},
		{"keeps its host", "postgres://other:1/x", "postgres://u:p%27w@other:1/x"},
		{"keeps its parameters", "postgres:///?sslmode=require", "postgres://u:p%27w@h:5432/d?sslmode=require"},
		{"key=value", "host=other sslmode=disable", `host=other sslmode=disable user='u' password='p\'w' port='5432' dbname='d'`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := postgres.MergeSecret(tc.dsn, sec)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("MergeSecret = %q, want %q", got, tc.want)
			}
		})
	}
}
