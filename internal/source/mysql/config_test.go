package mysql_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/askdb/askdb/internal/secret"
	"github.com/askdb/askdb/internal/source/mysql"
)

func TestMergeSecret(t *testing.T) {
	sec := secret.DB{Username: "u", Password: "p'w", Host: "h", Port: json.RawMessage(`"3306"`), DBName: "d"}
	tests := []struct {
		name, dsn, want string
	}{
		{"empty", "", "u:p'w@tcp(h:3306)/d"},
		{"keeps params and address", "tcp(other:3307)/x?parseTime=true", "u:p'w@tcp(other:3307)/x?parseTime=true"},
		{"a URL", "mysql://other:3307/x", "u:p'w@tcp(other:3307)/x"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := mysql.MergeSecret(tc.dsn, sec)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("MergeSecret = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestDriverDSN(t *testing.T) {
	tests := []struct {
		name, dsn, want, wantErr string
	}{
		{"url form converted", "mysql://user:p%40ss@db.example:3307/hr?tls=true", "user:p@ss@tcp(db.example:3307)/hr?tls=true", ""},
		{"default port", "mysql://ro@localhost/hr", "ro@tcp(localhost:3306)/hr", ""},
		{"driver form kept", "u:pw@tcp(localhost:3306)/hr", "u:pw@tcp(localhost:3306)/hr", ""},
		{"other scheme refused with the form", "postgres://u@h/db", "", "user:password@tcp(host:3306)/database"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := mysql.DriverDSN(tt.dsn)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to show %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("DriverDSN = %q, want %q", got, tt.want)
			}
		})
	}
}
