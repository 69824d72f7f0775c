package dbtest

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRedactHidesPasswords(t *testing.T) {
	tests := []struct{ name, dsn, want string }{
		{"url", "postgres://u:s3cret@h:5432/db", "postgres://u:xxxxx@h:5432/db"},
		{"url without password", "postgres://u@h/db", "postgres://u@h/db"},
		{"keyword", "host=h user=u password=s3cret dbname=d", "host=h user=u password=xxxxx dbname=d"},
		{"mysql", "root:s3cret@tcp(127.0.0.1:3306)/", "root:xxxxx@tcp(127.0.0.1:3306)/"},
		{"mysql without password", "root@tcp(127.0.0.1:3306)/", "root@tcp(127.0.0.1:3306)/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, redact(tt.dsn)); diff != "" {
				t.Errorf("redact(%q) (-want +got):\n%s", tt.dsn, diff)
			}
		})
	}
}

func TestUnreachableServerSkipsOutsideCI(t *testing.T) {
	t.Setenv("CI", "")
	t.Setenv(PostgresEnv, "postgres://postgres@127.0.0.1:1/postgres?sslmode=disable&connect_timeout=2")
	t.Setenv(MySQLEnv, "root@tcp(127.0.0.1:1)/?timeout=2s")
	for name, fresh := range map[string]func(testing.TB) string{"postgres": Postgres, "mysql": MySQL} {
		var sub *testing.T
		t.Run(name, func(t *testing.T) { sub = t; fresh(t) })
		if !sub.Skipped() {
			t.Errorf("%s: an unreachable server did not skip the test", name)
		}
	}
}
