package trino_test

import (
	"context"
	"testing"
	"time"

	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/source/sourcetest"
	"github.com/askdb/askdb/internal/source/trino/trinofake"
)

// BenchmarkQuery measures one query through the client and the fake: the
// read-only transaction (three statements) and nextUri paging of 500 rows
// at the fake's 100 rows a page. The figure is the client's and askdb's
// per-query overhead plus the fake's; a real coordinator adds its own.
func BenchmarkQuery(b *testing.B) {
	l := newLake(b, trinofake.Options{PageSize: 100})
	src := open(context.Background(), b, l.dsn("askdb", nil))
	sourcetest.BenchQuery(b, src, "SELECT order_id, customer_id, total FROM orders ORDER BY order_id LIMIT 500", 500)
}

// BenchmarkStop measures how long past a 200ms query_timeout a query stops.
func BenchmarkStop(b *testing.B) {
	l := newLake(b, trinofake.Options{})
	src := open(context.Background(), b, l.dsn("askdb", nil))
	sourcetest.BenchStop(b, src, slowQuery, 200*time.Millisecond, source.ErrTimeout, func() { waitIdle(b, l.fake) })
}
