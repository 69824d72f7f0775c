package sqlguard

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/format"
	driver "github.com/pingcap/tidb/pkg/parser/test_driver" // literal values for parsed trees
)

// mysqlLimit adds or tightens the outer LIMIT. Like PostgreSQL, it edits
// the author's text (cut at the statement's end, then "\nLIMIT n" appended
// or the count replaced), which also keeps MySQL's result column names.
// Where the edit cannot be proved from the parse alone (see
// mysqlTailIsTokens and mysqlAppendIsSafe), it is proved by re-parsing: the
// edited text must restore to exactly the original tree with the cap set.
// Otherwise the capped tree is restored, with every unnamed expression
// aliased to its original text so the column names stay the same (restore
// would turn count(*) into COUNT(1)).
func mysqlLimit(text string, stmt ast.StmtNode, max int) (string, bool, *refusal) {
	if max <= 0 {
		return text, false, nil
	}
	var lim **ast.Limit
	switch s := stmt.(type) {
	case *ast.SelectStmt:
		lim = &s.Limit
	case *ast.SetOprStmt:
		lim = &s.Limit
	}
	// OriginalText is the parser's own slice of the source from the
	// statement's start to its end (after the ";" or at the end of the
	// input), not Text's charset-converted copy.
	ownText := false
	if t := stmt.OriginalText(); strings.HasPrefix(text, t) {
		text = strings.TrimRightFunc(strings.TrimSuffix(t, ";"), unicode.IsSpace)
		ownText = true
	}
	capText := strconv.Itoa(max)
	splice := ""
	switch {
	case *lim == nil:
		splice = text + "\nLIMIT " + capText
		if ownText && mysqlAppendIsSafe(stmt) {
			return splice, true, nil
		}
	default:
		ve, ok := (*lim).Count.(*driver.ValueExpr)
		if !ok {
			return "", false, refuse(RuleRowLimit, "LIMIT", -1, "the LIMIT must be a number; write LIMIT %d or less", max)
		}
		if n, ok := mysqlCount(ve); ok && n <= uint64(max) {
			return text, false, nil
		}
		if a, b, limitAt, ok := mysqlLimitTail(text); ok {
			splice = text[:a] + capText + text[b:]
			if ownText && mysqlTailIsTokens(text, limitAt) {
				return splice, true, nil
			}
		}
	}
	capExpr := ast.NewValueExpr(uint64(max), "", "")
	if *lim == nil {
		*lim = &ast.Limit{Count: capExpr}
	} else {
		(*lim).Count = capExpr
	}
	want, r := mysqlRestore(stmt)
	if r != nil {
		return "", false, r
	}
	if splice != "" && mysqlRestoresTo(splice, want) {
		return splice, true, nil
	}
	keepColumnNames(stmt)
	out, r := mysqlRestore(stmt)
	if r != nil {
		return "", false, r
	}
	return out, true, nil
}

// mysqlCount reads a LIMIT count: TiDB's LengthNum makes it a uint64.
func mysqlCount(ve *driver.ValueExpr) (uint64, bool) {
	if n, ok := ve.GetValue().(uint64); ok {
		return n, true
	}
	n, err := strconv.ParseUint(fmt.Sprint(ve.GetValue()), 10, 64)
	return n, err == nil
}

func mysqlRestore(stmt ast.StmtNode) (string, *refusal) {
	var sb strings.Builder
	flags := format.DefaultRestoreFlags | format.RestoreStringEscapeBackslash | format.RestoreStringWithoutDefaultCharset
	if err := stmt.Restore(format.NewRestoreCtx(flags, &sb)); err != nil {
		return "", refuse(RuleRowLimit, "LIMIT", -1, "the row limit could not be applied: %v", err)
	}
	return sb.String(), nil
}

// mysqlRestoresTo reports whether text parses as one statement that
// restores to want.
func mysqlRestoresTo(text, want string) bool {
	stmts, err := mysqlParse(text)
	if err != nil || len(stmts) != 1 {
		return false
	}
	got, r := mysqlRestore(stmts[0])
	return r == nil && got == want
}

// keepColumnNames aliases each unnamed non-column expression of the outer
// select list to its original text, which is how MySQL names it.
func keepColumnNames(stmt ast.StmtNode) {
	var sel *ast.SelectStmt
	switch s := stmt.(type) {
	case *ast.SelectStmt:
		sel = s
	case *ast.SetOprStmt:
		if s.SelectList != nil && len(s.SelectList.Selects) > 0 {
			sel, _ = s.SelectList.Selects[0].(*ast.SelectStmt)
		}
	}
	if sel == nil || sel.Fields == nil {
		return
	}
	for _, f := range sel.Fields.Fields {
		if _, col := f.Expr.(*ast.ColumnNameExpr); f.WildCard != nil || col || f.AsName.O != "" {
			continue
		}
		if t := strings.TrimSpace(f.Text()); t != "" && len(t) <= 256 {
			f.AsName = ast.NewCIStr(t)
		}
	}
}

