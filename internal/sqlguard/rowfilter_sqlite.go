package sqlguard

import (
	"reflect"
	"sort"
	"strings"

	sqlite "github.com/rqlite/sql"
)

// sqliteRewriteRows splices a filtered subquery over the text of each
// reference to a filtered table. rqlite/sql has no faithful printer, so
// the edit is made on the checked text at the parser's positions.
func sqliteRewriteRows(text string, fs []boundFilter) (string, *refusal) {
	sel, r := sqliteParseChecked(text)
	if r != nil {
		return "", r
	}
	type edit struct {
		start, end int
		with       string
	}
	var edits []edit
	r = sqliteEach(reflect.ValueOf(sel), func(n any) *refusal {
		switch n := n.(type) {
		case *sqlite.CTE:
			return cteShadows(fs, sqlite.IdentName(n.TableName))
		case *sqlite.QualifiedTableName:
			f := findFilter(fs, sqlite.IdentName(n.Schema), sqlite.IdentName(n.Name))
			if f == nil {
				return nil
			}
			if n.Indexed.IsValid() || n.NotIndexed.IsValid() {
				return refuse(RuleRowFilter, n.Name.Name, -1, "INDEXED BY on row-filtered table %s is not allowed; remove it", n.Name.Name)
			}
			start := runeToByte(text, n.Name.NamePos.Offset)
			if n.Schema != nil {
				start = runeToByte(text, n.Schema.NamePos.Offset)
			}
			nameStart := runeToByte(text, n.Name.NamePos.Offset)
			end := sqliteIdentEnd(text, nameStart)
			table, alias := text[start:end], text[nameStart:end]
			if n.Alias != nil {
				as := runeToByte(text, n.Alias.NamePos.Offset)
				end = sqliteIdentEnd(text, as)
				alias = text[as:end]
			}
			edits = append(edits, edit{start, end, "(SELECT " + f.cols + " FROM " + table + " WHERE " + f.where + ") AS " + alias})
		}
		return nil
	})
	if r != nil {
		return "", r
	}
	sort.Slice(edits, func(i, j int) bool { return edits[i].start > edits[j].start })
	for _, e := range edits {
		text = text[:e.start] + e.with + text[e.end:]
	}
	return text, nil
}

// sqliteVerifyRows re-parses the rewritten SQL and checks that every
// reference to a filtered table is the only source of a SELECT whose
// WHERE is exactly the filter.
func sqliteVerifyRows(text string, fs []boundFilter) *refusal {
	sel, r := sqliteParseChecked(text)
	if r != nil {
		return r
	}
	wheres := map[*boundFilter]string{}
	for i := range fs {
		w, r := sqliteParseChecked("SELECT 1 WHERE " + fs[i].where)
		if r != nil || w.WhereExpr == nil {
			return refuse(RuleRowFilter, fs[i].name, -1, "the row filter on %s is not a valid condition", fs[i].name)
		}
		wheres[&fs[i]] = w.WhereExpr.String()
	}
	filtered := map[*sqlite.QualifiedTableName]bool{}
	r = sqliteEach(reflect.ValueOf(sel), func(n any) *refusal {
		switch n := n.(type) {
		case *sqlite.CTE:
			return cteShadows(fs, sqlite.IdentName(n.TableName))
		case *sqlite.SelectStatement:
			if q, ok := n.Source.(*sqlite.QualifiedTableName); ok && n.WhereExpr != nil {
				if f := findFilter(fs, sqlite.IdentName(q.Schema), sqlite.IdentName(q.Name)); f != nil && n.WhereExpr.String() == wheres[f] {
					filtered[q] = true
				}
			}
		case *sqlite.QualifiedTableName:
			if findFilter(fs, sqlite.IdentName(n.Schema), sqlite.IdentName(n.Name)) != nil && !filtered[n] {
				return unfiltered(sqlite.IdentName(n.Schema), sqlite.IdentName(n.Name))
			}
		}
		return nil
	})
	return r
}

func sqliteParseChecked(text string) (*sqlite.SelectStatement, *refusal) {
	stmt, r := parseSQLiteOne(blankCollations(trimSQL(text)))
	if r != nil {
		return nil, r
	}
	sel, ok := stmt.(*sqlite.SelectStatement)
	if !ok {
		return nil, refuse(RuleNotQuery, statementName(stmt), 0, "only a single SELECT query is allowed")
	}
	return sel, nil
}

// sqliteEach calls visit on every node, parents before children, and
// stops at the first refusal.
func sqliteEach(v reflect.Value, visit func(any) *refusal) *refusal {
	switch v.Kind() {
	case reflect.Interface:
		if !v.IsNil() {
			return sqliteEach(v.Elem(), visit)
		}
	case reflect.Pointer:
		if v.IsNil() {
			return nil
		}
		if r := visit(v.Interface()); r != nil {
			return r
		}
		return sqliteEach(v.Elem(), visit)
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			if r := sqliteEach(v.Index(i), visit); r != nil {
				return r
			}
		}
	case reflect.Struct:
		if v.Type() == sqlitePosTy {
			return nil
		}
		for _, i := range sqliteNodeFields(v.Type()) {
			if r := sqliteEach(v.Field(i), visit); r != nil {
				return r
			}
		}
	}
	return nil
}

// sqliteIdentEnd returns the byte offset just past the identifier that
// starts at off: quoted ("x", `x`, [x]) or bare.
func sqliteIdentEnd(s string, off int) int {
	if off >= len(s) {
		return off
	}
	switch q := s[off]; q {
	case '"', '`', '[':
		closing := q
		if q == '[' {
			closing = ']'
		}
		for i := off + 1; i < len(s); i++ {
			if s[i] == closing {
				if closing != ']' && i+1 < len(s) && s[i+1] == closing {
					i++
					continue
				}
				return i + 1
			}
		}
		return len(s)
	}
	i := off
	for i < len(s) && (isIdentByte(s[i]) || s[i] >= 0x80 || s[i] == '$') {
		i++
	}
	return i
}

var _ = strings.EqualFold
