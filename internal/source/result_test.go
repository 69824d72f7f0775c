package source

import (
	"encoding/json"
	"testing"
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
