package sqlguard

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode"

	pg "github.com/pganalyze/pg_query_go/v6"
	pgparser "github.com/pganalyze/pg_query_go/v6/parser"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// statementNames maps parse-tree statement types to the SQL a user wrote.
var statementNames = map[string]string{
	"InsertStmt": "INSERT", "UpdateStmt": "UPDATE", "DeleteStmt": "DELETE", "MergeStmt": "MERGE",
	"VariableSetStmt": "SET", "VariableShowStmt": "SHOW", "CopyStmt": "COPY", "DoStmt": "DO",
	"CallStmt": "CALL", "ExplainStmt": "EXPLAIN", "CreateTableAsStmt": "CREATE TABLE AS",
	"TransactionStmt": "transaction control", "LockStmt": "LOCK", "PrepareStmt": "PREPARE",
	"ExecuteStmt": "EXECUTE", "NotifyStmt": "NOTIFY", "ListenStmt": "LISTEN", "TruncateStmt": "TRUNCATE",
	"DropStmt": "DROP", "CreateStmt": "CREATE TABLE", "VacuumStmt": "VACUUM", "DeclareCursorStmt": "DECLARE CURSOR",
	"LoadStmt": "LOAD", "CheckPointStmt": "CHECKPOINT", "DiscardStmt": "DISCARD",
}

func pgStatementName(typeName string) string {
	if n, ok := statementNames[typeName]; ok {
		return n
	}
	return strings.ToUpper(strings.TrimSuffix(typeName, "Stmt"))
}

// checkPostgres parses with PostgreSQL's own parser (libpg_query). DuckDB
// uses the same first layer with its own function allowlist (see doc.go).
func checkPostgres(sql string, g *guard) (*result, *refusal) {
	text := trimSQL(sql)
	if r := complexity(text, pgLexer); r != nil {
		return nil, r
	}
	tree, err := pg.Parse(text)
	if err != nil {
		r := &refusal{rule: RuleParse, offset: -1, msg: "SQL syntax error: " + err.Error() + "; fix the query"}
		var pe *pgparser.Error
		if errors.As(err, &pe) && pe.Cursorpos > 0 {
			r.offset = pe.Cursorpos - 1
			r.construct = wordAt(text, r.offset)
		}
		return nil, r
	}
	switch len(tree.Stmts) {
	case 0:
		return nil, refuse(RuleEmpty, "", -1, "the SQL holds no statement; write one SELECT query")
	case 1:
	default:
		return nil, refuse(RuleMultipleStatements, ";", int(tree.Stmts[1].StmtLocation),
			"only one statement is allowed, but the SQL holds %d; send a single SELECT", len(tree.Stmts))
	}
	sel := tree.Stmts[0].Stmt.GetSelectStmt()
	if sel == nil {
		name := pgStatementName(strings.TrimPrefix(fmt.Sprintf("%T", tree.Stmts[0].Stmt.Node), "*pg_query.Node_"))
		return nil, refuse(RuleNotQuery, name, 0, "only a single SELECT query is allowed, not %s; rewrite it as a SELECT", name)
	}
	w := &pgWalker{g: g, f: newFacts()}
	if r := w.message(sel.ProtoReflect()); r != nil {
		return nil, r
	}
	out, limited, r := pgLimit(text, tree, sel, g.opts.MaxRows)
	if r != nil {
		return nil, r
	}
	return &result{sql: out, limited: limited, facts: w.f}, nil
}

// pgWalker visits every populated field of every message by protobuf
// reflection, so no part of the tree is skipped.
type pgWalker struct {
	g *guard
	f *facts
}

