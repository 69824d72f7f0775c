package eval

import (
	"strings"
	"unicode"

	"github.com/askdb/askdb/internal/catalog"
)

// sqlToken is one lexical token of a SQL query.
type sqlToken struct {
	kind tokenKind
	text string // identifiers unquoted; punctuation as is
}

type tokenKind int

const (
	tokIdent  tokenKind = iota // bare identifier or keyword
	tokQuoted                  // "x", `x` or [x]
	tokString                  // 'x'
	tokNumber
	tokPunct
)

// tokenizeSQL splits a query into tokens. It knows just enough SQL to find
// identifiers: quoting styles, string literals with doubled quotes,
// comments and numbers. Anything else is one-character punctuation.
func tokenizeSQL(sql string) []sqlToken {
	var out []sqlToken
	rs := []rune(sql)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case r == '-' && i+1 < len(rs) && rs[i+1] == '-':
			for i < len(rs) && rs[i] != '\n' {
				i++
			}
		case r == '\'' || r == '"' || r == '`' || r == '[':
			closeCh := map[rune]rune{'\'': '\'', '"': '"', '`': '`', '[': ']'}[r]
			j := i + 1
			var b strings.Builder
			for j < len(rs) {
				if rs[j] == closeCh {
					if closeCh != ']' && j+1 < len(rs) && rs[j+1] == closeCh {
						b.WriteRune(closeCh)
						j += 2
						continue
					}
					break
				}
				b.WriteRune(rs[j])
				j++
			}
			kind := tokQuoted
			if r == '\'' {
				kind = tokString
			}
			out = append(out, sqlToken{kind, b.String()})
			i = j + 1
		case unicode.IsLetter(r) || r == '_':
			j := i
			for j < len(rs) && (unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j]) || rs[j] == '_' || rs[j] == '$') {
				j++
			}
			out = append(out, sqlToken{tokIdent, string(rs[i:j])})
			i = j
		case unicode.IsDigit(r):
			j := i
			for j < len(rs) && (unicode.IsDigit(rs[j]) || rs[j] == '.' || unicode.IsLetter(rs[j])) {
				j++
			}
			out = append(out, sqlToken{tokNumber, string(rs[i:j])})
			i = j
		default:
			out = append(out, sqlToken{tokPunct, string(r)})
			i++
		}
	}
	return out
}

// clauseEnd are keywords that end a FROM clause's comma list.
var clauseEnd = map[string]bool{
	"where": true, "group": true, "order": true, "having": true, "limit": true, "union": true,
	"intersect": true, "except": true, "on": true, "using": true, "window": true, "select": true,
}

// notAlias are keywords that may follow a table name without being its alias.
var notAlias = map[string]bool{
	"where": true, "group": true, "order": true, "having": true, "limit": true, "union": true,
	"intersect": true, "except": true, "on": true, "using": true, "join": true, "inner": true,
	"left": true, "right": true, "full": true, "cross": true, "outer": true, "natural": true,
	"as": true, "window": true, "select": true,
}

// Gold is the schema a gold query uses: table names and "table.column"
// names, as spelled in the catalog.
type Gold struct {
	Tables  []string
	Columns []string
}

// goldLinks resolves the identifiers of sql against cat: tables after FROM
// and JOIN (and in FROM comma lists), their aliases, qualified columns
// (alias.column, table.column) and bare columns that belong to a table the
// query reads.
func goldLinks(cat *catalog.Catalog, sql string) Gold {
	toks := tokenizeSQL(sql)
	aliases := map[string]*catalog.Table{}
	var used []*catalog.Table
	addTable := func(t *catalog.Table) {
		for _, u := range used {
			if u == t {
				return
			}
		}
		used = append(used, t)
	}
	findTables(cat, toks, aliases, addTable)
	var g Gold
	seen := map[string]bool{}
	addCol := func(t *catalog.Table, name string) {
		c, ok := t.Column(name)
		if !ok {
			return
		}
		key := t.Name + "." + c.Name
		if !seen[strings.ToLower(key)] {
			seen[strings.ToLower(key)] = true
			g.Columns = append(g.Columns, key)
		}
	}
	for i := 0; i < len(toks); i++ {
		tk := toks[i]
		if !isIdent(tk) || (i > 0 && toks[i-1].text == ".") {
			continue
		}
		if i+2 < len(toks) && toks[i+1].text == "." && isIdent(toks[i+2]) {
			if t := aliases[strings.ToLower(tk.text)]; t != nil {
				addCol(t, toks[i+2].text)
			}
			i += 2
			continue
		}
		if i+1 < len(toks) && toks[i+1].text == "(" {
			continue // a function call
		}
		for _, t := range used {
			addCol(t, tk.text)
		}
	}
	for _, t := range used {
		g.Tables = append(g.Tables, t.Name)
	}
	return g
}

func isIdent(t sqlToken) bool { return t.kind == tokIdent || t.kind == tokQuoted }

// findTables walks FROM and JOIN clauses, recording each catalog table and
// its alias. Paren depth keeps a subquery's FROM list apart from its outer one.
func findTables(cat *catalog.Catalog, toks []sqlToken, aliases map[string]*catalog.Table, add func(*catalog.Table)) {
	depth := 0
	inFrom := map[int]bool{}
	expect := false
	for i := 0; i < len(toks); i++ {
		tk := toks[i]
		word := strings.ToLower(tk.text)
		switch {
		case tk.text == "(":
			depth++
			expect = false
		case tk.text == ")":
			delete(inFrom, depth)
			depth--
			expect = false
		case tk.kind == tokIdent && word == "from":
			inFrom[depth], expect = true, true
		case tk.kind == tokIdent && word == "join":
			inFrom[depth], expect = true, true
		case tk.text == "," && inFrom[depth]:
			expect = true
		case tk.kind == tokIdent && clauseEnd[word]:
			inFrom[depth], expect = false, false
		case expect && isIdent(tk):
			expect = false
			name := tk.text
			for i+2 < len(toks) && toks[i+1].text == "." && isIdent(toks[i+2]) {
				name += "." + toks[i+2].text
				i += 2
			}
			t, ok := cat.Table(name)
			if !ok {
				continue
			}
			add(t)
			aliases[strings.ToLower(t.Name)] = t
			j := i + 1
			if j < len(toks) && strings.EqualFold(toks[j].text, "as") {
				j++
			}
			if j < len(toks) && isIdent(toks[j]) && !notAlias[strings.ToLower(toks[j].text)] {
				aliases[strings.ToLower(toks[j].text)] = t
				i = j
			}
		}
	}
}
