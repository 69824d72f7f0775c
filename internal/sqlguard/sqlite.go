package sqlguard

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	sqlite "github.com/rqlite/sql"
)

// maxKeywordRetries bounds the keyword-as-identifier fallback.
const maxKeywordRetries = 8

// checkSQLite parses with rqlite/sql. SQLite lets most keywords serve as
// identifiers when nothing else fits (its "fallback" rule); rqlite/sql does
// not, so on a parse error at a bare keyword the keyword is double-quoted and
// the parse retried. The quoted text is what runs, and it is what is checked.
func checkSQLite(sql string, g *guard) (*result, string, *refusal) {
	text := sqliteQuoteIdents(trimSQL(sql))
	if r := complexity(text, sqliteLexer); r != nil {
		return nil, text, r
	}
	// The parser lacks COLLATE; collations are blanked (same length, so
	// positions hold) for parsing only, and the query runs as written.
	stmt, err := parseSQLiteOne(blankCollations(text))
	for i := 0; err != nil && i < maxKeywordRetries; i++ {
		fixed, ok := quoteKeywordAt(text, err)
		if !ok {
			break
		}
		s2, err2 := parseSQLiteOne(blankCollations(fixed))
		if err2 != nil {
			var pe, pe2 *sqlite.Error
			if errors.As(err, &pe) && errors.As(err2, &pe2) && pe2.Pos.Offset <= pe.Pos.Offset {
				break // no progress
			}
		}
		text, stmt, err = fixed, s2, err2
	}
	if err != nil {
		return nil, text, err
	}
	sel, ok := stmt.(*sqlite.SelectStatement)
	if !ok {
		return nil, text, refuse(RuleNotQuery, statementName(stmt), 0,
			"only a single SELECT query is allowed, not %s; rewrite it as a SELECT", statementName(stmt))
	}
	f := newFacts()
	w := &sqliteWalker{g: g, f: f, text: text}
	if r := w.walk(reflect.ValueOf(sel), false); r != nil {
		return nil, text, r
	}
	out, limited, r := sqliteLimit(text, sel, g.opts.MaxRows)
	if r != nil {
		return nil, text, r
	}
	return &result{sql: out, limited: limited, facts: f}, text, nil
}

// parseSQLiteOne parses exactly one statement.
func parseSQLiteOne(text string) (sqlite.Statement, *refusal) {
	p := sqlite.NewParser(strings.NewReader(text))
	stmt, err := p.ParseStatement()
	if err != nil {
		return nil, sqliteParseError(text, err)
	}
	next, err := p.ParseStatement()
	if err == io.EOF {
		return stmt, nil
	}
	if err != nil && next == nil {
		return nil, sqliteParseError(text, err)
	}
	return nil, refuse(RuleMultipleStatements, ";", -1,
		"only one statement is allowed, but the SQL holds several; send a single SELECT")
}

func sqliteParseError(text string, err error) *refusal {
	r := &refusal{rule: RuleParse, offset: -1, msg: "SQL syntax error: " + err.Error() + "; fix the query"}
	var pe *sqlite.Error
	if errors.As(err, &pe) && pe.Pos.IsValid() {
		r.line, r.col = pe.Pos.Line, pe.Pos.Column
		r.msg = "SQL syntax error: " + pe.Msg + "; fix the query"
		r.offset = runeToByte(text, pe.Pos.Offset)
		r.construct = wordAt(text, r.offset)
	}
	return r
}

// quoteKeywordAt double-quotes the keyword where a parse failed.
func quoteKeywordAt(text string, r *refusal) (string, bool) {
	if r == nil || r.rule != RuleParse || r.offset < 0 || r.construct == "" {
		return "", false
	}
	if sqlite.Lookup(r.construct) == sqlite.IDENT {
		return "", false // not a keyword: nothing to fall back from
	}
	return text[:r.offset] + `"` + r.construct + `"` + text[r.offset+len(r.construct):], true
}

func wordAt(s string, off int) string {
	if off < 0 || off >= len(s) {
		return ""
	}
	end := off
	for end < len(s) && (s[end] == '_' || s[end] >= 'a' && s[end] <= 'z' || s[end] >= 'A' && s[end] <= 'Z' || end > off && s[end] >= '0' && s[end] <= '9') {
		end++
	}
	return s[off:end]
}

func runeToByte(s string, runes int) int {
	if runes <= len(s) && isASCII(s[:runes]) {
		return runes
	}
	b := 0
	for i := 0; i < runes && b < len(s); i++ {
		_, n := utf8.DecodeRuneInString(s[b:])
		b += n
	}
	return b
}

