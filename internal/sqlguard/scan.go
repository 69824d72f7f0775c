package sqlguard

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
)

// executableComment finds a MySQL/MariaDB executable comment (/*! ... */,
// /*M! ... */), a TiDB one (/*T! ... */) or an optimizer hint (/*+ ... */)
// outside string literals and returns its byte offset, or -1. The text is
// scanned with backslash escapes in strings and, when it holds a backslash,
// again without (NO_BACKSLASH_ESCAPES), and a hit in either reading counts,
// so a server mode cannot hide one.
func executableComment(s string) (int, string) {
	for _, backslash := range backslashReadings(s) {
		if off, what := scanComments(s, backslash); off >= 0 {
			return off, what
		}
	}
	return -1, ""
}

// backslashReadings lists the ways to read backslashes in MySQL strings
// (escapes, or plain under NO_BACKSLASH_ESCAPES) that can differ for s:
// without a backslash both readings are the same, so one is enough.
func backslashReadings(s string) []bool {
	if strings.IndexByte(s, '\\') < 0 {
		return []bool{true}
	}
	return []bool{true, false}
}

// mysqlSkip returns the index of the last byte of the string, quoted
// identifier or comment that starts at s[i], as MySQL reads them with or
// without backslash escapes (an unterminated block comment runs to the end
// of the text), or i when none starts there. Callers that must see inside
// /*! ... */ comments (executableComment) look before they skip.
func mysqlSkip(s string, i int, backslash bool) int {
	switch c := s[i]; c {
	case '\'', '"', '`':
		return skipQuoted(s, i, c, backslash && c != '`')
	case '#':
		return skipLine(s, i)
	case '-':
		if strings.HasPrefix(s[i:], "--") && (i+2 == len(s) || s[i+2] <= ' ') {
			return skipLine(s, i)
		}
	case '/':
		if strings.HasPrefix(s[i:], "/*") {
			if end := strings.Index(s[i+2:], "*/"); end >= 0 {
				return i + 2 + end + 1
			}
			return len(s) - 1
		}
	}
	return i
}

func scanComments(s string, backslash bool) (int, string) {
	for i := 0; i < len(s); i++ {
		if !strings.HasPrefix(s[i:], "/*") {
			i = mysqlSkip(s, i, backslash)
			continue
		}
		rest := s[i+2:]
		switch {
		case strings.HasPrefix(rest, "!"):
			return i, "/*!"
		case strings.HasPrefix(rest, "M!"), strings.HasPrefix(rest, "m!"):
			return i, "/*M!"
		case strings.HasPrefix(rest, "T!"):
			// TiDB's parser reads a TiDB comment as code, MySQL and
			// MariaDB as a comment: the checked query would not be
			// the one that runs.
			return i, "/*T!"
		case strings.HasPrefix(rest, "+"):
			return i, "/*+"
		}
		i = mysqlSkip(s, i, backslash)
	}
	return -1, ""
}

// skipQuoted returns the index of the closing quote of the literal starting
// at i (or len(s)-1 when unterminated). A doubled quote is an escaped quote.
func skipQuoted(s string, i int, q byte, backslash bool) int {
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			if backslash {
				j++
			}
		case q:
			if j+1 < len(s) && s[j+1] == q {
				j++
				continue
			}
			return j
		}
	}
	return len(s) - 1
}

func skipLine(s string, i int) int {
	if j := strings.IndexByte(s[i:], '\n'); j >= 0 {
		return i + j
	}
	return len(s) - 1
}

// sqliteSkip returns the index of the last byte of the string, quoted
// identifier or comment that starts at s[i], as SQLite and rqlite/sql read
// them (a doubled quote stands for itself, "--" runs to the end of the line,
// an unterminated block comment to the end of the text), or i when none
// starts there.
func sqliteSkip(s string, i int) int {
	switch c := s[i]; {
	case c == '\'' || c == '"':
		return skipQuoted(s, i, c, false)
	case c == '-' && strings.HasPrefix(s[i:], "--"):
		return skipLine(s, i)
	case c == '/' && strings.HasPrefix(s[i:], "/*"):
		if end := strings.Index(s[i+2:], "*/"); end >= 0 {
			return i + 2 + end + 1
		}
		return len(s) - 1
	}
	return i
}

// sqliteQuoteIdents rewrites `name` and [name] identifiers, which SQLite
// accepts for compatibility but rqlite/sql does not, into standard
// "name" identifiers. Strings, "identifiers" and comments are left alone, so
// the result means exactly what SQLite would read in the original.
func sqliteQuoteIdents(s string) string {
	if strings.IndexByte(s, '`') < 0 && strings.IndexByte(s, '[') < 0 {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch j := sqliteSkip(s, i); {
		case j > i:
			b.WriteString(s[i : j+1])
			i = j
		case c == '`' || c == '[':
			closer := byte('`')
			if c == '[' {
				closer = ']'
			}
			var name strings.Builder
			j := i + 1
			for ; j < len(s); j++ {
				if s[j] == closer {
					if closer == '`' && j+1 < len(s) && s[j+1] == '`' {
						name.WriteByte('`')
						j++
						continue
					}
					break
				}
				name.WriteByte(s[j])
			}
			if j >= len(s) { // unterminated: leave it for the parser to refuse
				b.WriteString(s[i:])
				return b.String()
			}
			b.WriteString(`"` + strings.ReplaceAll(name.String(), `"`, `""`) + `"`)
			i = j
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// hasPrefixFold reports whether s starts with prefix, a lower-case ASCII
// word, in any ASCII case (as SQL lexers read keywords).
func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if s[i]|0x20 != prefix[i] {
			return false
		}
	}
	return true
}

// hasSuffixFold is hasPrefixFold at the end of s.
func hasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && hasPrefixFold(s[len(s)-len(suffix):], suffix)
}

