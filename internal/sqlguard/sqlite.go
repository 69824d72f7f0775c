package sqlguard

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strings"
	"sync"
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
	parsed := blankCollations(text)
	stmt, err := parseSQLiteOne(parsed)
	for i := 0; err != nil && i < maxKeywordRetries; i++ {
		fixed, ok := quoteKeywordAt(text, err)
		if !ok {
			break
		}
		p2 := blankCollations(fixed)
		s2, err2 := parseSQLiteOne(p2)
		if err2 != nil {
			var pe, pe2 *sqlite.Error
			if errors.As(err, &pe) && errors.As(err2, &pe2) && pe2.Pos.Offset <= pe.Pos.Offset {
				break // no progress
			}
		}
		text, parsed, stmt, err = fixed, p2, s2, err2
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
	w := newSQLiteWalker(g, f, parsed, sel)
	if r := w.walk(reflect.ValueOf(sel), false); r != nil {
		return nil, text, r
	}
	out, limited, r := sqliteLimit(text, w, sel, g.opts.MaxRows)
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
	sqliteExpr  = reflect.TypeOf((*sqlite.Expr)(nil)).Elem()
	sqlitePosTy = reflect.TypeOf(sqlite.Pos{})

	sqliteSelectExpr = reflect.TypeOf(sqlite.SelectExpr{})
)

// sqliteWalker visits every node by reflection, so no child can be missed
// (rqlite/sql's own Walk skips CTEs), and refuses node types it does not know.
type sqliteWalker struct {
	g     *guard
	f     *facts
	text  string // as the parser read it
	ascii bool   // text is ASCII: the parser's rune offsets are byte offsets

	// For sqliteAppendIsSafe: next is the next SELECT of the outer compound
	// chain, enclosed counts the enclosing constructs whose ")" the parser
	// requires, and bare records a nested SELECT outside all of them.
	next     *sqlite.SelectStatement
	enclosed int
	bare     bool
}

func newSQLiteWalker(g *guard, f *facts, parsed string, sel *sqlite.SelectStatement) *sqliteWalker {
	return &sqliteWalker{g: g, f: f, text: parsed, ascii: isASCII(parsed), next: sel}
}

func (w *sqliteWalker) off(p sqlite.Pos) int {
	if w.ascii && p.Offset >= 0 && p.Offset <= len(w.text) {
		return p.Offset
	}
	return runeToByte(w.text, p.Offset)
}

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
		return w.walkNode(v, inExpr)
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
		for _, i := range sqliteNodeFields(v.Type()) {
			if r := w.walk(v.Field(i), false); r != nil {
				return r
			}
		}
	}
	return nil
}

// walkNode walks the node that v points to, keeping the query scopes and
// the count of enclosing parentheses around it. (No defer: this recursion
// is the walker's hot path.)
func (w *sqliteWalker) walkNode(v reflect.Value, inExpr bool) *refusal {
	x := v.Interface()
	switch n := x.(type) {
	case *sqlite.CTE:
		w.enclosed++
		r := w.walk(v.Elem(), false)
		w.enclosed--
		w.f.defineCTE(sqlite.IdentName(n.TableName))
		return r
	case *sqlite.SelectStatement:
		w.nestedSelect(n)
		w.f.pushScope()
		r := w.visitAndDescend(v, x, inExpr)
		w.f.popScope()
		return r
	case *sqlite.ParenExpr, *sqlite.ExprList, *sqlite.ParenSource, *sqlite.Exists:
		w.enclosed++
		r := w.visitAndDescend(v, x, inExpr)
		w.enclosed--
		return r
	}
	return w.visitAndDescend(v, x, inExpr)
}

func (w *sqliteWalker) visitAndDescend(v reflect.Value, x any, inExpr bool) *refusal {
	if n, ok := x.(sqlite.Node); ok {
		descend, r := w.visit(n, inExpr)
		if r != nil || !descend {
			return r
		}
	}
	return w.walk(v.Elem(), false)
}

// sqliteFieldCache maps a struct type to the indexes of its fields that
// can hold a node (interfaces, pointers, slices, structs other than Pos);
// the others (names, flags, positions) cannot, and walk would only return.
var sqliteFieldCache sync.Map

func sqliteNodeFields(t reflect.Type) []int {
	if f, ok := sqliteFieldCache.Load(t); ok {
		return f.([]int)
	}
	var idx []int
	for i := 0; i < t.NumField(); i++ {
		switch ft := t.Field(i).Type; ft.Kind() {
		case reflect.Interface, reflect.Pointer, reflect.Slice:
			idx = append(idx, i)
		case reflect.Struct:
			if ft != sqlitePosTy {
				idx = append(idx, i)
			}
		}
	}
	sqliteFieldCache.Store(t, idx)
	return idx
}

// nestedSelect notes a SELECT that is neither the outer statement nor a
// member of its compound chain and is not inside a construct that rqlite/sql
// closes with a required ")": CTE, Exists, ParenSource and ExprList check for
// it, and a ParenExpr's ")" is real when the parentheses balance (see
// sqliteAppendIsSafe). rqlite/sql accepts such a bare SELECT as an operand
// ("WHERE a = SELECT b FROM u") or a VALUES source, and a LIMIT appended
// after it would be its LIMIT, not the outer one.
func (w *sqliteWalker) nestedSelect(n *sqlite.SelectStatement) {
	switch {
	case w.enclosed > 0:
	case n == w.next:
		w.next = n.Compound
	default:
		w.bare = true
	}
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
	if !hasCollate(s) {
		return s
	}
	b := []byte(s)
	for i := 0; i < len(b); i++ {
		switch c, j := b[i], sqliteSkip(s, i); {
		case j > i:
			i = j
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

// hasCollate reports whether s holds "collate" in any ASCII case, without
// the copy strings.ToUpper would make. No other letter folds to one of
// C, O, L, A, T, E, so it finds every text collateRE can match.
func hasCollate(s string) bool {
	for _, c := range "cC" {
		for i := 0; i < len(s); i++ {
			j := strings.IndexByte(s[i:], byte(c))
			if j < 0 {
				break
			}
			if i += j; hasPrefixFold(s[i:], "collate") {
				return true
			}
		}
	}
	return false
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
