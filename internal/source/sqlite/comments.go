package sqlite

import (
	"strings"

	"github.com/askdb/askdb/internal/catalog"
)

// applyComments reads "--" comments from a CREATE TABLE or CREATE VIEW
// statement, as SQLite stores it verbatim in sqlite_schema: a comment on the
// CREATE line describes the table, a comment at the end of a column's line
// describes that column.
//
//	CREATE TABLE customers ( -- People who buy from us
//	  name TEXT NOT NULL, -- Full name
func applyComments(t *catalog.Table, createSQL string) {
	var inQuote rune // the closing quote character while inside a quoted token
	for i, line := range strings.Split(createSQL, "\n") {
		code, comment := splitComment(line, &inQuote)
		if comment == "" {
			continue
		}
		if i == 0 {
			t.Comment = comment
			continue
		}
		if c, ok := t.Column(firstIdent(code)); ok {
			c.Comment = comment
		}
	}
}

// splitComment splits line at a "--" that is outside quotes. inQuote
// carries quoting state across lines.
func splitComment(line string, inQuote *rune) (code, comment string) {
	for i, r := range line {
		switch {
		case *inQuote != 0:
			if r == *inQuote {
				*inQuote = 0 // a doubled quote closes and reopens, which is equivalent
			}
		case r == '\'' || r == '"' || r == '`':
			*inQuote = r
		case r == '[':
			*inQuote = ']'
		case r == '-' && strings.HasPrefix(line[i:], "--"):
			return line[:i], strings.TrimSpace(line[i+2:])
		}
	}
	return line, ""
}

// firstIdent returns the first identifier of a column definition, unquoted.
func firstIdent(code string) string {
	code = strings.TrimLeft(code, " \t,(")
	if code == "" {
		return ""
	}
	closing := map[byte]byte{'"': '"', '`': '`', '[': ']'}
	if end, ok := closing[code[0]]; ok {
		if j := strings.IndexByte(code[1:], end); j >= 0 {
			return code[1 : j+1]
		}
		return ""
	}
	if j := strings.IndexAny(code, " \t,("); j >= 0 {
		return code[:j]
	}
	return code
}
