package sqlguard

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
)

// Rule names why a query was refused. It is a closed set.
type Rule string

// The rules a rejection can carry.
const (
	RuleEmpty              Rule = "empty"
	RuleParse              Rule = "parse"
	RuleDialect            Rule = "dialect"
	RuleMultipleStatements Rule = "multiple_statements"
	RuleNotQuery           Rule = "not_query"
	RuleDataModifyingCTE   Rule = "data_modifying_cte"
	RuleSelectInto         Rule = "select_into"
	RuleLocking            Rule = "locking"
	RuleExecutableComment  Rule = "executable_comment"
	RuleFunction           Rule = "function"
	RuleVariable           Rule = "variable"
	RuleSystemCatalog      Rule = "system_catalog"
	RuleForeignTable       Rule = "foreign_table"
	RulePolicyTable        Rule = "policy_table"
	RulePolicyColumn       Rule = "policy_column"
	RuleStarOverHidden     Rule = "star_over_hidden"
	RuleRowLimit           Rule = "row_limit"
	RuleFileAccess         Rule = "file_access"
	RuleTooComplex         Rule = "too_complex"
	RuleStringEscape       Rule = "string_escape"
)

// ErrRejected is matched by every *Rejection through errors.Is.
var ErrRejected = errors.New("query rejected by the SQL guard")

// Options configure one Check.
type Options struct {
	Dialect catalog.Dialect
	// Profile selects a variant of Dialect (catalog.ProfileRedshift); when
	// empty, Catalog.Profile does.
	Profile string
	// MaxRows > 0 adds a LIMIT to the outer query or tightens a larger one.
	MaxRows int
	// Policy holds the source's allow and deny lists.
	Policy config.Policy
	// Functions extends the dialect's allowlist (config.Guard.Functions[dialect]).
	Functions []string
	// Catalog, when set, lets messages list the visible columns of a table
	// whose hidden columns make SELECT * unusable.
	Catalog *catalog.Catalog
	// RowFilters are the caller's row filters (rowfilter.go); Bind gives
	// the values of their {{user…}} placeholders.
	RowFilters []RowFilter
	Bind       func(claim string) (string, bool)
}

// Verdict is the outcome of Check.
type Verdict struct {
	Accepted  bool     `json:"accepted"`
	Rule      Rule     `json:"rule,omitempty"`
	Construct string   `json:"construct,omitempty"`
	Line      int      `json:"line,omitempty"`
	Column    int      `json:"column,omitempty"`
	Message   string   `json:"message,omitempty"`
	SQL       string   `json:"sql,omitempty"`
	Tables    []string `json:"tables,omitempty"`
	Limited   bool     `json:"limited,omitempty"`
	// Filtered names the tables whose rows the caller's filters restrict.
	Filtered []string `json:"filtered,omitempty"`
}

// Rejection is the typed error for a refused query.
type Rejection struct{ Verdict Verdict }

// Error implements error.
func (r *Rejection) Error() string {
	if r.Verdict.Line > 0 {
		return fmt.Sprintf("sql guard: %s (rule %s, line %d, column %d)", r.Verdict.Message, r.Verdict.Rule, r.Verdict.Line, r.Verdict.Column)
	}
	return fmt.Sprintf("sql guard: %s (rule %s)", r.Verdict.Message, r.Verdict.Rule)
}

// Is reports whether target is ErrRejected.
func (r *Rejection) Is(target error) bool { return target == ErrRejected }

var _ error = (*Rejection)(nil)

// Err returns a *Rejection when the verdict refuses the query, nil otherwise.
func (v Verdict) Err() error {
	if v.Accepted {
		return nil
	}
	return &Rejection{Verdict: v}
}

// refusal is the internal error a dialect checker returns; offset is a byte
// offset into the checked text, or -1 when unknown.
type refusal struct {
	rule      Rule
	construct string
	offset    int
	line, col int // used when the parser reports line/column itself
	msg       string
}

func (r *refusal) Error() string { return r.msg }

