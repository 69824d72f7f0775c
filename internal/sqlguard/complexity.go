package sqlguard

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
	sqlite "github.com/rqlite/sql"
)

// MaxSQLBytes bounds the text Check will parse. Longer input is refused
// before any parser sees it.
const MaxSQLBytes = 64 << 10

// MaxExprDepth bounds how deeply one expression may nest, counted as
// operators chained in one expression plus enclosing parentheses. It is
// SQLite's own SQLITE_MAX_EXPR_DEPTH. Parse trees are as deep as this
// count, and libpg_query's recursive tree output overflows the C stack and
// kills the process (SIGSEGV, not a Go panic) at around 20,000: a 60 KB
// "SELECT 1+1+...+1" is enough. TiDB and rqlite/sql do not crash, but take
// seconds and the servers have their own, lower, limits.
const MaxExprDepth = 1000

// tokKind is what the depth count needs to know about one token.
type tokKind uint8

const (
	tokOther tokKind = iota
	tokOpen          // ( or [
	tokClose         // ) or ]
	tokSep           // , or ; : ends one list item
	tokOp            // an operator or operator keyword
)

// operatorWords are keywords that build expression nodes (binary or unary
// operators). Counting a word that is not really an operator only makes the
// estimate more conservative.
var operatorWords = map[string]bool{
	"and": true, "or": true, "not": true, "is": true, "like": true, "ilike": true, "between": true,
	"in": true, "collate": true, "escape": true, "similar": true, "glob": true, "regexp": true,
	"rlike": true, "match": true, "div": true, "mod": true, "xor": true, "at": true, "overlaps": true,
	"case": true, "isnull": true, "notnull": true, "exists": true, "any": true, "some": true, "all": true,
}

// depthCounter estimates the deepest parse-tree path from a token stream in
// one linear pass: every operator deepens the tree of the expression it is
// in (left-deep chains such as a+b+c nest one level per operator), and every
// parenthesis adds a level. Only a comma or semicolon, which separate
// sibling list items, resets the count of the current level.
type depthCounter struct {
	stack   []int // operator counts of enclosing levels
	cur     int   // operators in the current level since the last separator
	sum     int   // sum of stack
	max     int
	maxOps  int // the largest single-level chain, for the message
	tooDeep bool
}

func (d *depthCounter) add(k tokKind) {
	switch k {
	case tokOpen:
		d.stack = append(d.stack, d.cur)
		d.sum += d.cur
		d.cur = 0
	case tokClose:
		if n := len(d.stack); n > 0 {
			// Keep the inner chain's count: (a+b+c)+d is as deep as its
			// parts together.
			d.cur += d.stack[n-1]
			d.sum -= d.stack[n-1]
			d.stack = d.stack[:n-1]
		}
	case tokSep:
		d.cur = 0
	case tokOp:
		d.cur++
		d.maxOps = max(d.maxOps, d.cur)
	}
	if depth := len(d.stack) + d.sum + d.cur; depth > d.max {
		d.max = depth
	}
	if d.max > MaxExprDepth {
		d.tooDeep = true
	}
}

// complexity refuses text that is too long or nests too deeply for the
// dialect's parser, using the dialect's own lexer where it has one (so
// strings, quoted identifiers and comments are read exactly as the parser
// reads them).
func complexity(text string, d dialectLexer) *refusal {
	if len(text) > MaxSQLBytes {
		return refuse(RuleTooComplex, "", -1,
			"query too long: %d bytes; the limit is %d; write a shorter query", len(text), MaxSQLBytes)
	}
	if len(text) <= MaxExprDepth {
		// Every operator and every parenthesis takes at least one byte, so
		// text this short cannot exceed the limit: skip the scan.
		return nil
	}
	dc := &depthCounter{}
	d(text, dc)
	if dc.tooDeep {
		if dc.maxOps > MaxExprDepth {
			return refuse(RuleTooComplex, "", -1,
				"query too complex: %d operators in one expression; the limit is %d; split the expression or simplify the query",
				dc.maxOps, MaxExprDepth)
		}
		return refuse(RuleTooComplex, "", -1,
			"query too complex: operators and parentheses nest %d levels deep in one expression; the limit is %d; simplify the query",
			dc.max, MaxExprDepth)
	}
	return nil
}