func statementName(n any) string {
	name := fmt.Sprintf("%T", n)
	name = strings.TrimSuffix(name[strings.LastIndexByte(name, '.')+1:], "Statement")
	return strings.ToUpper(strings.TrimSuffix(name, "Stmt"))
}

var (
	sqliteNode  = reflect.TypeOf((*sqlite.Node)(nil)).Elem()
	sqliteExpr  = reflect.TypeOf((*sqlite.Expr)(nil)).Elem()
	sqlitePosTy = reflect.TypeOf(sqlite.Pos{})

	sqliteSelectExpr = reflect.TypeOf(sqlite.SelectExpr{})
)

// sqliteWalker visits every node by reflection, so no child can be missed
// (rqlite/sql's own Walk skips CTEs), and refuses node types it does not know.
type sqliteWalker struct {
	g    *guard
	f    *facts
	text string
}

func (w *sqliteWalker) off(p sqlite.Pos) int { return runeToByte(w.text, p.Offset) }

func (w *sqliteWalker) walk(v reflect.Value, inExpr bool) *refusal {
	switch v.Kind() {
	case reflect.Interface:
		if v.IsNil() {
			return nil
		}
		if e := v.Elem(); e.Kind() != reflect.Pointer && e.Type() != sqliteSelectExpr {
			return refuse(RuleNotQuery, e.Type().String(), -1, "unsupported SQL construct; rewrite the query with plain SELECT syntax")
		}
		return w.walk(v.Elem(), v.Type() == sqliteExpr)
	case reflect.Pointer:
		if v.IsNil() {
			return nil
		}
		switch n := v.Interface().(type) {
		case *sqlite.CTE:
			r := w.walk(v.Elem(), false)
			w.f.defineCTE(sqlite.IdentName(n.TableName))
			return r
		case *sqlite.SelectStatement:
			w.f.pushScope()
			defer w.f.popScope()
		}
		if v.Type().Implements(sqliteNode) {
			descend, r := w.visit(v.Interface().(sqlite.Node), inExpr)
			if r != nil || !descend {
				return r
			}
		}
		return w.walk(v.Elem(), false)
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			if r := w.walk(v.Index(i), false); r != nil {
				return r
			}
		}
	case reflect.Struct:
		if v.Type() == sqlitePosTy {
			return nil
		}
		for i := 0; i < v.NumField(); i++ {
			if r := w.walk(v.Field(i), false); r != nil {
				return r
			}
		}
	}
	return nil
}

// visit checks one node; inExpr is true when it sits in expression position.
func (w *sqliteWalker) visit(n sqlite.Node, inExpr bool) (bool, *refusal) {
	switch n := n.(type) {
	case *sqlite.ResultColumn:
		if n.Star.IsValid() {
			w.f.stars = append(w.f.stars, starRef{offset: w.off(n.Star)})
		}
		return true, nil
	case *sqlite.WithClause:
		if n.Recursive.IsValid() {
			for _, c := range n.CTEs {
				w.f.defineCTE(sqlite.IdentName(c.TableName))
			}
		}
		return true, nil
	case *sqlite.SelectStatement, *sqlite.ParenSource,
		*sqlite.JoinClause, *sqlite.OnConstraint, *sqlite.ExprList,
		*sqlite.BinaryExpr, *sqlite.UnaryExpr, *sqlite.ParenExpr, *sqlite.CastExpr, *sqlite.Type,
		*sqlite.CaseExpr, *sqlite.CaseBlock, *sqlite.Exists, *sqlite.Null, *sqlite.Range,
		*sqlite.StringLit, *sqlite.NumberLit, *sqlite.BlobLit, *sqlite.NullLit, *sqlite.BoolLit,
		*sqlite.TimestampLit, *sqlite.BindExpr, *sqlite.FilterClause, *sqlite.OverClause,
		*sqlite.WindowDefinition, *sqlite.Window, *sqlite.FrameSpec, *sqlite.OrderingTerm:
		return true, nil
	case *sqlite.Ident:
		if inExpr {
			w.f.columns = append(w.f.columns, columnRef{name: n.Name, offset: w.off(n.NamePos)})
		}
		return false, nil
	case *sqlite.QualifiedRef:
		q := sqlite.IdentName(n.Table)
		if n.Star.IsValid() {
			w.f.stars = append(w.f.stars, starRef{qualifier: q, offset: w.off(n.Star)})
		} else {
			w.f.columns = append(w.f.columns, columnRef{qualifier: q, name: sqlite.IdentName(n.Column), offset: w.off(n.Column.NamePos)})
		}
		return false, nil
	case *sqlite.JoinOperator:
		if n.Natural.IsValid() {
			w.f.stars = append(w.f.stars, starRef{offset: w.off(n.Natural)})
		}
		return false, nil
	case *sqlite.UsingConstraint:
		for _, c := range n.Columns {
			w.f.columns = append(w.f.columns, columnRef{name: c.Name, offset: w.off(c.NamePos)})
		}
		return false, nil
	case *sqlite.Call:
		if r := w.g.function(n.Name.Name, w.off(n.Name.NamePos)); r != nil {
			return false, r
		}
		return true, nil
	case *sqlite.QualifiedTableName:
		w.f.addTable(tableRef{schema: sqlite.IdentName(n.Schema), name: n.Name.Name,
			alias: sqlite.IdentName(n.Alias), offset: w.off(n.Name.NamePos)})
		return false, nil
	case *sqlite.QualifiedTableFunctionName:
		name := strings.ToLower(n.Name.Name)
		w.f.addTable(tableRef{name: name, alias: sqlite.IdentName(n.Alias), offset: w.off(n.Name.NamePos)})
		if strings.HasPrefix(name, "pragma_") {
			return false, nil // reported as a system catalog by the policy step
		}
		if r := w.g.function(name, w.off(n.Name.NamePos)); r != nil {
			return false, r
		}
		for _, a := range n.Args {
			if r := w.walk(reflect.ValueOf(&a).Elem(), true); r != nil {
				return false, r
			}
		}
		return false, nil
	case *sqlite.Raise:
		return false, refuse(RuleNotQuery, "RAISE", w.off(n.Raise), "RAISE is only valid in triggers; remove it")
	case sqlite.Statement:
		return false, refuse(RuleDataModifyingCTE, statementName(n), -1,
			"a %s statement nested in the query is not allowed; use only SELECT", statementName(n))
	}
	return false, refuse(RuleNotQuery, fmt.Sprintf("%T", n), -1,
		"the construct %s is not supported in read-only queries; rewrite the query with plain SELECT syntax", n.String())
}

