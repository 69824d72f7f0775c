package sqlguard

import (
	"bufio"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/askdb/askdb/internal/catalog"
)

// TestRedshiftProfile runs testdata/redshift.tsv with the Redshift
// profile: each accepted query must come out as the SQL the file names,
// and that SQL must pass the profile again (the rewrite is a fixed point).
func TestRedshiftProfile(t *testing.T) {
	for _, tc := range loadRedshiftCases(t) {
		t.Run(strconv.Itoa(tc.line), func(t *testing.T) {
			opts := Options{Dialect: catalog.Postgres, Profile: catalog.ProfileRedshift, MaxRows: tc.maxRows}
			v := Check(tc.sql, opts)
			if tc.want != "accept" {
				if v.Accepted || string(v.Rule) != tc.want {
					t.Fatalf("%q: got accepted=%v rule %q (%s), want rule %q", tc.sql, v.Accepted, v.Rule, v.Message, tc.want)
				}
				return
			}
			if !v.Accepted {
				t.Fatalf("%q: rejected (%s): %s", tc.sql, v.Rule, v.Message)
			}
			want := tc.wantSQL
			if want == "=" {
				want = strings.TrimSpace(tc.sql)
			}
			if v.SQL != want {
				t.Errorf("%q: SQL\n got %q\nwant %q", tc.sql, v.SQL, want)
			}
			if again := Check(v.SQL, opts); !again.Accepted {
				t.Errorf("the rewritten SQL %q is refused: %s", v.SQL, again.Message)
			}
		})
	}
}

// TestRedshiftProfileIsOptIn checks that the plain PostgreSQL dialect keeps
// its own rules: Redshift's functions and TOP are not PostgreSQL's.
func TestRedshiftProfileIsOptIn(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		want bool
	}{
		{"postgres", Options{Dialect: catalog.Postgres}, false},
		{"profile option", Options{Dialect: catalog.Postgres, Profile: catalog.ProfileRedshift}, true},
		{"catalog profile", Options{Dialect: catalog.Postgres, Catalog: &catalog.Catalog{Profile: catalog.ProfileRedshift}}, true},
		{"not for mysql", Options{Dialect: catalog.MySQL, Profile: catalog.ProfileRedshift}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, q := range []string{"SELECT getdate()", "SELECT TOP 3 a FROM t", "SELECT APPROXIMATE COUNT(DISTINCT a) FROM t"} {
				if got := Check(q, tc.opts).Accepted; got != tc.want {
					t.Errorf("%q accepted = %v, want %v", q, got, tc.want)
				}
			}
		})
	}
}

type redshiftCase struct {
	maxRows            int
	want, sql, wantSQL string
	line               int
}

func loadRedshiftCases(t testing.TB) []redshiftCase {
	t.Helper()
	f, err := os.Open("testdata/redshift.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []redshiftCase
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		p := strings.Split(line, "\t")
		if len(p) < 3 || p[1] == "accept" && len(p) != 4 {
			t.Fatalf("redshift.tsv:%d: want max_rows, want, sql (and the SQL for accept)", n)
		}
		rows, err := strconv.Atoi(p[0])
		if err != nil {
			t.Fatalf("redshift.tsv:%d: max_rows: %v", n, err)
		}
		c := redshiftCase{maxRows: rows, want: p[1], sql: p[2], line: n}
		if len(p) == 4 {
			c.wantSQL = strings.ReplaceAll(p[3], `\n`, "\n")
		}
		out = append(out, c)
	}
	return out
}

// FuzzRedshift checks the Redshift rewrites: every accepted query is
// accepted again unchanged, and with APPROXIMATE blanked as the checker
// blanks it, PostgreSQL's parser reads it as one SELECT whose outer LIMIT
// is at most max_rows, so no TOP or APPROXIMATE can carry a query past the
// row cap or out of the checked text.
func FuzzRedshift(f *testing.F) {
	for _, c := range loadRedshiftCases(f) {
		f.Add(c.sql)
	}
	for _, c := range loadCases(f) {
		if c.dialect == catalog.Postgres {
			f.Add(c.sql)
		}
	}
	opts := Options{Dialect: catalog.Postgres, Profile: catalog.ProfileRedshift, MaxRows: 10}
	f.Fuzz(func(t *testing.T, sql string) {
		v := check(sql, opts)
		if !v.Accepted {
			return
		}
		again := check(v.SQL, opts)
		if !again.Accepted || again.SQL != trimSQL(v.SQL) {
			t.Fatalf("re-check changed or refused the SQL\n  input: %q\n  first: %q\n  again: %+v", sql, v.SQL, again)
		}
		text := trimSQL(v.SQL)
		toks, err := pg.Scan(text)
		if err != nil {
			t.Fatalf("accepted SQL does not scan: %v", err)
		}
		blanked, _ := blankApproximate(text, scanWords(text, toks.Tokens))
		tree, r := pgParse(blanked)
		if r != nil {
			t.Fatalf("accepted SQL %q does not parse as PostgreSQL: %s", blanked, r.msg)
		}
		stmts := slices.Collect(tree.get("stmts").items())
		kind, sel := stmts[0].get("stmt").node()
		lk, c := sel.get("limitCount").node()
		if len(stmts) != 1 || kind != "SelectStmt" || lk != "A_Const" || !c.has("ival") || c.get("ival").int("ival") > 10 {
			t.Fatalf("accepted SQL %q is not one SELECT with LIMIT <= 10", v.SQL)
		}
	})
}
