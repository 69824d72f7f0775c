package sqlguard

import (
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/format"

	"github.com/askdb/askdb/internal/catalog"
)

// mysqlRewriteRows replaces the source of each TableSource that names a
// filtered table by a filtered subquery under the same alias, and
// restores the tree to text.
func mysqlRewriteRows(text string, fs []boundFilter) (string, *refusal) {
	stmt, r := mysqlParseSingle(text)
	if r != nil {
		return "", r
	}
	v := &mysqlRowRewriter{fs: fs}
	stmt.Accept(v)
	if v.err != nil {
		return "", v.err
	}
	return mysqlRestoreText(stmt)
}

type mysqlRowRewriter struct {
	fs  []boundFilter
	err *refusal
}

func (v *mysqlRowRewriter) Enter(n ast.Node) (ast.Node, bool) {
	if v.err != nil {
		return n, true
	}
	switch n := n.(type) {
	case *ast.CommonTableExpression:
		v.err = cteShadows(v.fs, n.Name.O)
	case *ast.TableSource:
		tn, ok := n.Source.(*ast.TableName)
		if !ok {
			return n, false
		}
		f := findFilter(v.fs, tn.Schema.O, tn.Name.O)
		if f == nil {
			return n, false
		}
		if len(tn.PartitionNames) > 0 || tn.TableSample != nil || tn.AsOf != nil {
			v.err = refuse(RuleRowFilter, tn.Name.O, -1, "PARTITION, TABLESAMPLE and AS OF are not allowed on row-filtered table %s; remove them", tn.Name.O)
			return n, true
		}
		sub, r := mysqlFilteredSubquery(tn, f)
		if r != nil {
			v.err = r
			return n, true
		}
		n.Source = sub
		if n.AsName.O == "" {
			n.AsName = tn.Name
		}
		return n, true
	}
	return n, false
}

func (v *mysqlRowRewriter) Leave(n ast.Node) (ast.Node, bool) { return n, v.err == nil }

func mysqlFilteredSubquery(tn *ast.TableName, f *boundFilter) (*ast.SelectStmt, *refusal) {
	table := quoteIdent(catalog.MySQL, tn.Name.O)
	if tn.Schema.O != "" {
		table = quoteIdent(catalog.MySQL, tn.Schema.O) + "." + table
	}
	stmt, r := mysqlParseSingle("SELECT " + f.cols + " FROM " + table + " WHERE " + f.where)
	sel, ok := stmt.(*ast.SelectStmt)
	if r != nil || !ok {
		return nil, refuse(RuleRowFilter, f.name, -1, "the row filter on %s is not a valid condition", f.name)
	}
	return sel, nil
}

// mysqlVerifyRows re-parses the rewritten SQL and checks that every
// TableName naming a filtered table is the only source of a SELECT whose
// WHERE restores to exactly the filter.
func mysqlVerifyRows(text string, fs []boundFilter) *refusal {
	stmt, r := mysqlParseSingle(text)
	if r != nil {
		return r
	}
	v := &mysqlRowVerifier{fs: fs, wheres: map[*boundFilter]string{}, filtered: map[*ast.TableName]bool{}}
	for i := range fs {
		w, r := mysqlParseSingle("SELECT 1 FROM DUAL WHERE " + fs[i].where)
		sel, ok := w.(*ast.SelectStmt)
		if r != nil || !ok || sel.Where == nil {
			return refuse(RuleRowFilter, fs[i].name, -1, "the row filter on %s is not a valid condition", fs[i].name)
		}
		v.wheres[&fs[i]] = mysqlNodeText(sel.Where)
	}
	stmt.Accept(v)
	return v.err
}

type mysqlRowVerifier struct {
	fs       []boundFilter
	wheres   map[*boundFilter]string
	filtered map[*ast.TableName]bool
	err      *refusal
}

func (v *mysqlRowVerifier) Enter(n ast.Node) (ast.Node, bool) {
	if v.err != nil {
		return n, true
	}
	switch n := n.(type) {
	case *ast.CommonTableExpression:
		v.err = cteShadows(v.fs, n.Name.O)
	case *ast.SelectStmt:
		if tn := mysqlSoleTable(n); tn != nil && n.Where != nil {
			if f := findFilter(v.fs, tn.Schema.O, tn.Name.O); f != nil && mysqlNodeText(n.Where) == v.wheres[f] {
				v.filtered[tn] = true
			}
		}
	case *ast.TableName:
		if findFilter(v.fs, n.Schema.O, n.Name.O) != nil && !v.filtered[n] {
			v.err = unfiltered(n.Schema.O, n.Name.O)
		}
	}
	return n, false
}

func (v *mysqlRowVerifier) Leave(n ast.Node) (ast.Node, bool) { return n, v.err == nil }

// mysqlSoleTable returns the table a SELECT reads when it reads exactly
// one table and nothing else.
func mysqlSoleTable(s *ast.SelectStmt) *ast.TableName {
	if s.From == nil || s.From.TableRefs == nil || s.From.TableRefs.Right != nil {
		return nil
	}
	ts, ok := s.From.TableRefs.Left.(*ast.TableSource)
	if !ok {
		return nil
	}
	tn, _ := ts.Source.(*ast.TableName)
	return tn
}

func mysqlParseSingle(text string) (ast.StmtNode, *refusal) {
	stmts, err := mysqlParse(trimSQL(text))
	if err != nil || len(stmts) != 1 {
		return nil, refuse(RuleParse, "", -1, "SQL syntax error: %v; fix the query", err)
	}
	return stmts[0], nil
}

func mysqlRestoreText(n ast.Node) (string, *refusal) {
	s := mysqlNodeText(n)
	if s == "" {
		return "", refuse(RuleRowFilter, "", -1, "the row filters could not be applied; simplify the query")
	}
	return s, nil
}

// mysqlNodeText restores a node with the guard's restore flags; "" when it
// cannot be restored.
func mysqlNodeText(n ast.Node) string {
	var sb strings.Builder
	flags := format.DefaultRestoreFlags | format.RestoreStringEscapeBackslash | format.RestoreStringWithoutDefaultCharset
	if err := n.Restore(format.NewRestoreCtx(flags, &sb)); err != nil {
		return ""
	}
	return sb.String()
}
