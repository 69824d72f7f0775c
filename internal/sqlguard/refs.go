package sqlguard

import (
	"reflect"
	"strings"

	sqlite "github.com/rqlite/sql"

	"github.com/askdb/askdb/internal/catalog"
)

// Refs are what a query names, as the guard's own parse of it finds them:
// the stored tables it reads, the column references, and the constants it
// compares with a column. Evaluations use them to score prompts against
// gold SQL without tokenising SQL themselves.
type Refs struct {
	// Tables are the stored tables read, CTE names left out, in query order.
	Tables []TableRef
	// Columns are column references, qualified or bare, in query order. A
	// bare name may be a SELECT alias or, in SQLite, a double-quoted string.
	Columns []ColumnRef
	// Literals are the string and number constants compared with a column
	// (=, <>, <, <=, >, >=, LIKE, GLOB, IN, BETWEEN). Only SQLite queries
	// report them for now; other dialects leave this empty.
	Literals []Literal
}

// TableRef is one table a query reads; Alias is empty when it has none.
type TableRef struct{ Schema, Name, Alias string }

// ColumnRef is one column reference; Qualifier is the table name or alias
// written before it, empty for a bare name.
type ColumnRef struct{ Qualifier, Name string }

// Literal is a constant compared with Column.
type Literal struct {
	Value  string
	Number bool
	// Pattern is set for LIKE and GLOB, whose Value holds wildcards.
	Pattern bool
	// Quoted is set for a double-quoted name in a value position, which
	// SQLite reads as a string when no column has that name (Spider's
	// name = "France").
	Quoted bool
	Column ColumnRef
}

// References parses sql with the dialect's parser, as Check does, and
// returns what it names. A query Check would refuse for its form (not a
// single query, a parse error, a disallowed function) is an error, a
// *Rejection; no policy or row limit applies.
func References(sql string, d catalog.Dialect) (Refs, error) {
	var refs Refs
	err := func() (err error) {
		defer func() {
			if p := recover(); p != nil {
				err = Verdict{Rule: RuleParse, Message: "the SQL could not be parsed safely"}.Err()
			}
		}()
		g := newGuard(Options{Dialect: d})
		res, text, r := g.parse(sql)
		if r != nil {
			return rejection(text, r).Err()
		}
		for _, t := range res.facts.tables {
			if t.cte || t.alias == "" && aliasedJustBefore(refs.Tables, t) {
				continue
			}
			refs.Tables = append(refs.Tables, TableRef{Schema: t.schema, Name: t.name, Alias: t.alias})
		}
		for _, c := range res.facts.columns {
			refs.Columns = append(refs.Columns, ColumnRef{Qualifier: c.qualifier, Name: c.name})
		}
		if d == catalog.SQLite {
			refs.Literals = sqliteLiterals(text)
		}
		return nil
	}()
	return refs, err
}

// aliasedJustBefore reports whether the last table recorded is t with an
// alias: the MySQL walker records an aliased table a second time, bare,
// from its TableName node.
func aliasedJustBefore(tables []TableRef, t tableRef) bool {
	if len(tables) == 0 {
		return false
	}
	last := tables[len(tables)-1]
	return last.Alias != "" && strings.EqualFold(last.Name, t.name) && strings.EqualFold(last.Schema, t.schema)
}

// sqliteLiterals reparses the checked text (which already parsed) and
// collects the constants compared with a column, anywhere in the query.
func sqliteLiterals(text string) []Literal {
	stmt, r := parseSQLiteOne(blankCollations(text))
	if r != nil {
		return nil
	}
	v := &literalVisitor{}
	v.walk(reflect.ValueOf(stmt))
	return v.out
}

type literalVisitor struct{ out []Literal }

// walk visits every node, as the guard's walker does; rqlite/sql's own
// Walk skips CTEs and subqueries.
func (v *literalVisitor) walk(x reflect.Value) {
	switch x.Kind() {
	case reflect.Interface:
		if !x.IsNil() {
			v.walk(x.Elem())
		}
	case reflect.Pointer:
		if x.IsNil() {
			return
		}
		if b, ok := x.Interface().(*sqlite.BinaryExpr); ok {
			v.compare(b)
		}
		v.walk(x.Elem())
	case reflect.Slice:
		for i := 0; i < x.Len(); i++ {
			v.walk(x.Index(i))
		}
	case reflect.Struct:
		if x.Type() == sqlitePosTy {
			return
		}
		for _, i := range sqliteNodeFields(x.Type()) {
			v.walk(x.Field(i))
		}
	}
}