// mysqlLimitTail reads an outer LIMIT at the very end of text: LIMIT n,
// LIMIT offset, n or LIMIT n OFFSET m, each number plain ASCII digits. It
// returns the byte span [a, b) of the count and the offset of the LIMIT
// keyword, or ok=false when text does not end that way.
func mysqlLimitTail(text string) (a, b, limitAt int, ok bool) {
	i := digitsBefore(text, len(text))
	if i == len(text) {
		return 0, 0, 0, false
	}
	a, b = i, len(text)
	j := spaceBefore(text, i)
	switch {
	case j > 0 && text[j-1] == ',': // LIMIT offset, count
		k := spaceBefore(text, j-1)
		if j = digitsBefore(text, k); j == k {
			return 0, 0, 0, false
		}
	case j < i && hasSuffixFold(text[:j], "offset"): // LIMIT count OFFSET m
		j -= len("OFFSET")
		k := spaceBefore(text, j)
		if k == j {
			return 0, 0, 0, false
		}
		if a = digitsBefore(text, k); a == k {
			return 0, 0, 0, false
		}
		b, j = k, a
	default: // LIMIT count
		j = i
	}
	k := spaceBefore(text, j)
	if k == j || !hasSuffixFold(text[:k], "limit") {
		return 0, 0, 0, false
	}
	limitAt = k - len("LIMIT")
	if limitAt > 0 && isIdentByte(text[limitAt-1]) {
		return 0, 0, 0, false
	}
	return a, b, limitAt, true
}

// digitsBefore returns the start of the run of ASCII digits that ends at end.
func digitsBefore(s string, end int) int {
	for end > 0 && s[end-1] >= '0' && s[end-1] <= '9' {
		end--
	}
	return end
}

// spaceBefore returns the start of the run of ASCII space that ends at end.
func spaceBefore(s string, end int) int {
	for end > 0 && isSpaceByte(s[end-1]) {
		end--
	}
	return end
}

// mysqlTailIsTokens reports whether the count that mysqlLimitTail found
// can be replaced without a re-parse: whether TiDB must read the tail, from
// limitAt to the end, as the statement's last tokens (LIMIT, digits, and
// maybe "," or OFFSET and digits), and those as the outer LIMIT.
//
// The tail holds only letters, ASCII digits, commas and space, so:
//   - it cannot sit in a string or quoted identifier (it holds no quote, so
//     the literal would be unterminated, which TiDB refuses);
//   - it cannot sit in a block comment (it holds no "*/", and TiDB refuses an
//     unterminated comment; "/*!" and "/*+" were refused before parsing);
//   - a line comment ("#", "-- ") over it would start on its first line,
//     before LIMIT: that line must hold no "#", "--" or "/*";
//   - the byte before LIMIT is space, which ends every other token;
//   - TiDB reads a keyword after "." (skipping spaces) as an identifier:
//     the text before LIMIT must not end with ".".
//
// So the tail is the last tokens. The walker refused every locking clause
// and INTO, so in each TiDB production that gives the outer statement its
// Limit (SelectStmt's SelectStmtLimitOpt, the last union member's limit
// that SetOprStmtWoutLimitOrderBy lifts, SetOprStmtWithLimitOrderBy's
// SelectStmtLimit) the limit's tokens are the statement's last tokens too.
// They are LIMIT x, LIMIT x "," y or LIMIT x OFFSET y, and the tail's token
// kinds pick exactly one of them: the digits taken as the count (x, y and x
// respectively) are the outer count. The new digits are again one integer
// literal (a positive decimal without a leading zero, followed by what
// followed the old one), every other token is unchanged, and the parser's
// moves depend on token kinds only: the tree is the same but for the count.
func mysqlTailIsTokens(text string, limitAt int) bool {
	if limitAt == 0 || !isSpaceByte(text[limitAt-1]) {
		return false
	}
	line := text[strings.LastIndexByte(text[:limitAt], '\n')+1 : limitAt]
	if strings.Contains(line, "#") || strings.Contains(line, "--") || strings.Contains(line, "/*") {
		return false
	}
	return !strings.HasSuffix(text[:spaceBefore(text, limitAt)], ".")
}

// mysqlAppendIsSafe reports whether "\nLIMIT n" appended to the statement's
// own text must become the outer LIMIT. It holds for a SELECT that is not in
// parentheses, has no LIMIT, and (as the walker made sure) no locking clause
// or INTO. In TiDB's grammar a query takes LIMIT only in SelectStmtLimit,
// after a SELECT's ORDER BY or a set operation's last member, and every
// query nested in a SELECT is a parenthesised SubSelect (a CTE body too),
// closed before the end of the text. So at the end of the text the only
// open production that can take a LIMIT is the outer SELECT's
// SelectStmtLimitOpt, which nothing follows. The "\n" ends a trailing "#"
// or "-- " comment; a trailing block comment, string or quoted identifier
// is closed, or TiDB would have refused the text. Set operations and
// parenthesised queries are re-parsed instead (for "(SELECT ...)" TiDB
// builds a different, if equivalent, tree for the appended text).
func mysqlAppendIsSafe(stmt ast.StmtNode) bool {
	sel, ok := stmt.(*ast.SelectStmt)
	return ok && !sel.IsInBraces && sel.Limit == nil && sel.LockInfo == nil && sel.SelectIntoOpt == nil
}
