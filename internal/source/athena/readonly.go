package athena

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/askdb/askdb/internal/source"
)

// readVerbs are the statements the source sends to Athena. Athena has no
// read-only transaction, so this is the source's own read-only layer,
// under sqlguard's parse and over the IAM role's: in Trino's grammar every
// statement that writes (INSERT, CREATE … AS, UNLOAD, MERGE, DELETE,
// UPDATE, DROP, ALTER, MSCK, OPTIMIZE, VACUUM, CALL, EXECUTE, GRANT, …)
// starts with its own verb, and Athena takes one statement per query.
var readVerbs = map[string]bool{"SELECT": true, "WITH": true, "VALUES": true, "TABLE": true, "SHOW": true, "DESCRIBE": true}

// checkReadOnly refuses a statement whose first word is not a read, with
// source.ErrReadOnly. EXPLAIN is looked through: EXPLAIN ANALYZE runs its
// statement.
func checkReadOnly(sql string) error {
	rest := sql
	for {
		var verb string
		verb, rest = firstWord(rest)
		switch {
		case verb == "EXPLAIN":
			rest = skipExplainOptions(rest)
			continue
		case readVerbs[verb]:
			return nil
		case verb == "":
			return fmt.Errorf("%w: no statement found", source.ErrReadOnly)
		}
		return fmt.Errorf("%w: athena sources send only queries (SELECT, WITH, VALUES, TABLE, SHOW, DESCRIBE, EXPLAIN), not %s", source.ErrReadOnly, verb)
	}
}

// firstWord returns the first word of s, upper-cased, past blanks,
// comments and opening parentheses, and what follows it.
func firstWord(s string) (string, string) {
	s = skipNoise(s)
	end := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && r != '_' })
	if end < 0 {
		end = len(s)
	}
	return strings.ToUpper(s[:end]), s[end:]
}

// skipNoise drops blanks, -- and /* */ comments and opening parentheses.
func skipNoise(s string) string {
	for {
		t := strings.TrimLeftFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '(' })
		switch {
		case strings.HasPrefix(t, "--"):
			if i := strings.IndexByte(t, '\n'); i >= 0 {
				t = t[i+1:]
			} else {
				t = ""
			}
		case strings.HasPrefix(t, "/*"):
			if i := strings.Index(t[2:], "*/"); i >= 0 {
				t = t[i+4:]
			} else {
				t = ""
			}
		}
		if t == s {
			return s
		}
		s = t
	}
}

// skipExplainOptions drops ANALYZE, VERBOSE and a parenthesised option
// list ("(TYPE DISTRIBUTED, FORMAT TEXT)") after EXPLAIN.
func skipExplainOptions(s string) string {
	for {
		t := strings.TrimLeftFunc(s, unicode.IsSpace)
		if strings.HasPrefix(t, "(") {
			if i := strings.IndexByte(t, ')'); i >= 0 && !strings.Contains(strings.ToUpper(t[:i]), "SELECT") {
				s = t[i+1:]
				continue
			}
		}
		word, rest := firstWord(t)
		if word != "ANALYZE" && word != "VERBOSE" {
			return t
		}
		s = rest
	}
}