func refuse(rule Rule, construct string, offset int, format string, args ...any) *refusal {
	return &refusal{rule: rule, construct: construct, offset: offset, msg: fmt.Sprintf(format, args...)}
}

// result is what a dialect checker hands back on success.
type result struct {
	sql     string
	limited bool
	facts   *facts
}

// Check parses sql with the dialect's own parser and accepts it only when it
// is exactly one read-only query that the policy allows. It never panics.
func Check(sql string, opts Options) (v Verdict) {
	defer parserPanic(&v)
	return check(sql, opts)
}

func parserPanic(v *Verdict) {
	if p := recover(); p != nil {
		*v = Verdict{Rule: RuleParse, Message: fmt.Sprintf("the SQL could not be parsed safely (parser failure: %v); rewrite the query", p)}
	}
}

// check is Check without the panic guard; the fuzz test calls it directly
// so that a parser panic is found rather than hidden.
func check(sql string, opts Options) Verdict {
	if strings.TrimSpace(strings.Trim(strings.TrimSpace(sql), ";")) == "" {
		return Verdict{Rule: RuleEmpty, Message: "the SQL is empty; write one SELECT query"}
	}
	if i := strings.IndexByte(sql, 0); i >= 0 {
		// C parsers stop at NUL, so text after it would go unchecked.
		line, col := lineCol(sql, i)
		return Verdict{Rule: RuleParse, Construct: "NUL", Line: line, Column: col, Message: "the SQL contains a NUL byte; remove it"}
	}
	if !utf8.ValidString(sql) {
		return Verdict{Rule: RuleParse, Message: "the SQL is not valid UTF-8; send plain UTF-8 text"}
	}
	g := newGuard(opts)
	res, text, err := g.parse(sql)
	if err != nil && err.rule == RuleDialect {
		return Verdict{Rule: RuleDialect, Message: err.msg}
	}
	if err == nil {
		err = g.evaluate(res.facts)
	}
	if err != nil {
		return rejection(text, err)
	}
	return filterRows(Verdict{Accepted: true, SQL: res.sql, Tables: res.facts.tableNames(), Limited: res.limited}, opts)
}

func rejection(text string, r *refusal) Verdict {
	v := Verdict{Rule: r.rule, Construct: r.construct, Message: r.msg, Line: r.line, Column: r.col}
	off := r.offset
	if off < 0 && v.Line == 0 && r.construct != "" {
		// Parsers without node positions (TiDB expressions): point at the
		// first whole-word occurrence of the construct.
		off = findWord(text, r.construct)
	}
	if off >= 0 && v.Line == 0 {
		v.Line, v.Column = lineCol(text, off)
	}
	return v
}

// lineCol converts a byte offset into a 1-based line and column.
func lineCol(s string, off int) (int, int) {
	if off > len(s) {
		off = len(s)
	}
	if off < 0 {
		return 0, 0
	}
	line := 1 + strings.Count(s[:off], "\n")
	col := off + 1
	if i := strings.LastIndexByte(s[:off], '\n'); i >= 0 {
		col = off - i
	}
	return line, col
}

// trimSQL drops surrounding space and trailing semicolons.
func trimSQL(s string) string {
	s = strings.TrimSpace(s)
	for strings.HasSuffix(s, ";") {
		s = strings.TrimSpace(strings.TrimSuffix(s, ";"))
	}
	return s
}

// parse parses and walks sql with the dialect's own parser, collecting
// its facts. text is the statement as checked (SQLite may quote keywords).
func (g *guard) parse(sql string) (res *result, text string, err *refusal) {
	switch g.opts.Dialect {
	case catalog.SQLite:
		return checkSQLite(sql, g)
	case catalog.Postgres, catalog.DuckDB:
		if isRedshift(g.opts) {
			res, err = checkRedshift(sql, g)
			break
		}
		res, err = checkPostgres(sql, g)
	case catalog.MySQL:
		res, err = checkMySQL(sql, g)
	case catalog.Trino:
		res, err = checkTrino(sql, g)
	default:
		err = refuse(RuleDialect, "", -1, "unknown SQL dialect %q", g.opts.Dialect)
	}
	return res, sql, err
}