func (w *pgWalker) message(m protoreflect.Message) *refusal {
	if r := w.visit(m.Interface()); r != nil {
		return r
	}
	if sel, ok := m.Interface().(*pg.SelectStmt); ok {
		// A query's CTEs come into scope one by one, before its body.
		w.f.pushScope()
		defer w.f.popScope()
		if r := w.with(sel.WithClause); r != nil {
			return r
		}
	}
	fields := messageFields(m.Descriptor())
	for _, od := range fields.oneofs {
		if fd := m.WhichOneof(od); fd != nil && fd.Kind() == protoreflect.MessageKind {
			if r := w.field(m, fd); r != nil {
				return r
			}
		}
	}
	for _, fd := range fields.plain {
		if !m.Has(fd) || fd.Name() == "with_clause" && fd.ContainingMessage().Name() == "SelectStmt" {
			continue
		}
		if r := w.field(m, fd); r != nil {
			return r
		}
	}
	return nil
}

func (w *pgWalker) field(m protoreflect.Message, fd protoreflect.FieldDescriptor) *refusal {
	v := m.Get(fd)
	if !fd.IsList() {
		return w.message(v.Message())
	}
	l := v.List()
	for i := 0; i < l.Len(); i++ {
		if r := w.message(l.Get(i).Message()); r != nil {
			return r
		}
	}
	return nil
}

// with walks a WITH clause, putting each CTE name in force after its body
// (or before all bodies for WITH RECURSIVE).
func (w *pgWalker) with(wc *pg.WithClause) *refusal {
	if wc == nil {
		return nil
	}
	if wc.Recursive {
		for _, c := range wc.Ctes {
			w.f.defineCTE(c.GetCommonTableExpr().GetCtename())
		}
	}
	for _, c := range wc.Ctes {
		if r := w.message(c.ProtoReflect()); r != nil {
			return r
		}
		w.f.defineCTE(c.GetCommonTableExpr().GetCtename())
	}
	return nil
}

// pgFields caches, per message type, the fields that can hold more of the
// tree: message-typed fields outside oneofs, and the oneofs (pg_query.Node
// is one oneof over every node type, so only its set member is read).
var pgFields sync.Map // protoreflect.FullName -> *treeFields

type treeFields struct {
	plain  []protoreflect.FieldDescriptor
	oneofs []protoreflect.OneofDescriptor
}

func messageFields(d protoreflect.MessageDescriptor) *treeFields {
	if v, ok := pgFields.Load(d.FullName()); ok {
		return v.(*treeFields)
	}
	tf := &treeFields{}
	fields := d.Fields()
	for i := 0; i < fields.Len(); i++ {
		fd := fields.Get(i)
		if fd.IsMap() {
			panic(fmt.Sprintf("sqlguard: unexpected map field %s in the PostgreSQL parse tree", fd.FullName()))
		}
		if fd.ContainingOneof() == nil && (fd.Kind() == protoreflect.MessageKind || fd.Kind() == protoreflect.GroupKind) {
			tf.plain = append(tf.plain, fd)
		}
	}
	oneofs := d.Oneofs()
	for i := 0; i < oneofs.Len(); i++ {
		tf.oneofs = append(tf.oneofs, oneofs.Get(i))
	}
	pgFields.Store(d.FullName(), tf)
	return tf
}

