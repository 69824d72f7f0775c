package sqlguard

import (
	"strings"

	"github.com/antlr/antlr4/runtime/Go/antlr"

	tp "github.com/askdb/askdb/internal/sqlguard/trinoparser"
)

// trinoWalker visits every node of a Trino query's parse tree. Each node
// type must be listed in enter: anything else, including every statement
// and clause that is not part of a query, is refused.
type trinoWalker struct {
	g *guard
	f *facts
	t trinoText
	// chains are dotted names (a.b, s.t.c, col.field), resolved into
	// column references once every table of the query is known.
	chains []trinoChain
}

type trinoChain struct {
	names  []string
	offset int
}

// walk checks n and then its children, depth first.
func (w *trinoWalker) walk(n antlr.Tree) *refusal {
	ctx, ok := n.(antlr.ParserRuleContext)
	if !ok {
		return nil // a token: what it may be is decided by the rule around it
	}
	descend, r := w.enter(ctx)
	if r != nil || !descend {
		return r
	}
	for _, c := range ctx.GetChildren() {
		if r := w.walk(c); r != nil {
			return r
		}
	}
	w.leave(ctx)
	return nil
}

// leave closes query scopes and puts a CTE name in force once its body
// has been walked.
func (w *trinoWalker) leave(n antlr.ParserRuleContext) {
	switch n := n.(type) {
	case *tp.QueryContext:
		w.f.popScope()
	case *tp.NamedQueryContext:
		if name, ok := trinoIdent(n.GetName()); ok {
			w.f.defineCTE(name)
		}
	}
}

// enter checks one node. descend is false when enter has handled the
// node's children itself.
func (w *trinoWalker) enter(n antlr.ParserRuleContext) (descend bool, r *refusal) {
	switch n := n.(type) {
	case *tp.RootQueryContext:
		if n.WithFunction() != nil {
			return false, refuse(RuleFunction, "WITH FUNCTION", w.t.start(n),
				"inline function definitions (WITH FUNCTION) are not allowed; use built-in functions only")
		}
	case *tp.QueryContext:
		w.f.pushScope()
	case *tp.WithContext:
		if n.RECURSIVE_() != nil {
			for _, q := range n.AllNamedQuery() {
				if name, ok := trinoIdent(q.(*tp.NamedQueryContext).GetName()); ok {
					w.f.defineCTE(name)
				}
			}
		}
	case *tp.RowCountContext:
		if n.QUESTION_MARK_() != nil {
			return false, trinoParameter(w.t.start(n))
		}
	case *tp.TableContext: // TABLE t, which is SELECT * FROM t
		ref, r := w.table(n.QualifiedName(), "", w.t.start(n))
		if r != nil {
			return false, r
		}
		w.f.addTable(ref)
		w.f.stars = append(w.f.stars, starRef{qualifier: ref.name, offset: ref.offset})
	case *tp.TableNameContext:
		return true, w.tableName(n)
	case *tp.SelectAllContext:
		w.selectAll(n)
	case *tp.JoinRelationContext:
		if n.NATURAL_() != nil {
			w.f.stars = append(w.f.stars, starRef{offset: w.t.start(n)})
		}
	case *tp.GroupingOperationContext:
		// GROUPING(a, t.b) names columns without column references.
		for _, q := range n.AllQualifiedName() {
			if parts, ok := trinoQualified(q); ok {
				w.chains = append(w.chains, trinoChain{names: parts, offset: w.t.start(n)})
			}
		}
		return true, w.g.function("grouping", w.t.start(n))
	case *tp.JoinCriteriaContext:
		// USING (c, ...) reads column c of both sides.
		for _, id := range n.AllIdentifier() {
			if name, ok := trinoIdent(id); ok {
				w.f.columns = append(w.f.columns, columnRef{name: name, offset: w.t.start(n)})
			}
		}
	case *tp.PatternRecognitionContext:
		if n.MATCH_RECOGNIZE_() != nil {
			return false, refuse(RuleNotQuery, "MATCH_RECOGNIZE", w.t.offset(n.MATCH_RECOGNIZE_().GetSymbol().GetStart()),
				"MATCH_RECOGNIZE is not supported by the SQL guard; express the pattern with window functions")
		}
	case *tp.TableFunctionInvocationContext:
		return false, w.tableFunction(n)
	case *tp.FunctionCallContext:
		return true, w.functionCall(n)
	case *tp.DereferenceContext:
		if field, _ := trinoIdent(n.GetFieldName()); strings.HasPrefix(field, "$") {
			return false, trinoHiddenColumn(field, w.t.start(n))
		}
		if names, ok := trinoDotted(n); ok {
			w.chains = append(w.chains, trinoChain{names: names, offset: w.t.start(n)})
			return false, nil
		}
	case *tp.ColumnReferenceContext:
		return true, w.column(n)
	case *tp.ParameterContext:
		return false, trinoParameter(w.t.start(n))
	case *tp.BackQuotedIdentifierContext:
		return false, refuse(RuleParse, n.GetText(), w.t.start(n),
			"Trino does not accept backquoted identifiers; quote the name with double quotes")
	case *tp.DigitIdentifierContext:
		return false, refuse(RuleParse, n.GetText(), w.t.start(n),
			"Trino does not accept identifiers that start with a digit; quote the name with double quotes")
	default:
		if name, ok := trinoCallName(n); ok {
			return true, w.g.function(name, w.t.start(n))
		}
		if !trinoAllowed(n) {
			name := trinoNodeName(n)
			return false, refuse(RuleNotQuery, name, w.t.start(n),
				"%s is not allowed in a read-only query; rewrite it as a plain SELECT", name)
		}
	}
	return true, nil
}

