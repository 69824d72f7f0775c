package pipeline

import (
	"regexp"
	"strings"
)

var (
	fenceRE = regexp.MustCompile("(?s)```[ \\t]*([A-Za-z0-9_-]*)[^\\n]*\\n(.*?)(?:```|$)")
	// sqlStartRE finds where a bare (unfenced) statement starts. Writes
	// are extracted too: refusing them is the guard's job, with a reason.
	sqlStartRE = regexp.MustCompile(`(?im)^\s*(?:SELECT|WITH|VALUES|INSERT|UPDATE|DELETE|DROP|ALTER|CREATE|TRUNCATE|MERGE|REPLACE|GRANT|SET|PRAGMA|ATTACH|COPY|CALL|EXPLAIN)\b|\b(?-i:SELECT)\s+[\w"*(].*\b(?-i:FROM)\b`)
)

// Extracted is what a model's answer yields.
type Extracted struct {
	SQL         string
	Explanation string
}

// ExtractSQL pulls one SQL query and a one-line explanation out of a model's
// answer. It copes with the usual habits: prose around the SQL, several
// blocks (the first SQL-looking one wins), missing fences, "sql" tags,
// and trailing semicolons. It returns false when there is no SQL at all.
func ExtractSQL(text string) (Extracted, bool) {
	var out Extracted
	prose := text
	for _, m := range fenceRE.FindAllStringSubmatchIndex(text, -1) {
		lang := strings.ToLower(text[m[2]:m[3]])
		body := text[m[4]:m[5]]
		isSQLFence := lang == "sql" || lang == "sqlite" || lang == "postgresql" || lang == "mysql"
		if strings.TrimSpace(body) == "" || (!isSQLFence && !looksLikeSQL(body)) {
			continue
		}
		out.SQL = cleanSQL(body)
		prose = text[:m[0]] + "\n" + text[m[1]:]
		break
	}
	if out.SQL == "" {
		loc := sqlStartRE.FindStringIndex(text)
		if loc == nil {
			return Extracted{}, false
		}
		start := loc[0]
		body := text[start:]
		// A bare query ends at a blank line followed by prose, if any.
		if i := strings.Index(body, "\n\n"); i >= 0 && !looksLikeSQL(body[i:]) {
			body = body[:i]
		}
		out.SQL = cleanSQL(body)
		prose = text[:start] + "\n" + text[start+len(body):]
	}
	out.Explanation = firstProseLine(prose)
	return out, out.SQL != ""
}

func looksLikeSQL(s string) bool {
	return sqlStartRE.MatchString(s)
}

// cleanSQL trims whitespace, "sql" tag lines and trailing semicolons.
func cleanSQL(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(strings.ToLower(s), "sql\n") {
		s = s[4:]
	}
	for {
		t := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), ";"))
		if t == s {
			return s
		}
		s = t
	}
}

func firstProseLine(s string) string {
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(strings.Trim(strings.TrimSpace(line), "*_#>-"))
		low := strings.ToLower(line)
		if line == "" || low == "sql" || strings.HasPrefix(low, "here is") && strings.HasSuffix(low, ":") {
			continue
		}
		return strings.TrimPrefix(strings.TrimPrefix(line, "Explanation:"), "explanation:")
	}
	return ""
}
