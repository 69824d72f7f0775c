package sqlguard

import (
	pg "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/askdb/askdb/internal/catalog"
)

// pgRewriteRows replaces, in the protobuf parse tree, each RangeVar that
// names a filtered table by a RangeSubselect of the filtered table under
// the same alias (column alias list included), and deparses the tree.
func pgRewriteRows(text string, fs []boundFilter) (string, *refusal) {
	tree, err := pg.Parse(text)
	if err != nil {
		return "", refuse(RuleParse, "", -1, "SQL syntax error: %v; fix the query", err)
	}
	r := pgEachRow(tree, fs, func(m protoreflect.Message) (bool, *refusal) {
		var r *refusal
		switch n := m.Interface().(type) {
		case *pg.Node:
			rv := n.GetRangeVar()
			if rv == nil {
				return true, nil
			}
			f := findFilter(fs, rv.Schemaname, rv.Relname)
			if f == nil {
				return false, nil
			}
			var sub *pg.Node
			if sub, r = pgFilteredSubquery(rv, f); r != nil {
				return false, r
			}
			alias := rv.Alias
			if alias == nil {
				alias = &pg.Alias{Aliasname: rv.Relname}
			}
			n.Node = &pg.Node_RangeSubselect{RangeSubselect: &pg.RangeSubselect{Subquery: sub, Alias: alias}}
			return false, nil
		}
		return true, nil
	})
	if r != nil {
		return "", r
	}
	out, err := pg.Deparse(tree)
	if err != nil {
		return "", refuse(RuleRowFilter, "", -1, "the row filters could not be applied (%v); simplify the query", err)
	}
	return out, nil
}

// pgFilteredSubquery parses SELECT <cols> FROM [ONLY] "schema"."table"
// WHERE <filter> into a SelectStmt node.
func pgFilteredSubquery(rv *pg.RangeVar, f *boundFilter) (*pg.Node, *refusal) {
	table := quoteIdent(catalog.Postgres, rv.Relname)
	if rv.Schemaname != "" {
		table = quoteIdent(catalog.Postgres, rv.Schemaname) + "." + table
	}
	if rv.Catalogname != "" {
		table = quoteIdent(catalog.Postgres, rv.Catalogname) + "." + table
	}
	if !rv.Inh {
		table = "ONLY " + table
	}
	tree, err := pg.Parse("SELECT " + f.cols + " FROM " + table + " WHERE " + f.where)
	if err != nil || len(tree.Stmts) != 1 {
		return nil, refuse(RuleRowFilter, f.name, -1, "the row filter on %s is not a valid condition (%v)", f.name, err)
	}
	return tree.Stmts[0].Stmt, nil
}

// pgVerifyRows re-parses the rewritten SQL and checks that every RangeVar
// naming a filtered table is the only FROM item of a SELECT whose WHERE
// deparses to exactly the filter.
func pgVerifyRows(text string, fs []boundFilter) *refusal {
	tree, err := pg.Parse(text)
	if err != nil {
		return refuse(RuleParse, "", -1, "SQL syntax error: %v", err)
	}
	wheres := map[*boundFilter]string{}
	for i := range fs {
		w, err := pg.Parse("SELECT 1 WHERE " + fs[i].where)
		if err != nil || len(w.Stmts) != 1 {
			return refuse(RuleRowFilter, fs[i].name, -1, "the row filter on %s is not a valid condition", fs[i].name)
		}
		wheres[&fs[i]] = pgWhereText(w.Stmts[0].Stmt.GetSelectStmt().WhereClause)
	}
	filtered := map[*pg.RangeVar]bool{}
	return pgEachRow(tree, fs, func(m protoreflect.Message) (bool, *refusal) {
		switch n := m.Interface().(type) {
		case *pg.SelectStmt:
			if len(n.FromClause) == 1 && n.WhereClause != nil {
				if rv := n.FromClause[0].GetRangeVar(); rv != nil {
					if f := findFilter(fs, rv.Schemaname, rv.Relname); f != nil && pgWhereText(n.WhereClause) == wheres[f] {
						filtered[rv] = true
					}
				}
			}
		case *pg.RangeVar:
			if findFilter(fs, n.Schemaname, n.Relname) != nil && !filtered[n] {
				return false, unfiltered(n.Schemaname, n.Relname)
			}
		}
		return true, nil
	})
}

// pgEachRow walks tree with visit (descending while it returns true) and
// returns the first refusal: visit's, or a CTE named like a filtered table.
func pgEachRow(tree *pg.ParseResult, fs []boundFilter, visit func(protoreflect.Message) (bool, *refusal)) *refusal {
	var r *refusal
	pgEach(tree.ProtoReflect(), func(m protoreflect.Message) bool {
		if r != nil {
			return false
		}
		if cte, ok := m.Interface().(*pg.CommonTableExpr); ok {
			if r = cteShadows(fs, cte.Ctename); r != nil {
				return false
			}
		}
		var descend bool
		descend, r = visit(m)
		return descend && r == nil
	})
	return r
}

// pgWhereText deparses a condition on its own, for comparing filters
// regardless of node locations.
func pgWhereText(where *pg.Node) string {
	one := &pg.Node{Node: &pg.Node_ResTarget{ResTarget: &pg.ResTarget{Val: &pg.Node{Node: &pg.Node_AConst{AConst: &pg.A_Const{Val: &pg.A_Const_Ival{Ival: &pg.Integer{Ival: 1}}}}}}}}
	sel := &pg.SelectStmt{TargetList: []*pg.Node{one}, WhereClause: where}
	out, err := pg.Deparse(&pg.ParseResult{Stmts: []*pg.RawStmt{{Stmt: &pg.Node{Node: &pg.Node_SelectStmt{SelectStmt: sel}}}}})
	if err != nil {
		return "\x00unprintable"
	}
	return out
}

// pgEach calls visit on m and, while visit returns true, on every message
// below it, parents first.
func pgEach(m protoreflect.Message, visit func(protoreflect.Message) bool) {
	if !visit(m) {
		return
	}
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		if fd.Kind() != protoreflect.MessageKind && fd.Kind() != protoreflect.GroupKind {
			return true
		}
		switch {
		case fd.IsList():
			l := v.List()
			for i := 0; i < l.Len(); i++ {
				pgEach(l.Get(i).Message(), visit)
			}
		case fd.IsMap():
		default:
			pgEach(v.Message(), visit)
		}
		return true
	})
}
