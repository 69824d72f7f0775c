package mysql

import (
	"errors"
	"testing"
)

// TestPinnedMode catches a parse-changing sql_mode flag that survives
// pinning, and a pinned mode the read-back check would not accept.
func TestPinnedMode(t *testing.T) {
	tests := []struct {
		name, current string
		mariaDB       bool
		want          string
	}{
		{"mariadb default", "STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION", true,
			"STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION,IGNORE_SPACE"},
		{"mysql 8 default", "ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION", false,
			"ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION"},
		{"hostile", "REAL_AS_FLOAT,PIPES_AS_CONCAT,ANSI_QUOTES,IGNORE_SPACE,ONLY_FULL_GROUP_BY,ANSI,NO_BACKSLASH_ESCAPES,HIGH_NOT_PRECEDENCE", false,
			"ONLY_FULL_GROUP_BY"},
		{"oracle grammar", "PIPES_AS_CONCAT,ANSI_QUOTES,IGNORE_SPACE,ORACLE,NO_KEY_OPTIONS,NO_TABLE_OPTIONS,NO_FIELD_OPTIONS,NO_AUTO_CREATE_USER,SIMULTANEOUS_ASSIGNMENT", true,
			"NO_KEY_OPTIONS,NO_TABLE_OPTIONS,NO_FIELD_OPTIONS,NO_AUTO_CREATE_USER,IGNORE_SPACE"},
		{"empty", "", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := pinnedMode(tt.current, tt.mariaDB)
			if got != tt.want {
				t.Errorf("pinnedMode(%q) = %q, want %q", tt.current, got, tt.want)
			}
			if err := checkMode(got, tt.mariaDB); err != nil {
				t.Errorf("checkMode refuses the pinned mode: %v", err)
			}
			if tt.current != tt.want {
				if err := checkMode(tt.current, tt.mariaDB); !errors.Is(err, errNotPinned) {
					t.Errorf("checkMode(%q) = %v, want errNotPinned", tt.current, err)
				}
			}
		})
	}
}