// isSpaceByte reports ASCII space as regexp's \s reads it.
func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// pgBackslashQuote finds a standard string literal ('...' or N'...') that
// holds an odd run of backslashes before a quote, and returns its offset,
// or -1. PostgreSQL reads such a literal as ending at that quote when
// standard_conforming_strings is on, and as going on past it when it is
// off (a role or database may set it), so the rest of the text would be
// read as code in one reading and as a string in the other. Sources pin
// the setting on; refusing the literal keeps the guard right whatever the
// session says. Escape strings (E'...') read backslashes the same way in
// both settings, and dollar quotes and U&'...' never do.
func pgBackslashQuote(text string) int {
	if strings.IndexByte(text, '\\') < 0 {
		return -1
	}
	res, err := pg.Scan(text)
	if err != nil {
		return -1 // the parser refuses the same text
	}
	for _, t := range res.Tokens {
		if t.Token != pg.Token_SCONST || t.Start < 0 || int(t.End) > len(text) {
			continue
		}
		lit := text[t.Start:t.End]
		if lit == "" || lit[0] != '\'' && lit[0] != 'n' && lit[0] != 'N' {
			continue // E'...', U&'...', $$...$$
		}
		if oddBackslashBeforeQuote(lit, '\'') {
			return int(t.Start)
		}
	}
	return -1
}

// oddBackslashBeforeQuote reports whether s holds an odd run of
// backslashes immediately followed by the quote character q.
func oddBackslashBeforeQuote(s string, q byte) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			run++
			continue
		case q:
			if run%2 == 1 {
				return true
			}
		}
		run = 0
	}
	return false
}

// mysqlBackslashQuote finds a MySQL string literal that ends at a
// different place with backslash escapes (the default) than under
// NO_BACKSLASH_ESCAPES, and returns its offset, or -1: the two readings
// would see different code after it. Sources pin sql_mode; refusing keeps
// the guard right whatever the session's mode.
func mysqlBackslashQuote(s string) int {
	if strings.IndexByte(s, '\\') < 0 {
		return -1
	}
	for i := 0; i < len(s); i++ {
		end := mysqlSkip(s, i, true)
		if c := s[i]; (c == '\'' || c == '"') && oddBackslashBeforeQuote(s[i+1:end+1], c) {
			return i
		}
		i = end
	}
	return -1
}

// mysqlCallSpelling finds a call of one of the named functions spelled so
// that MySQL and MariaDB do not read it as the built-in: a backquoted name
// (`count`(x)), or, for the names in mysqlSpaceSensitive, a space or
// comment before the parenthesis (count (x)) unless IGNORE_SPACE is set.
// Both resolve to a stored function of that name in the current database,
// while the parse tree shows the built-in.
// It returns the offset and the name as written, or -1.
func mysqlCallSpelling(s string, calls map[string]bool) (int, string) {
	for i := 0; i < len(s); i++ {
		start := i
		var name string
		switch c := s[i]; {
		case c == '`':
			i = skipQuoted(s, i, c, false)
			name = strings.ReplaceAll(s[start+1:i], "``", "`")
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			for i+1 < len(s) && mysqlIdentByte(s[i+1]) {
				i++
			}
			name = s[start : i+1]
			if start > 0 && (mysqlIdentByte(s[start-1]) || s[start-1] == '.' || s[start-1] == '@') {
				continue
			}
		default:
			i = mysqlSkip(s, i, true)
			continue
		}
		if !calls[strings.ToLower(name)] {
			continue
		}
		j := skipSpaceAndComments(s, i+1)
		if j < len(s) && s[j] == '(' && (s[start] == '`' || j > i+1 && mysqlSpaceSensitive[strings.ToLower(name)]) {
			return start, s[start : i+1]
		}
	}
	return -1, ""
}

// mysqlSpaceSensitive are the built-ins that MySQL's parser knows only
// when "(" follows the name at once (its manual's "Function Name Parsing
// and Resolution"; MariaDB's list is the same). Other built-ins stay
// built-ins with a space.
var mysqlSpaceSensitive = words(`adddate bit_and bit_or bit_xor cast count curdate curtime date_add
date_sub extract group_concat max mid min now position session_user std stddev stddev_pop stddev_samp
subdate substr substring sum sysdate system_user trim variance var_pop var_samp`)

// skipSpaceAndComments returns the index of the first byte at or after i
// that is neither space nor part of a comment.
func skipSpaceAndComments(s string, i int) int {
	for i < len(s) {
		switch c := s[i]; {
		case isSpaceByte(c):
			i++
		case c == '/' || c == '#' || c == '-':
			j := mysqlSkip(s, i, true)
			if j == i {
				return i
			}
			i = j + 1
		default:
			return i
		}
	}
	return i
}

// mysqlIdentByte reports a byte of an unquoted MySQL identifier.
func mysqlIdentByte(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// mysqlAt finds an "@" outside strings, quoted identifiers and comments
// and returns its offset, or -1. In a MySQL query "@" only starts a user
// or system variable, which the guard refuses; the TiDB parser drops a
// bare "@@" at the end of the text, which MySQL refuses, so the checked
// text would not be the one that runs.
func mysqlAt(s string) int {
	if strings.IndexByte(s, '@') < 0 {
		return -1
	}
	for i := 0; i < len(s); i++ {
		if s[i] == '@' {
			return i
		}
		i = mysqlSkip(s, i, true)
	}
	return -1
}