// guard holds the per-call state shared by all dialects.
type guard struct {
	opts  Options
	funcs map[string]bool
	pol   policy
}

func newGuard(opts Options) *guard {
	return &guard{opts: opts, funcs: allowedFunctions(opts), pol: compilePolicy(opts.Policy).withCatalog(opts.Catalog)}
}

// function checks a function name against the allowlist.
func (g *guard) function(name string, offset int) *refusal {
	n := strings.ToLower(name)
	if g.funcs[n] {
		return nil
	}
	return refuse(RuleFunction, n, offset,
		"function %s is not allowed in read-only queries; remove it or use an allowed built-in function", n)
}

// facts collects what a query touches, for the policy step.
type facts struct {
	tables  []tableRef
	columns []columnRef
	stars   []starRef
	// attrs are dotted column references, and ranges the names FROM
	// entries are known by, for resolving attribute notation (pgattr.go).
	attrs  []attrRef
	ranges []string
	// scopes holds, per enclosing query, the CTE names in force. A name is
	// in force only after its definition has been walked (or at once for
	// WITH RECURSIVE), so "WITH t AS (SELECT * FROM t)" still checks the
	// real table t.
	scopes [][]string
}

type tableRef struct {
	schema, name, alias string
	offset              int
	cte                 bool // refers to a CTE in scope, not a stored table
}

type columnRef struct {
	qualifier, name string // qualifier is the table or alias, may be empty
	offset          int
}

type starRef struct {
	qualifier string
	offset    int
	// aliasList: a column alias list (t AS c(a, b, e)) renames columns by
	// position, which exposes every column as a star does.
	aliasList bool
}

// newFacts sizes the lists for a typical analytic query (a few joined
// tables, a few dozen column references) so that collecting them does not
// grow them one doubling at a time.
func newFacts() *facts {
	return &facts{tables: make([]tableRef, 0, 8), columns: make([]columnRef, 0, 32)}
}

func (f *facts) pushScope() { f.scopes = append(f.scopes, nil) }

func (f *facts) popScope() {
	if len(f.scopes) > 0 {
		f.scopes = f.scopes[:len(f.scopes)-1]
	}
}

// defineCTE puts a CTE name in force in the innermost scope.
func (f *facts) defineCTE(name string) {
	if len(f.scopes) == 0 {
		f.pushScope()
	}
	f.scopes[len(f.scopes)-1] = append(f.scopes[len(f.scopes)-1], name)
}

func (f *facts) isCTE(schema, name string) bool {
	if schema != "" {
		return false
	}
	for _, sc := range f.scopes {
		for _, n := range sc {
			if strings.EqualFold(n, name) {
				return true
			}
		}
	}
	return false
}

// addTable records a table reference, resolving CTE names in scope.
func (f *facts) addTable(t tableRef) {
	t.cte = f.isCTE(t.schema, t.name)
	f.tables = append(f.tables, t)
}

func (f *facts) tableNames() []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range f.tables {
		if t.cte {
			continue
		}
		n := t.name
		if t.schema != "" {
			n = t.schema + "." + t.name
		}
		if !seen[strings.ToLower(n)] {
			seen[strings.ToLower(n)] = true
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// findWord returns the byte offset of the first case-insensitive occurrence
// of w in s that is not part of a longer identifier, or -1.
func findWord(s, w string) int {
	ls, lw := strings.ToLower(s), strings.ToLower(w)
	isWord := func(c byte) bool { return c == '_' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }
	for from := 0; from < len(ls); {
		i := strings.Index(ls[from:], lw)
		if i < 0 {
			return -1
		}
		i += from
		end := i + len(lw)
		if (i == 0 || !isWord(ls[i-1]) || !isWord(lw[0])) && (end >= len(ls) || !isWord(ls[end]) || !isWord(lw[len(lw)-1])) {
			return i
		}
		from = i + 1
	}
	return -1
}