// sqliteLimit appends or tightens the outer LIMIT by editing the text at the
// parser's positions, then re-parses to prove the cap is in force.
func sqliteLimit(text string, sel *sqlite.SelectStatement, max int) (string, bool, *refusal) {
	if max <= 0 {
		return text, false, nil
	}
	text = sqliteCutAtEnd(text)
	out := ""
	countExpr := sel.LimitExpr
	if sel.OffsetComma.IsValid() {
		countExpr = sel.OffsetExpr // LIMIT offset, count
	}
	switch lit, ok := countExpr.(*sqlite.NumberLit); {
	case countExpr == nil:
		out = text + "\nLIMIT " + strconv.Itoa(max)
	case ok:
		n, err := strconv.ParseInt(lit.Value, 10, 64)
		if err == nil && n >= 0 && n <= int64(max) {
			return text, false, nil
		}
		start := runeToByte(text, lit.ValuePos.Offset)
		out = text[:start] + strconv.Itoa(max) + text[start+len(lit.Value):]
	default:
		out = "SELECT * FROM (\n" + text + "\n) LIMIT " + strconv.Itoa(max)
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
	if lit, ok := got.(*sqlite.NumberLit); !ok || lit.Value != strconv.Itoa(max) {
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

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// collateRE matches a COLLATE clause with its collation name.
var collateRE = regexp.MustCompile(`(?i)^COLLATE\s+("[^"]*"|[A-Za-z_][A-Za-z0-9_]*)`)

// blankCollations replaces each COLLATE clause outside strings and
// comments with as many spaces, so the parser (which lacks COLLATE) reads
// the rest at the same positions. A collation only changes how text
// compares: removing it for the check cannot hide a statement or a call.
func blankCollations(s string) string {
	if !strings.Contains(strings.ToUpper(s), "COLLATE") {
		return s
	}
	b := []byte(s)
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case c == '\'' || c == '"':
			i = skipQuoted(s, i, c, false)
		case c == '-' && strings.HasPrefix(s[i:], "--"):
			i = skipLine(s, i)
		case c == '/' && strings.HasPrefix(s[i:], "/*"):
			if end := strings.Index(s[i+2:], "*/"); end >= 0 {
				i += end + 3
			} else {
				i = len(b)
			}
		case (c == 'c' || c == 'C') && (i == 0 || !isIdentByte(b[i-1])):
			if m := collateRE.FindStringIndex(s[i:]); m != nil {
				for j := i; j < i+m[1]; j++ {
					b[j] = ' '
				}
				i += m[1] - 1
			}
		}
	}
	return string(b)
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
