package sqlguard

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/pingcap/tidb/pkg/parser"
	"github.com/pingcap/tidb/pkg/parser/ast"
)

// TiDB parsers are not safe for concurrent use; keep a pool.
var mysqlParsers = sync.Pool{New: func() any { return parser.New() }}

var tidbPosition = regexp.MustCompile(`line (\d+) column (\d+)`)

// checkMySQL parses with the TiDB MySQL parser and walks the tree with an
// ast.Visitor.
func checkMySQL(sql string, g *guard) (*result, *refusal) {
	text := trimSQL(sql)
	if off, what := executableComment(text); off >= 0 {
		return nil, refuse(RuleExecutableComment, what, off,
			"MySQL executable comments and optimizer hints (%s ... */) are not allowed; remove the comment", what)
	}
	if r := complexity(text, mysqlLexer); r != nil {
		return nil, r
	}
	if off := mysqlAt(text); off >= 0 {
		return nil, refuse(RuleVariable, "@", off, "variables (@name, @@name) may not be read or assigned in read-only queries; remove it")
	}
	if off := mysqlBackslashQuote(text); off >= 0 {
		return nil, refuse(RuleStringEscape, "\\'", off,
			"a string literal has a backslash before a quote, which MySQL reads differently under sql_mode NO_BACKSLASH_ESCAPES; double the quote ('') instead of escaping it")
	}
	stmts, err := mysqlParse(text)
	if err != nil {
		r := &refusal{rule: RuleParse, offset: -1, msg: "SQL syntax error: " + err.Error() + "; fix the query"}
		if m := tidbPosition.FindStringSubmatch(err.Error()); m != nil {
			r.line, _ = strconv.Atoi(m[1])
			r.col, _ = strconv.Atoi(m[2])
		}
		return nil, r
	}
	switch len(stmts) {
	case 0:
		return nil, refuse(RuleEmpty, "", -1, "the SQL holds no statement; write one SELECT query")
	case 1:
	default:
		return nil, refuse(RuleMultipleStatements, ";", -1,
			"only one statement is allowed, but the SQL holds %d; send a single SELECT", len(stmts))
	}
	stmt := stmts[0]
	switch stmt.(type) {
	case *ast.SelectStmt, *ast.SetOprStmt:
	default:
		name := mysqlStatementName(stmt)
		return nil, refuse(RuleNotQuery, name, 0, "only a single SELECT query is allowed, not %s; rewrite it as a SELECT", name)
	}
	v := &mysqlVisitor{g: g, f: newFacts(), calls: map[string]bool{}}
	stmt.Accept(v)
	if v.err != nil {
		return nil, v.err
	}
	if off, name := mysqlCallSpelling(text, v.calls); off >= 0 {
		return nil, refuse(RuleFunction, name, off,
			"%s is called with a quoted name or a space before its parenthesis, which MySQL and MariaDB resolve to a stored function of that name instead of the built-in; write %s( with no quotes or space", name, strings.ToLower(name))
	}
	out, limited, r := mysqlLimit(text, stmt, g.opts.MaxRows)
	if r != nil {
		return nil, r
	}
	return &result{sql: out, limited: limited, facts: v.f}, nil
}

// mysqlParse runs the TiDB parser. Its value package panics on some inputs
// MySQL accepts (a decimal literal of about 80 digits or more, which TiDB's
// test driver does not implement); that is a parse error here, not a crash,
// and the parser that panicked is not reused.
func mysqlParse(text string) (stmts []ast.StmtNode, err error) {
	p := mysqlParsers.Get().(*parser.Parser)
	defer func() {
		if r := recover(); r != nil {
			stmts, err = nil, fmt.Errorf("the MySQL parser failed (%v); write long numeric literals with fewer digits", r)
			return
		}
		mysqlParsers.Put(p)
	}()
	stmts, _, err = p.ParseSQL(text)
	return stmts, err
}

func mysqlStatementName(n ast.Node) string {
	switch n.(type) {
	case *ast.InsertStmt:
		return "INSERT"
	case *ast.UpdateStmt:
		return "UPDATE"
	case *ast.DeleteStmt:
		return "DELETE"
	case *ast.SetStmt:
		return "SET"
	case *ast.DoStmt:
		return "DO"
	case *ast.CallStmt:
		return "CALL"
	case *ast.ExplainStmt:
		return "EXPLAIN"
	}
	return statementName(n)
}