// dialectLexer feeds every token of text to the counter.
type dialectLexer func(text string, dc *depthCounter)

// pgLexer uses libpg_query's scanner (flex: iterative, no recursion). On a
// lexical error it counts nothing: the parser stops at the same error before
// it builds or outputs any tree.
func pgLexer(text string, dc *depthCounter) {
	res, err := pg.Scan(text)
	if err != nil {
		return
	}
	for _, t := range res.Tokens {
		dc.add(pgTokKind(t.Token))
	}
}

func pgTokKind(t pg.Token) tokKind {
	switch t {
	case pg.Token_ASCII_40, pg.Token_ASCII_91:
		return tokOpen
	case pg.Token_ASCII_41, pg.Token_ASCII_93:
		return tokClose
	case pg.Token_ASCII_44, pg.Token_ASCII_59:
		return tokSep
	case pg.Token_ASCII_46, pg.Token_ASCII_36, pg.Token_ASCII_63:
		return tokOther
	case pg.Token_Op, pg.Token_TYPECAST, pg.Token_COLON_EQUALS, pg.Token_EQUALS_GREATER,
		pg.Token_LESS_EQUALS, pg.Token_GREATER_EQUALS, pg.Token_NOT_EQUALS:
		return tokOp
	}
	if t >= pg.Token_ASCII_36 && t <= pg.Token_ASCII_94 {
		return tokOp // + - * / % ^ < > = :
	}
	if operatorWords[strings.ToLower(t.String())] {
		return tokOp
	}
	return tokOther
}

// sqliteLexer uses rqlite/sql's scanner, the one its parser uses.
func sqliteLexer(text string, dc *depthCounter) {
	s := sqlite.NewScanner(strings.NewReader(text))
	for {
		_, tok, _ := s.Scan()
		switch tok {
		case sqlite.EOF:
			return
		case sqlite.LP:
			dc.add(tokOpen)
		case sqlite.RP:
			dc.add(tokClose)
		case sqlite.COMMA, sqlite.SEMI:
			dc.add(tokSep)
		case sqlite.IDENT, sqlite.QIDENT, sqlite.STRING, sqlite.BLOB, sqlite.FLOAT, sqlite.INTEGER,
			sqlite.BIND, sqlite.COMMENT, sqlite.DOT, sqlite.ILLEGAL:
			dc.add(tokOther)
		default:
			if tok.IsBinaryOp() || operatorWords[strings.ToLower(tok.String())] || strings.Trim(tok.String(), "+-*/%<>=!|&~") == "" {
				dc.add(tokOp)
			} else {
				dc.add(tokOther)
			}
		}
	}
}

// mysqlLexer reads MySQL text with and without backslash escapes in
// strings (the server's NO_BACKSLASH_ESCAPES mode; see backslashReadings),
// and keeps the deeper count, so a quoting trick cannot hide operators from
// the count. (The TiDB lexer's API is not exported.)
func mysqlLexer(text string, dc *depthCounter) {
	for _, backslash := range backslashReadings(text) {
		one := &depthCounter{}
		mysqlTokens(text, backslash, one)
		if one.max > dc.max {
			*dc = *one
		}
	}
}

func mysqlTokens(s string, backslash bool, dc *depthCounter) {
	isWord := func(c byte) bool {
		return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\'' || c == '"' || c == '`':
			i = skipQuoted(s, i, c, backslash && c != '`')
			dc.add(tokOther)
		case c == '#' || c == '-' && strings.HasPrefix(s[i:], "--") && (i+2 == len(s) || s[i+2] <= ' '):
			i = skipLine(s, i)
		case c == '/' && strings.HasPrefix(s[i:], "/*"):
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				return
			}
			i += 2 + end + 1
		case c == '(':
			dc.add(tokOpen)
		case c == ')':
			dc.add(tokClose)
		case c == ',' || c == ';':
			dc.add(tokSep)
		case isWord(c):
			j := i
			for j < len(s) && isWord(s[j]) {
				j++
			}
			if operatorWords[strings.ToLower(s[i:j])] {
				dc.add(tokOp)
			} else {
				dc.add(tokOther)
			}
			i = j - 1
		case strings.IndexByte("+-*/%<>=!|&^~:", c) >= 0:
			dc.add(tokOp)
		}
	}
}
