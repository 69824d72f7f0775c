package sqlguard

import (
	"cmp"
	"errors"
	"slices"
	"strconv"
	"strings"
	"unicode"

	pg "github.com/pganalyze/pg_query_go/v6"
	pgparser "github.com/pganalyze/pg_query_go/v6/parser"

	"github.com/askdb/askdb/internal/catalog"
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

// checkPostgres parses with PostgreSQL's own parser (libpg_query) and walks
// its JSON parse tree (see pgtree.go for why JSON). DuckDB uses the same
// first layer with its own function allowlist (see doc.go).
func checkPostgres(sql string, g *guard) (*result, *refusal) {
	text := trimSQL(sql)
	if r := complexity(text, pgLexer); r != nil {
		return nil, r
	}
	if off := pgBackslashQuote(text); off >= 0 {
		return nil, refuse(RuleStringEscape, "\\'", off,
			"a string literal has a backslash before a quote, which PostgreSQL reads differently when standard_conforming_strings is off; write the backslash in an escape string (E'\\\\') or with chr(92)")
	}
	tree, r := pgParse(text)
	if r != nil {
		return nil, r
	}
	stmts := slices.Collect(tree.get("stmts").items())
	switch len(stmts) {
	case 0:
		return nil, refuse(RuleEmpty, "", -1, "the SQL holds no statement; write one SELECT query")
	case 1:
	default:
		return nil, refuse(RuleMultipleStatements, ";", stmts[1].int("stmt_location"),
			"only one statement is allowed, but the SQL holds %d; send a single SELECT", len(stmts))
	}
	kind, sel := stmts[0].get("stmt").node()
	if kind != "SelectStmt" {
		name := pgStatementName(kind)
		return nil, refuse(RuleNotQuery, name, 0, "only a single SELECT query is allowed, not %s; rewrite it as a SELECT", name)
	}
	types := pgTypes()
	w := &pgWalker{g: g, f: newFacts(), node: types["Node"]}
	if r := w.message(types["SelectStmt"], sel); r != nil {
		return nil, r
	}
	if r := w.attributes(); r != nil {
		return nil, r
	}
	out, limited, r := pgLimit(text, stmts[0], sel, g.opts.MaxRows)
	if r != nil {
		return nil, r
	}
	return &result{sql: out, limited: limited, facts: w.f}, nil
}

// pgParse parses text into libpg_query's JSON parse tree, turning a syntax
// error into a refusal at the parser's position.
func pgParse(text string) (jsonValue, *refusal) {
	out, err := pg.ParseToJSON(text)
	if err != nil {
		r := &refusal{rule: RuleParse, offset: -1, msg: "SQL syntax error: " + err.Error() + "; fix the query"}
		var pe *pgparser.Error
		if errors.As(err, &pe) && pe.Cursorpos > 0 {
			r.offset = pe.Cursorpos - 1
			r.construct = wordAt(text, r.offset)
		}
		return jsonValue{}, r
	}
	tree, err := parseJSON(out)
	if err != nil {
		return jsonValue{}, refuse(RuleTooComplex, "", -1, "the query could not be read safely (%v); simplify it", err)
	}
	return tree, nil
}

// pgWalker visits every member of every message in the parse tree.
type pgWalker struct {
	g    *guard
	f    *facts
	node *pgType // pg_query.Node, for the CTEs of a WITH clause
	// tableFuncs holds the locations of the calls in FROM (RangeFunction),
	// which DuckDB reads as table functions.
	tableFuncs map[int]bool
}

func (w *pgWalker) message(t *pgType, v jsonValue) *refusal {
	if v.kind() != jsonObject {
		return unexpectedTree(t.name, "")
	}
	if t.node {
		if v.len() == 0 {
			return nil // a NULL in a list, as in SELECT DISTINCT's [{}]
		}
		kind, inner := v.node()
		f, ok := t.fields[kind]
		if !ok || f.typ == nil {
			return unexpectedTree(t.name, kind)
		}
		return w.message(f.typ, inner)
	}
	if r := w.visit(t.name, v); r != nil {
		return r
	}
	isSelect := t.name == "SelectStmt"
	if isSelect {
		// A query's CTEs come into scope one by one, before its body.
		w.f.pushScope()
		defer w.f.popScope()
		if r := w.with(v.get("withClause")); r != nil {
			return r
		}
	}
	for key, m := range v.members() {
		if k := m.kind(); k != jsonObject && k != jsonArray {
			continue // a scalar holds no more of the tree
		}
		f, ok := t.fields[key]
		switch {
		case !ok:
			return unexpectedTree(t.name, key)
		case f.typ == nil, isSelect && key == "withClause":
		case f.list:
			if m.kind() != jsonArray {
				return unexpectedTree(t.name, key)
			}
			for item := range m.items() {
				if r := w.message(f.typ, item); r != nil {
					return r
				}
			}
		default:
			if r := w.message(f.typ, m); r != nil {
				return r
			}
		}
	}
	return nil
}

// unexpectedTree refuses a tree that does not match the parser's schema.
// It cannot happen with a matching libpg_query; it fails closed if it does.
func unexpectedTree(typ, key string) *refusal {
	return refuse(RuleParse, key, -1,
		"the parse tree holds %s.%s, which the guard does not know; rewrite the query more simply", typ, key)
}

// with walks a WITH clause, putting each CTE name in force after its body
// (or before all bodies for WITH RECURSIVE).
func (w *pgWalker) with(wc jsonValue) *refusal {
	if wc.kind() == jsonNull {
		return nil
	}
	ctes := wc.get("ctes").items()
	if wc.bool("recursive") {
		for c := range ctes {
			_, cte := c.node()
			w.f.defineCTE(cte.str("ctename"))
		}
	}
	for c := range ctes {
		if r := w.message(w.node, c); r != nil {
			return r
		}
		_, cte := c.node()
		w.f.defineCTE(cte.str("ctename"))
	}
	return nil
}

// pgLimit adds or tightens the outer LIMIT, editing the author's text at the
// parse tree's own positions so that formatting and comments are kept. The
// text is first cut at the statement's parsed end, dropping a trailing ";"
// and anything after it. Other shapes edit the tree and deparse it.
func pgLimit(text string, raw, sel jsonValue, max int) (string, bool, *refusal) {
	if max <= 0 {
		return text, false, nil
	}
	if loc, n := raw.int("stmt_location"), raw.int("stmt_len"); n > 0 && loc >= 0 && loc+n <= len(text) {
		text = strings.TrimRightFunc(text[:loc+n], unicode.IsSpace)
	}
	if sel.str("limitOption") == "LIMIT_OPTION_WITH_TIES" {
		return pgLimitTree(text, max) // WITH TIES may return more rows than the count
	}
	count := sel.get("limitCount")
	if count.kind() == jsonNull {
		// The walk proved text is one complete SELECT with no LIMIT or FETCH,
		// no locking clause and no INTO. PostgreSQL's grammar accepts
		// "LIMIT n" after exactly such a statement, at its outer level:
		// select_clause [sort_clause] [offset_clause] limit_clause, with or
		// without a leading WITH, and a parenthesised whole binds as one
		// select_clause. LIMIT is a reserved word, so it cannot be read as an
		// alias, and the newline ends a trailing "--" comment. The gold and
		// fuzz tests re-check every rewrite and require this LIMIT in force.
		return text + "\nLIMIT " + strconv.Itoa(max), true, nil
	}
	kind, c := count.node()
	if kind != "A_Const" || !c.has("ival") || c.bool("isnull") {
		return pgLimitTree(text, max)
	}
	v := c.get("ival").int("ival")
	if v >= 0 && v <= max {
		return text, false, nil
	}
	start := c.int("location")
	end := start
	for end < len(text) && text[end] >= '0' && text[end] <= '9' {
		end++
	}
	if start > 0 && end > start {
		if n, err := strconv.Atoi(text[start:end]); err == nil && n == v {
			// The digits at the parsed literal's own position are its whole
			// token; other digits in their place cannot change the tree.
			return text[:start] + strconv.Itoa(max) + text[end:], true, nil
		}
	}
	return pgLimitTree(text, max)
}

// pgLimitTree caps the shapes the text edits do not cover (LIMIT ALL, LIMIT
// NULL, an expression, WITH TIES) by editing the protobuf tree and
// deparsing it, and re-parses the result to prove the cap is in force.
func pgLimitTree(text string, max int) (string, bool, *refusal) {
	tree, err := pg.Parse(text)
	if err != nil || len(tree.Stmts) != 1 || tree.Stmts[0].Stmt.GetSelectStmt() == nil {
		return "", false, refuse(RuleRowLimit, "LIMIT", -1, "the row limit could not be applied (%v); simplify the end of the query", err)
	}
	sel := tree.Stmts[0].Stmt.GetSelectStmt()
	capNode := &pg.Node{Node: &pg.Node_AConst{AConst: &pg.A_Const{Val: &pg.A_Const_Ival{Ival: &pg.Integer{Ival: int32(max)}}, Location: -1}}}
	switch c := sel.LimitCount; {
	case sel.LimitOption == pg.LimitOption_LIMIT_OPTION_WITH_TIES:
		return pgWrap(tree, max)
	case c.GetAConst() != nil && c.GetAConst().Isnull: // LIMIT ALL or LIMIT NULL
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
	tree, r := pgParse(out)
	if r != nil {
		return false
	}
	stmts := slices.Collect(tree.get("stmts").items())
	if len(stmts) != 1 {
		return false
	}
	kind, sel := stmts[0].get("stmt").node()
	if kind != "SelectStmt" || sel.str("limitOption") == "LIMIT_OPTION_WITH_TIES" {
		return false
	}
	kind, c := sel.get("limitCount").node()
	return kind == "A_Const" && c.has("ival") && !c.bool("isnull") && c.get("ival").int("ival") == max
}

func (w *pgWalker) visit(typ string, n jsonValue) *refusal {
	switch typ {
	case "SelectStmt":
		if n.has("intoClause") {
			return refuse(RuleSelectInto, "SELECT INTO", -1, "SELECT ... INTO creates a table and is not allowed; remove the INTO clause")
		}
	case "LockingClause":
		name := lockName(n.str("strength"))
		return refuse(RuleLocking, "FOR "+name, -1, "locking clause FOR %s is not allowed in read-only queries; remove it", name)
	case "CommonTableExpr":
		if q := n.get("ctequery"); q.kind() != jsonNull {
			if kind, _ := q.node(); kind != "SelectStmt" {
				name := pgStatementName(kind)
				return refuse(RuleDataModifyingCTE, name, n.int("location"),
					"the WITH query %q runs %s, which modifies data; use only SELECT in WITH", n.str("ctename"), name)
			}
		}
	case "FuncCall":
		return w.function(n)
	case "RangeVar":
		alias := n.get("alias")
		if alias.get("colnames").len() > 0 {
			w.f.stars = append(w.f.stars, starRef{qualifier: alias.str("aliasname"), offset: n.int("location"), aliasList: true})
		}
		schema := n.str("schemaname")
		if cat := n.str("catalogname"); cat != "" {
			schema = cat + "." + schema
		}
		w.f.addTable(tableRef{schema: schema, name: n.str("relname"), alias: alias.str("aliasname"), offset: n.int("location")})
		w.f.addRange(cmp.Or(alias.str("aliasname"), n.str("relname")))
	case "RangeSubselect", "RangeTableFunc":
		w.f.addRange(n.get("alias").str("aliasname"))
	case "RangeFunction":
		w.f.addRange(cmp.Or(n.get("alias").str("aliasname"), rangeFunctionName(n)))
		for _, call := range rangeFunctionCalls(n) {
			if w.tableFuncs == nil {
				w.tableFuncs = map[int]bool{}
			}
			w.tableFuncs[call.int("location")] = true
		}
	case "A_Indirection":
		for ind := range n.get("indirection").items() {
			if field := pgString(ind); field != "" {
				return fieldSelection("(…)."+field, strings.ToLower(field), -1)
			}
		}
	case "ColumnRef":
		w.column(n)
	case "A_Expr":
		if w.g.opts.Dialect == catalog.DuckDB {
			if r := duckdbLambda(n); r != nil {
				return r
			}
		}
		if k := n.str("kind"); !strings.Contains(k, "BETWEEN") {
			return w.operator(n.get("name"), n.int("location"))
		}
	case "SubLink":
		if n.has("operName") {
			return w.operator(n.get("operName"), n.int("location"))
		}
	case "SortBy":
		if n.has("useOp") {
			return w.operator(n.get("useOp"), n.int("location"))
		}
	case "TypeName":
		return w.typeName(n)
	case "JoinExpr":
		w.f.addRange(n.get("alias").str("aliasname"))
		if n.get("alias").get("colnames").len() > 0 {
			// (a JOIN b) AS j(x, y, z) renames the columns of both sides.
			w.f.stars = append(w.f.stars, starRef{offset: -1, aliasList: true})
		}
		for u := range n.get("usingClause").items() {
			w.f.columns = append(w.f.columns, columnRef{name: pgString(u), offset: -1})
		}
		if n.bool("isNatural") {
			// NATURAL joins on every same-named column, hidden ones included.
			w.f.stars = append(w.f.stars, starRef{offset: -1})
		}
	case "RangeTableSample":
		for m := range n.get("method").items() {
			if name := strings.ToLower(pgString(m)); name != "system" && name != "bernoulli" {
				return refuse(RuleFunction, name, n.int("location"),
					"TABLESAMPLE method %s is not allowed; use SYSTEM or BERNOULLI", name)
			}
		}
	default:
		if strings.HasSuffix(typ, "Stmt") {
			return refuse(RuleDataModifyingCTE, pgStatementName(typ), -1,
				"a nested %s statement is not allowed; use only SELECT", pgStatementName(typ))
		}
	}
	return nil
}

// pgString reads a String node's value.
func pgString(n jsonValue) string {
	if kind, s := n.node(); kind == "String" {
		return s.str("sval")
	}
	return ""
}

func lockName(strength string) string {
	switch strength {
	case "LCS_FORKEYSHARE":
		return "KEY SHARE"
	case "LCS_FORSHARE":
		return "SHARE"
	case "LCS_FORNOKEYUPDATE":
		return "NO KEY UPDATE"
	}
	return "UPDATE"
}

func (w *pgWalker) function(n jsonValue) *refusal {
	parts := pgNames(n.get("funcname"))
	name := strings.Join(parts, ".")
	switch {
	case len(parts) == 1:
	case len(parts) == 2 && strings.EqualFold(parts[0], "pg_catalog"):
		name = parts[1]
	default:
		return refuse(RuleFunction, name, n.int("location"),
			"function %s is not allowed in read-only queries; only built-in functions may be called", name)
	}
	if r := w.g.function(name, n.int("location")); r != nil {
		return r
	}
	if w.g.opts.Dialect == catalog.DuckDB {
		return w.duckdbSize(strings.ToLower(name), n)
	}
	return nil
}

func (w *pgWalker) column(n jsonValue) {
	var names []string
	star := false
	for f := range n.get("fields").items() {
		if kind, _ := f.node(); kind == "A_Star" {
			star = true
			continue
		}
		names = append(names, pgString(f))
	}
	if star {
		q := ""
		if len(names) > 0 {
			q = names[len(names)-1]
		}
		w.f.stars = append(w.f.stars, starRef{qualifier: q, offset: n.int("location")})
		return
	}
	if len(names) == 0 {
		return
	}
	c := columnRef{name: names[len(names)-1], offset: n.int("location")}
	if len(names) > 1 {
		c.qualifier = names[len(names)-2]
		lower := make([]string, len(names))
		for i, s := range names {
			lower[i] = strings.ToLower(s)
		}
		w.f.attrs = append(w.f.attrs, attrRef{names: lower, offset: c.offset})
	}
	w.f.columns = append(w.f.columns, c)
}

// rangeFunctionName is the name PostgreSQL gives an unaliased function in
// FROM: that of its (first) function.
func rangeFunctionName(n jsonValue) string {
	for _, call := range rangeFunctionCalls(n) {
		parts := pgNames(call.get("funcname"))
		if len(parts) > 0 {
			return parts[len(parts)-1]
		}
	}
	return ""
}

// rangeFunctionCalls returns the FuncCall nodes of a RangeFunction.
func rangeFunctionCalls(n jsonValue) []jsonValue {
	var out []jsonValue
	for f := range n.get("functions").items() {
		_, list := f.node()
		for item := range list.get("items").items() {
			if kind, call := item.node(); kind == "FuncCall" {
				out = append(out, call)
			}
		}
	}
	return out
}
