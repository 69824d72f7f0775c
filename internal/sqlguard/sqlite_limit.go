package sqlguard

import (
	"strconv"
	"strings"
	"unicode"

	sqlite "github.com/rqlite/sql"
)

// sqliteLimit appends or tightens the outer LIMIT by editing the text at the
// parser's positions. w is the finished walk of sel: w.text is the text as
// the parser read it (collations blanked: the same bytes at the same
// offsets, see blankCollations). An append or a replaced integer count
// needs no re-parse when sqliteAppendIsSafe or sqliteCountIsInteger proves
// it; every other edit is re-parsed to prove the cap is in force.
func sqliteLimit(text string, w *sqliteWalker, sel *sqlite.SelectStatement, max int) (string, bool, *refusal) {
	if max <= 0 {
		return text, false, nil
	}
	if strings.IndexByte(text, ';') >= 0 {
		text = sqliteCutAtEnd(text)
	}
	capText := strconv.Itoa(max)
	out := ""
	countExpr := sel.LimitExpr
	if sel.OffsetComma.IsValid() {
		countExpr = sel.OffsetExpr // LIMIT offset, count
	}
	switch lit, ok := countExpr.(*sqlite.NumberLit); {
	case countExpr == nil:
		out = text + "\nLIMIT " + capText
		if !w.bare && sqliteAppendIsSafe(text) {
			return out, true, nil
		}
	case ok:
		n, err := strconv.ParseInt(lit.Value, 10, 64)
		if err == nil && n >= 0 && n <= int64(max) {
			return text, false, nil
		}
		start := w.off(lit.ValuePos)
		if end := start + len(lit.Value); end <= len(text) && text[start:end] == lit.Value {
			out = text[:start] + capText + text[end:]
			if sqliteCountIsInteger(lit.Value) {
				return out, true, nil
			}
		}
	}
	if out == "" {
		out = "SELECT * FROM (\n" + text + "\n) LIMIT " + capText
	}
	stmt, r := parseSQLiteOne(blankCollations(out))
	if r != nil {
		return "", false, refuse(RuleRowLimit, "LIMIT", -1, "the row limit could not be applied (%s); simplify the end of the query", r.msg)
	}
	s2, ok := stmt.(*sqlite.SelectStatement)
	if !ok {
		return "", false, refuse(RuleRowLimit, "LIMIT", -1, "the row limit could not be applied; simplify the query")
	}
	got := s2.LimitExpr
	if s2.OffsetComma.IsValid() {
		got = s2.OffsetExpr
	}
	if lit, ok := got.(*sqlite.NumberLit); !ok || lit.Value != capText {
		return "", false, refuse(RuleRowLimit, "LIMIT", -1, "the row limit could not be applied; remove trailing comments and retry")
	}
	return out, true, nil
}

// sqliteCutAtEnd drops the statement terminator and anything after it
// (the parser already proved it is only space and comments), so that an
// appended LIMIT lands in the statement. A SELECT holds no other ";".
func sqliteCutAtEnd(text string) string {
	sc := sqlite.NewScanner(strings.NewReader(text))
	for {
		pos, tok, _ := sc.Scan()
		switch tok {
		case sqlite.EOF:
			return text
		case sqlite.SEMI:
			return strings.TrimRightFunc(text[:runeToByte(text, pos.Offset)], unicode.IsSpace)
		}
	}
}

// sqliteCountIsInteger reports whether the count literal is plain decimal
// digits (an INTEGER token). Then the splice at the literal's own position
// needs no re-parse: rqlite/sql scanned the digits as one token, and the
// count is sel.LimitExpr (or OffsetExpr after a comma), the outer statement's
// own field, so those bytes are the outer count. The new digits are a
// positive decimal without a leading zero, so they scan as one INTEGER again
// (no "0x" prefix; the byte after them did not continue the old digits, so
// it does not continue these), every other token is unchanged, and the
// parser's choices depend on token kinds, not on a number's value: the tree
// is the same but for the count.
func sqliteCountIsInteger(v string) bool {
	if v == "" {
		return false
	}
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return false
		}
	}
	return true
}

// sqliteAppendIsSafe reports whether "\nLIMIT n" appended to text (a SELECT
// without LIMIT, cut at its end, whose walk found no bare nested SELECT)
// must become the outer LIMIT without a re-parse.
//
// rqlite/sql is recursive descent. The parse of text + "\nLIMIT n" makes
// the same moves as the parse of text up to the point where the parser
// first looks past the end, where it sees LIMIT instead of EOF. LIMIT is a
// reserved keyword that no alias, identifier, operator or clause accepts,
// except the LIMIT clause of parseSelectStatement (not for compound members,
// which skip it) and of DELETE and UPDATE. So LIMIT goes to the innermost
// non-compound SELECT still open there, unless a construct took the end of
// the text as one of its own tokens. A nested SELECT is closed by a ")"
// when the walk found none bare (sqliteWalker.nestedSelect), so that SELECT
// is the outer one, if nothing took the end of the text. Two things do and
// still parse: a block comment without "*/", which SQLite and rqlite/sql read
// to the end (it would swallow the LIMIT), and a "(" without ")", since
// rqlite/sql's parenthesised expression takes whatever token follows as its
// ")" (it would take LIMIT). So every block comment must be closed and every
// "(" outside strings and comments closed by a ")": with as many ")" as "("
// tokens, and ")" read by nothing but a closer, every closer is a real ")".
// The "\n" ends a trailing "--" comment; an unterminated string or quoted
// name does not parse. (Were this wrong somewhere, SQLite itself would
// refuse the text: its grammar has no LIMIT but the outer one that could
// follow the end of a SELECT.)
func sqliteAppendIsSafe(text string) bool {
	depth := 0
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '(':
			depth++
		case ')':
			if depth--; depth < 0 {
				return false
			}
		case '/':
			if strings.HasPrefix(text[i:], "/*") && !strings.Contains(text[i+2:], "*/") {
				return false
			}
			i = sqliteSkip(text, i)
		case '\'', '"', '-':
			i = sqliteSkip(text, i)
		}
	}
	return depth == 0
}