func trinoParameter(offset int) *refusal {
	return refuse(RuleVariable, "?", offset, "query parameters (?) cannot be bound here; write the value as a literal")
}

// table turns a qualified table name into a reference. Trino names a table
// [catalog.][schema.]table; the policy and Verdict.Tables use schema.table,
// and a table of the system catalog is a system catalog.
func (w *trinoWalker) table(q tp.IQualifiedNameContext, alias string, offset int) (tableRef, *refusal) {
	parts, ok := trinoQualified(q)
	if !ok {
		return tableRef{}, nil // the walk refuses the identifier itself
	}
	ref := tableRef{name: parts[len(parts)-1], alias: alias, offset: offset}
	switch len(parts) {
	case 1:
	case 2:
		ref.schema = parts[0]
	case 3:
		ref.schema = parts[1]
		if strings.EqualFold(parts[0], "system") && !w.g.pol.allowSys {
			name := strings.Join(parts, ".")
			return ref, refuse(RuleSystemCatalog, name, offset,
				"table %s is in Trino's system catalog and may not be queried; query the application's own tables instead", name)
		}
	default:
		name := strings.Join(parts, ".")
		return ref, refuse(RuleParse, name, offset, "table name %s has too many parts; write [catalog.][schema.]table", name)
	}
	return ref, nil
}

// tableName records a table read in FROM, under the alias its aliased
// relation gives it; a column alias list renames its columns by position,
// which exposes them as a star does.
func (w *trinoWalker) tableName(n *tp.TableNameContext) *refusal {
	alias := ""
	var aliases tp.IColumnAliasesContext
	if ar, ok := n.GetParent().(*tp.AliasedRelationContext); ok && ar.Identifier() != nil {
		alias, _ = trinoIdent(ar.Identifier())
		aliases = ar.ColumnAliases()
	}
	ref, r := w.table(n.QualifiedName(), alias, w.t.start(n))
	if r != nil {
		return r
	}
	w.f.addTable(ref)
	if aliases != nil {
		w.f.stars = append(w.f.stars, starRef{qualifier: alias, offset: ref.offset, aliasList: true})
	}
	return nil
}

// selectAll records * and q.*, whose qualifier is a table, an alias or a
// row-typed column.
func (w *trinoWalker) selectAll(n *tp.SelectAllContext) {
	s := starRef{offset: w.t.start(n), aliasList: n.ColumnAliases() != nil}
	if pe := n.PrimaryExpression(); pe != nil {
		if names, ok := trinoDottedExpr(pe); ok {
			s.qualifier = names[len(names)-1]
		} else {
			s.qualifier = "\x00" // an expression: no table's name, so every table
		}
	}
	w.f.stars = append(w.f.stars, s)
}

// tableFunction refuses TABLE(...) in FROM. Trino's table functions read
// through a connector on their own terms: system.query and raw_query run
// the text they are given on the remote database, unchecked, and
// exclude_columns returns every column of a table but the ones it names.
func (w *trinoWalker) tableFunction(n *tp.TableFunctionInvocationContext) *refusal {
	call := n.TableFunctionCall().(*tp.TableFunctionCallContext)
	parts, _ := trinoQualified(call.QualifiedName())
	name := strings.ToLower(strings.Join(parts, "."))
	offset := w.t.start(n)
	if len(parts) == 0 {
		name = call.QualifiedName().GetText()
		parts = []string{name}
	}
	switch strings.ToLower(parts[len(parts)-1]) {
	case "query", "raw_query":
		return refuse(RuleFunction, name, offset,
			"table function %s sends its text to the connected database unchecked; write the query in Trino SQL against the catalog's tables", name)
	case "exclude_columns":
		return refuse(RuleFunction, name, offset,
			"table function %s is not allowed: it exposes every column of its input but the ones it names; list the columns you need", name)
	}
	return refuse(RuleFunction, name, offset,
		"table function %s (TABLE(...) in FROM) is not allowed in read-only queries; read tables or UNNEST arrays instead", name)
}