// pgLimit adds or tightens the outer LIMIT. Fast paths edit the text at the
// parse tree's own positions, keeping the author's formatting and comments:
// the text is cut at the statement's parsed end (dropping a trailing ";" and
// anything after it), "\nLIMIT n" is appended (the newline ends a trailing
// -- comment) or the literal replaced, and the result is re-parsed to prove
// the outer LIMIT is the cap. Other shapes edit the tree and deparse.
func pgLimit(text string, tree *pg.ParseResult, sel *pg.SelectStmt, max int) (string, bool, *refusal) {
	if max <= 0 {
		return text, false, nil
	}
	raw := tree.Stmts[0]
	if end := int(raw.StmtLocation + raw.StmtLen); raw.StmtLen > 0 && end <= len(text) {
		text = strings.TrimRightFunc(text[:end], unicode.IsSpace)
	}
	if sel.LimitOption == pg.LimitOption_LIMIT_OPTION_WITH_TIES {
		return pgWrap(tree, max) // WITH TIES may return more rows than the count
	}
	switch c := sel.LimitCount; {
	case c == nil:
		if out := text + "\nLIMIT " + strconv.Itoa(max); pgLimitInForce(out, max) {
			return out, true, nil
		}
	case c.GetAConst() != nil && c.GetAConst().GetIval() != nil && c.GetAConst().Location >= 0:
		v := c.GetAConst().GetIval().Ival
		if v >= 0 && int(v) <= max {
			return text, false, nil
		}
		start := int(c.GetAConst().Location)
		end := start
		for end < len(text) && text[end] >= '0' && text[end] <= '9' {
			end++
		}
		if end > start {
			if n, err := strconv.ParseInt(text[start:end], 10, 64); err == nil && n == int64(v) {
				// The digits at the parsed literal's own position are its whole
				// token; other digits in their place cannot change the tree, so
				// no second parse is needed.
				return text[:start] + strconv.Itoa(max) + text[end:], true, nil
			}
		}
	}
	capNode := &pg.Node{Node: &pg.Node_AConst{AConst: &pg.A_Const{Val: &pg.A_Const_Ival{Ival: &pg.Integer{Ival: int32(max)}}, Location: -1}}}
	switch c := sel.LimitCount; {
	case c == nil, c.GetAConst() != nil && c.GetAConst().Isnull: // none, LIMIT ALL or LIMIT NULL
		sel.LimitCount = capNode
		sel.LimitOption = pg.LimitOption_LIMIT_OPTION_COUNT
	case c.GetAConst() != nil && c.GetAConst().GetIval() != nil:
		sel.LimitCount = capNode
	default:
		return pgWrap(tree, max)
	}
	out, err := pg.Deparse(tree)
	if err != nil || !pgLimitInForce(out, max) {
		return "", false, refuse(RuleRowLimit, "LIMIT", -1, "the row limit could not be applied (%v); simplify the end of the query", err)
	}
	return out, true, nil
}

// pgWrap caps any query by selecting from it.
func pgWrap(tree *pg.ParseResult, max int) (string, bool, *refusal) {
	inner, err := pg.Deparse(tree)
	if err != nil {
		return "", false, refuse(RuleRowLimit, "LIMIT", -1, "the row limit could not be applied: %v", err)
	}
	out := "SELECT * FROM (" + inner + ") AS askdb_capped LIMIT " + strconv.Itoa(max)
	if !pgLimitInForce(out, max) {
		return "", false, refuse(RuleRowLimit, "LIMIT", -1, "the row limit could not be applied; simplify the query")
	}
	return out, true, nil
}

// pgLimitInForce re-parses out and reports whether it is one SELECT whose
// outer LIMIT is exactly max rows.
func pgLimitInForce(out string, max int) bool {
	tree, err := pg.Parse(out)
	if err != nil || len(tree.Stmts) != 1 {
		return false
	}
	sel := tree.Stmts[0].Stmt.GetSelectStmt()
	if sel == nil || sel.LimitOption == pg.LimitOption_LIMIT_OPTION_WITH_TIES {
		return false
	}
	c := sel.LimitCount.GetAConst()
	return c != nil && c.GetIval() != nil && int(c.GetIval().Ival) == max
}