type mysqlVisitor struct {
	g   *guard
	f   *facts
	err *refusal
	// calls holds the lower-case names of the functions the query calls,
	// for mysqlCallSpelling.
	calls map[string]bool
}

var _ ast.Visitor = (*mysqlVisitor)(nil)

// Enter checks one node; returning skip=true stops the walk after a refusal.
func (v *mysqlVisitor) Enter(n ast.Node) (ast.Node, bool) {
	if v.err != nil {
		return n, true
	}
	v.err = v.check(n)
	return n, v.err != nil
}

// Leave implements ast.Visitor: it closes query scopes and puts a CTE name
// in force once its body has been walked.
func (v *mysqlVisitor) Leave(n ast.Node) (ast.Node, bool) {
	switch n := n.(type) {
	case *ast.SelectStmt, *ast.SetOprStmt:
		v.f.popScope()
	case *ast.CommonTableExpression:
		v.f.defineCTE(n.Name.O)
	}
	return n, v.err == nil
}

func (v *mysqlVisitor) check(n ast.Node) *refusal {
	switch n := n.(type) {
	case *ast.SelectStmt:
		v.f.pushScope()
		if n.SelectIntoOpt != nil {
			return refuse(RuleSelectInto, "INTO", -1, "SELECT ... INTO (OUTFILE, DUMPFILE or variables) is not allowed; remove the INTO clause")
		}
		if n.LockInfo != nil && n.LockInfo.LockType != ast.SelectLockNone {
			lock := n.LockInfo.LockType.String()
			return refuse(RuleLocking, lock, -1, "locking clause %s is not allowed in read-only queries; remove it", lock)
		}
		if len(n.TableHints) > 0 {
			return refuse(RuleExecutableComment, "/*+", -1, "optimizer hints are not allowed; remove them")
		}
	case *ast.WithClause:
		if n.IsRecursive {
			for _, c := range n.CTEs {
				v.f.defineCTE(c.Name.O)
			}
		}
	case *ast.FuncCallExpr:
		v.calls[n.FnName.L] = true
		if n.Schema.L != "" {
			name := n.Schema.O + "." + n.FnName.O
			return refuse(RuleFunction, name, -1, "function %s is not allowed in read-only queries; only built-in functions may be called", name)
		}
		return v.g.function(n.FnName.L, -1)
	case *ast.AggregateFuncExpr:
		v.calls[strings.ToLower(n.F)] = true
		return v.g.function(n.F, -1)
	case *ast.WindowFuncExpr:
		v.calls[strings.ToLower(n.Name)] = true
		return v.g.function(n.Name, -1)
	case *ast.VariableExpr:
		name := "@" + n.Name
		if n.IsSystem {
			name = "@@" + n.Name
		}
		return refuse(RuleVariable, name, -1, "variable %s may not be read or assigned in read-only queries; remove it", name)
	case *ast.TableName:
		v.f.addTable(tableRef{schema: n.Schema.O, name: n.Name.O, offset: -1})
	case *ast.TableSource:
		if tn, ok := n.Source.(*ast.TableName); ok && n.AsName.O != "" {
			// The TableName child is visited next; record its alias there.
			v.f.addTable(tableRef{schema: tn.Schema.O, name: tn.Name.O, alias: n.AsName.O, offset: -1})
		}
	case *ast.TableSample:
		// TiDB syntax: MySQL and MariaDB have no TABLESAMPLE, and TiDB's
		// restorer cannot write it back.
		return refuse(RuleParse, "TABLESAMPLE", -1, "TABLESAMPLE is not MySQL or MariaDB syntax; remove it, or sample with ORDER BY RAND() LIMIT n")
	case *ast.Join:
		if n.NaturalJoin {
			v.f.stars = append(v.f.stars, starRef{offset: -1})
		}
	case *ast.ColumnName:
		v.f.columns = append(v.f.columns, columnRef{qualifier: n.Table.O, name: n.Name.O, offset: -1})
	case *ast.SelectField:
		if n.WildCard != nil {
			v.f.stars = append(v.f.stars, starRef{qualifier: n.WildCard.Table.O, offset: -1})
		}
	case ast.StmtNode:
		switch n.(type) {
		case *ast.SetOprStmt:
			v.f.pushScope()
		default:
			name := mysqlStatementName(n)
			return refuse(RuleDataModifyingCTE, name, -1, "a nested %s statement is not allowed; use only SELECT", name)
		}
	}
	return nil
}
