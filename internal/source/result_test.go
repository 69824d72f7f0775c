package source

import (
	"encoding/json"
	"errors"
	"math/big"
	"testing"

	"github.com/askdb/askdb/internal/catalog"
)

func TestFormatValue(t *testing.T) {
	tests := []struct {
		in   any
		want string
	}{
		{nil, "NULL"},
		{"x", "x"},
		{3636828.57, "3636828.57"},
		{0.1, "0.1"},
		{int64(42), "42"},
		{json.Number("12345.67"), "12345.67"},
		{true, "true"},
		{1e-9, "1e-09"},
	}
	for _, tt := range tests {
		if got := FormatValue(tt.in); got != tt.want {
			t.Errorf("FormatValue(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// decimalText is a driver value that prints an exact decimal, as DuckDB's
// Decimal does.
type decimalText string

func (d decimalText) String() string { return string(d) }

func TestJSONValueDriverTypes(t *testing.T) {
	huge, _ := new(big.Int).SetString("170141183460469231731687303715884105727", 10)
	tests := []struct {
		name string
		in   any
		typ  catalog.Type
		want any
	}{
		{"tinyint", int8(-5), catalog.TypeInteger, int64(-5)},
		{"smallint", int16(300), catalog.TypeInteger, int64(300)},
		{"utinyint", uint8(200), catalog.TypeInteger, int64(200)},
		{"usmallint", uint16(60000), catalog.TypeInteger, int64(60000)},
		{"uinteger", uint32(4000000000), catalog.TypeInteger, int64(4000000000)},
		{"decimal stays exact", decimalText("12345.67"), catalog.TypeDecimal, json.Number("12345.67")},
		{"hugeint past int64", huge, catalog.TypeInteger, json.Number(huge.String())},
		{"stringer of another type stays text", decimalText("a-b"), catalog.TypeText, "a-b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := JSONValue(tt.in, tt.typ); got != tt.want {
				t.Errorf("JSONValue(%v, %s) = %#v, want %#v", tt.in, tt.typ, got, tt.want)
			}
		})
	}
}

func TestLimitErrorNamesTheLimit(t *testing.T) {
	tests := []struct {
		name string
		err  *LimitError
		want string
		is   error
	}{
		{"value", &LimitError{Limit: 16 << 20, Err: ErrValueTooLarge}, "a result value or row exceeds max_bytes (16 MiB)", ErrValueTooLarge},
		{"memory with cause", &LimitError{Limit: 512 << 20, Err: ErrMemoryLimit, Cause: errors.New("out of memory")},
			"query exceeded its memory limit (512 MiB): out of memory", ErrMemoryLimit},
		{"odd size", &LimitError{Limit: 1000, Err: ErrValueTooLarge}, "a result value or row exceeds max_bytes (1000 B)", ErrValueTooLarge},
		{"fraction", &LimitError{Limit: 3 << 19, Err: ErrValueTooLarge}, "a result value or row exceeds max_bytes (1.5 MiB)", ErrValueTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
			if !errors.Is(tt.err, tt.is) || Repairable(tt.err) {
				t.Errorf("errors.Is(%v) = false or Repairable = true", tt.is)
			}
		})
	}
}