func (w *pgWalker) visit(m protoreflect.ProtoMessage) *refusal {
	switch n := m.(type) {
	case *pg.SelectStmt:
		if n.IntoClause != nil {
			return refuse(RuleSelectInto, "SELECT INTO", -1, "SELECT ... INTO creates a table and is not allowed; remove the INTO clause")
		}
	case *pg.LockingClause:
		return refuse(RuleLocking, "FOR "+lockName(n.Strength), -1,
			"locking clause FOR %s is not allowed in read-only queries; remove it", lockName(n.Strength))
	case *pg.CommonTableExpr:
		if n.Ctequery != nil && n.Ctequery.GetSelectStmt() == nil {
			name := pgStatementName(strings.TrimPrefix(fmt.Sprintf("%T", n.Ctequery.Node), "*pg_query.Node_"))
			return refuse(RuleDataModifyingCTE, name, int(n.Location),
				"the WITH query %q runs %s, which modifies data; use only SELECT in WITH", n.Ctename, name)
		}
	case *pg.FuncCall:
		return w.function(n)
	case *pg.RangeVar:
		alias := ""
		if n.Alias != nil {
			alias = n.Alias.Aliasname
			if len(n.Alias.Colnames) > 0 {
				w.f.stars = append(w.f.stars, starRef{qualifier: alias, offset: int(n.Location), aliasList: true})
			}
		}
		schema := n.Schemaname
		if n.Catalogname != "" {
			schema = n.Catalogname + "." + n.Schemaname
		}
		w.f.addTable(tableRef{schema: schema, name: n.Relname, alias: alias, offset: int(n.Location)})
	case *pg.ColumnRef:
		w.column(n)
	case *pg.JoinExpr:
		if n.Alias != nil && len(n.Alias.Colnames) > 0 {
			// (a JOIN b) AS j(x, y, z) renames the columns of both sides.
			w.f.stars = append(w.f.stars, starRef{offset: -1, aliasList: true})
		}
		for _, u := range n.UsingClause {
			w.f.columns = append(w.f.columns, columnRef{name: u.GetString_().GetSval(), offset: -1})
		}
		if n.IsNatural {
			// NATURAL joins on every same-named column, hidden ones included.
			w.f.stars = append(w.f.stars, starRef{offset: -1})
		}
	case *pg.RangeTableSample:
		for _, m := range n.Method {
			if name := strings.ToLower(m.GetString_().GetSval()); name != "system" && name != "bernoulli" {
				return refuse(RuleFunction, name, int(n.Location),
					"TABLESAMPLE method %s is not allowed; use SYSTEM or BERNOULLI", name)
			}
		}
	default:
		name := string(m.ProtoReflect().Descriptor().Name())
		if strings.HasSuffix(name, "Stmt") {
			return refuse(RuleDataModifyingCTE, pgStatementName(name), -1,
				"a nested %s statement is not allowed; use only SELECT", pgStatementName(name))
		}
	}
	return nil
}

func lockName(s pg.LockClauseStrength) string {
	switch s {
	case pg.LockClauseStrength_LCS_FORKEYSHARE:
		return "KEY SHARE"
	case pg.LockClauseStrength_LCS_FORSHARE:
		return "SHARE"
	case pg.LockClauseStrength_LCS_FORNOKEYUPDATE:
		return "NO KEY UPDATE"
	}
	return "UPDATE"
}

func (w *pgWalker) function(n *pg.FuncCall) *refusal {
	var parts []string
	for _, p := range n.Funcname {
		parts = append(parts, p.GetString_().GetSval())
	}
	name := strings.Join(parts, ".")
	switch {
	case len(parts) == 1:
	case len(parts) == 2 && strings.EqualFold(parts[0], "pg_catalog"):
		name = parts[1]
	default:
		return refuse(RuleFunction, name, int(n.Location),
			"function %s is not allowed in read-only queries; only built-in functions may be called", name)
	}
	return w.g.function(name, int(n.Location))
}

func (w *pgWalker) column(n *pg.ColumnRef) {
	var names []string
	star := false
	for _, f := range n.Fields {
		if f.GetAStar() != nil {
			star = true
			continue
		}
		names = append(names, f.GetString_().GetSval())
	}
	if star {
		q := ""
		if len(names) > 0 {
			q = names[len(names)-1]
		}
		w.f.stars = append(w.f.stars, starRef{qualifier: q, offset: int(n.Location)})
		return
	}
	if len(names) == 0 {
		return
	}
	c := columnRef{name: names[len(names)-1], offset: int(n.Location)}
	if len(names) > 1 {
		c.qualifier = names[len(names)-2]
	}
	w.f.columns = append(w.f.columns, c)
}
