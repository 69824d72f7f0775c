package config

import (
	"fmt"
	"regexp"
	"strings"
)

var varRE = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\}`)

// Expand replaces ${VAR} and ${VAR:default} with values from lookup.
// A ${VAR} with no default whose variable is unset is an error naming the
// variable and line, because silently connecting with an empty password
// produces confusing errors later. "$${" escapes a literal "${".
func Expand(s string, lookup func(string) (string, bool)) (string, error) {
	var missing []string
	lines := strings.Split(s, "\n")
	for i, line := range lines {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		const esc = "\x00ESC\x00"
		line = strings.ReplaceAll(line, "$${", esc)
		line = varRE.ReplaceAllStringFunc(line, func(m string) string {
			sub := varRE.FindStringSubmatch(m)
			name, hasDefault := sub[1], strings.Contains(m, ":")
			if v, ok := lookup(name); ok {
				return v
			}
			if hasDefault {
				return sub[2]
			}
			missing = append(missing, fmt.Sprintf("line %d: environment variable %s is not set (use ${%s:default} for a default)", i+1, name, name))
			return ""
		})
		lines[i] = strings.ReplaceAll(line, esc, "${")
	}
	if len(missing) > 0 {
		return "", fmt.Errorf("%s", joinLines(missing))
	}
	return strings.Join(lines, "\n"), nil
}

func joinLines(s []string) string { return strings.Join(s, "; ") }
func joinComma(s []string) string { return strings.Join(s, ", ") }