// compare records the values of a comparison between a column and
// constants. A double-quoted name is a column only when the other side is
// a plain constant: SQLite reads "France" as a string unless a column has
// that name, and the guard quotes keywords used as names ("temp").
func (v *literalVisitor) compare(b *sqlite.BinaryExpr) {
	if !comparison[b.Op] {
		return
	}
	pattern := b.Op == sqlite.LIKE || b.Op == sqlite.NOTLIKE || b.Op == sqlite.GLOB || b.Op == sqlite.NOTGLOB
	for _, side := range [2][2]sqlite.Expr{{b.X, b.Y}, {b.Y, b.X}} {
		if col, quoted, ok := columnOf(side[0]); ok && (!quoted || isConstant(side[1])) {
			v.addValues(col, side[1], pattern)
			return
		}
	}
}

func isConstant(e sqlite.Expr) bool {
	switch e := e.(type) {
	case *sqlite.StringLit, *sqlite.NumberLit:
		return true
	case *sqlite.UnaryExpr:
		_, ok := e.X.(*sqlite.NumberLit)
		return ok
	case *sqlite.ParenExpr:
		return isConstant(e.X)
	}
	return false
}

// addValues records the constants of a value expression: one literal, a
// parenthesised list (IN) or a range (BETWEEN).
func (v *literalVisitor) addValues(col ColumnRef, e sqlite.Expr, pattern bool) {
	switch e := e.(type) {
	case *sqlite.ParenExpr:
		v.addValues(col, e.X, pattern)
	case *sqlite.ExprList:
		for _, x := range e.Exprs {
			v.addValues(col, x, pattern)
		}
	case *sqlite.Range:
		v.addValues(col, e.X, pattern)
		v.addValues(col, e.Y, pattern)
	case *sqlite.BinaryExpr:
		// rqlite/sql parses "a BETWEEN 1 AND 10 AND b > 2" as a range from
		// (1 AND 10) to (b > 2); the bounds are the AND's operands.
		if e.Op == sqlite.AND {
			v.addValues(col, e.X, pattern)
			v.addValues(col, e.Y, pattern)
		}
	case *sqlite.StringLit:
		v.out = append(v.out, Literal{Value: e.Value, Pattern: pattern, Column: col})
	case *sqlite.NumberLit:
		v.out = append(v.out, Literal{Value: e.Value, Number: true, Column: col})
	case *sqlite.UnaryExpr:
		if n, ok := e.X.(*sqlite.NumberLit); ok && e.Op == sqlite.MINUS {
			v.out = append(v.out, Literal{Value: "-" + n.Value, Number: true, Column: col})
		}
	case *sqlite.Ident:
		if e.Quoted && !strings.EqualFold(e.Name, col.Name) {
			v.out = append(v.out, Literal{Value: e.Name, Pattern: pattern, Quoted: true, Column: col})
		}
	}
}

// comparison are the operators whose one side is a column and the other a
// value the column holds.
var comparison = map[sqlite.Token]bool{
	sqlite.EQ: true, sqlite.NE: true, sqlite.LT: true, sqlite.LE: true, sqlite.GT: true, sqlite.GE: true,
	sqlite.LIKE: true, sqlite.NOTLIKE: true, sqlite.GLOB: true, sqlite.NOTGLOB: true,
	sqlite.IN: true, sqlite.NOTIN: true, sqlite.BETWEEN: true, sqlite.NOTBETWEEN: true,
}

// columnOf reads a column reference; quoted is set for a double-quoted
// bare name, which may be a value instead.
func columnOf(e sqlite.Expr) (col ColumnRef, quoted, ok bool) {
	switch e := e.(type) {
	case *sqlite.Ident:
		return ColumnRef{Name: e.Name}, e.Quoted, true
	case *sqlite.QualifiedRef:
		if e.Column != nil && !e.Star.IsValid() {
			return ColumnRef{Qualifier: sqlite.IdentName(e.Table), Name: sqlite.IdentName(e.Column)}, false, true
		}
	case *sqlite.ParenExpr:
		return columnOf(e.X)
	}
	return ColumnRef{}, false, false
}
