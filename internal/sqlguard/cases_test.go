package sqlguard

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"github.com/askdb/askdb/internal/catalog"
)

type fileCase struct {
	dialect catalog.Dialect
	want    string // "accept" or a Rule
	sql     string
	line    int
}

func loadCases(t testing.TB) []fileCase {
	t.Helper()
	f, err := os.Open("testdata/cases.tsv")
	if err != nil {
		t.Fatalf("open cases: %v", err)
	}
	defer f.Close()
	var out []fileCase
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.SplitN(line, "\t", 3)
		if len(parts) != 3 {
			t.Fatalf("cases.tsv:%d: want 3 tab-separated fields", n)
		}
		ds := []catalog.Dialect{catalog.Dialect(parts[0])}
		if parts[0] == "all" {
			ds = catalog.Dialects()
		}
		for _, d := range ds {
			out = append(out, fileCase{dialect: d, want: parts[1], sql: parts[2], line: n})
		}
	}
	return out
}

// TestCases runs testdata/cases.tsv: every construct category of the
// security reference per dialect, plus tricky accepted queries.
func TestCases(t *testing.T) {
	for _, c := range loadCases(t) {
		t.Run(string(c.dialect)+"/"+itoa(c.line), func(t *testing.T) {
			v := Check(c.sql, Options{Dialect: c.dialect, MaxRows: 100})
			got := string(v.Rule)
			if v.Accepted {
				got = "accept"
			}
			if got != c.want {
				t.Fatalf("cases.tsv:%d %s: got %s (%q: %s), want %s\n  SQL: %s", c.line, c.dialect, got, v.Construct, v.Message, c.want, c.sql)
			}
			if v.Accepted {
				assertIdempotent(t, c.dialect, Check(c.sql, Options{Dialect: c.dialect, MaxRows: 1000}))
				if up := strings.ToUpper(v.SQL); !v.Limited && !strings.Contains(up, "LIMIT") && !strings.Contains(up, "FETCH FIRST") {
					t.Errorf("accepted SQL has no LIMIT: %s", v.SQL)
				}
				return
			}
			if v.Message == "" || v.Err() == nil {
				t.Errorf("rejection without message or error: %+v", v)
			}
		})
	}
}
