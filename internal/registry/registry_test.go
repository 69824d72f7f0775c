package registry

import (
	"strings"
	"testing"
)

func TestRegistry(t *testing.T) {
	r := New[func() int]("source")
	r.Register("sqlite", func() int { return 1 })
	r.Register("mysql", func() int { return 2 })
	if got := strings.Join(r.Kinds(), ","); got != "mysql,sqlite" {
		t.Errorf("Kinds = %q", got)
	}
	f, err := r.Lookup("mysql")
	if err != nil || f() != 2 {
		t.Fatalf("Lookup(mysql) = %v", err)
	}
	_, err = r.Lookup("pgsql")
	if err == nil || err.Error() != `unknown source kind "pgsql" (known: mysql, sqlite)` {
		t.Errorf("Lookup(pgsql) error = %v", err)
	}
	defer func() {
		if recover() == nil {
			t.Error("a duplicate kind must panic")
		}
	}()
	r.Register("sqlite", func() int { return 3 })
}