// functionCall checks an ordinary call f(...): only a built-in, named
// without a catalog or schema, on the allowlist.
func (w *trinoWalker) functionCall(n *tp.FunctionCallContext) *refusal {
	offset := w.t.start(n)
	if n.ProcessingMode() != nil {
		return refuse(RuleNotQuery, "RUNNING", offset, "RUNNING and FINAL belong to MATCH_RECOGNIZE, which the SQL guard does not support")
	}
	if label := n.GetLabel(); label != nil {
		// f(q.*) passes every column of q, as q.* does.
		q, _ := trinoIdent(label)
		w.f.stars = append(w.f.stars, starRef{qualifier: q, offset: offset})
	}
	parts, ok := trinoQualified(n.QualifiedName())
	if !ok {
		return nil
	}
	if len(parts) > 1 {
		name := strings.Join(parts, ".")
		return refuse(RuleFunction, name, offset,
			"function %s is not allowed in read-only queries; only built-in functions may be called, by their bare name", name)
	}
	return w.g.function(parts[0], offset)
}

// column records a bare column reference.
func (w *trinoWalker) column(n *tp.ColumnReferenceContext) *refusal {
	name, ok := trinoIdent(n.Identifier())
	if !ok {
		return nil
	}
	if strings.HasPrefix(name, "$") {
		return trinoHiddenColumn(name, w.t.start(n))
	}
	w.f.columns = append(w.f.columns, columnRef{name: name, offset: w.t.start(n)})
	return nil
}

// trinoHiddenColumn refuses a connector's hidden column ("$path",
// "$file_size", "$partition"): they expose storage locations and metadata.
func trinoHiddenColumn(name string, offset int) *refusal {
	return refuse(RuleSystemCatalog, name, offset,
		"column %s is a hidden connector column (storage metadata) and may not be read; query the table's own columns", name)
}

// resolveChains turns each dotted name into the column references it can
// be, given the tables the query reads: q.c for the first two names, c for
// the first when it names no table (col.field), and t.c for s.t.c and
// c.s.t.c. Reading it every way it can be read can only add refusals.
func (w *trinoWalker) resolveChains() {
	for _, c := range w.chains {
		n := c.names
		if len(n) == 1 {
			w.f.columns = append(w.f.columns, columnRef{name: n[0], offset: c.offset})
			continue
		}
		w.f.columns = append(w.f.columns, columnRef{qualifier: n[0], name: n[1], offset: c.offset})
		if !w.f.knownQualifier(n[0]) {
			w.f.columns = append(w.f.columns, columnRef{name: n[0], offset: c.offset})
		}
		for i := 1; i+1 < len(n) && i <= 2; i++ {
			if w.f.knownQualifier(n[i]) {
				w.f.columns = append(w.f.columns, columnRef{qualifier: n[i], name: n[i+1], offset: c.offset})
			}
		}
	}
}

// trinoDotted reads a.b.c, a dereference chain over a column reference.
// It fails on anything else (f(x).y, (q).y), whose parts the walk visits.
func trinoDotted(n *tp.DereferenceContext) ([]string, bool) {
	field, ok := trinoIdent(n.GetFieldName())
	if !ok || strings.HasPrefix(field, "$") {
		return nil, false
	}
	base, ok := trinoDottedExpr(n.GetBase_())
	if !ok || strings.HasPrefix(base[0], "$") {
		return nil, false
	}
	return append(base, field), true
}

func trinoDottedExpr(pe tp.IPrimaryExpressionContext) ([]string, bool) {
	switch e := pe.(type) {
	case *tp.ColumnReferenceContext:
		name, ok := trinoIdent(e.Identifier())
		return []string{name}, ok
	case *tp.DereferenceContext:
		return trinoDotted(e)
	}
	return nil, false
}

// trinoQualified reads the parts of a qualified name; it fails when a part
// is an identifier Trino refuses (the walk then refuses it).
func trinoQualified(q tp.IQualifiedNameContext) ([]string, bool) {
	qn, ok := q.(*tp.QualifiedNameContext)
	if !ok {
		return nil, false
	}
	var parts []string
	for _, id := range qn.AllIdentifier() {
		s, ok := trinoIdent(id)
		if !ok {
			return nil, false
		}
		parts = append(parts, s)
	}
	return parts, len(parts) > 0
}

// trinoIdent is an identifier's name: unquoted as written, or the text
// between double quotes with "" read as ". Backquoted and digit-first
// identifiers, which Trino refuses, fail.
func trinoIdent(id tp.IIdentifierContext) (string, bool) {
	switch n := id.(type) {
	case *tp.UnquotedIdentifierContext:
		return n.GetText(), true
	case *tp.QuotedIdentifierContext:
		s := n.GetText()
		return strings.ReplaceAll(s[1:len(s)-1], `""`, `"`), true
	}
	return "", false
}
