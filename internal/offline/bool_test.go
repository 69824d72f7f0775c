package offline

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/askdb/askdb/internal/catalog"
)

// TestBooleanFilterDialects checks that a boolean column named in a
// question becomes a filter spelled the way each dialect compares booleans.
func TestBooleanFilterDialects(t *testing.T) {
	tests := []struct {
		dialect  catalog.Dialect
		question string
		want     string
	}{
		{catalog.SQLite, "How many active users are there?", "WHERE active = 1"},
		{catalog.MySQL, "How many users are not active?", "WHERE active = 0"},
		{catalog.Postgres, "How many inactive users are there?", "WHERE active = false"},
		{catalog.Postgres, "How many active users are there?", "WHERE active = true"},
		{catalog.DuckDB, "How many active users are there?", "WHERE active = true"},
	}
	for _, tt := range tests {
		t.Run(string(tt.dialect)+" "+tt.question, func(t *testing.T) {
			cat := &catalog.Catalog{Dialect: tt.dialect, Tables: []catalog.Table{{
				Name:       "users",
				PrimaryKey: []string{"user_id"},
				Columns: []catalog.Column{
					{Name: "user_id", Type: catalog.TypeInteger},
					{Name: "name", Type: catalog.TypeText},
					{Name: "active", Type: catalog.TypeBoolean},
				},
			}}}
			res := New().Translate(context.Background(), cat, tt.question, time.Now())
			if !strings.Contains(res.SQL, tt.want) || strings.Contains(res.SQL, "count(active)") {
				t.Errorf("SQL %q (abstain %q); want it to contain %q", res.SQL, res.Abstain, tt.want)
			}
		})
	}
}
