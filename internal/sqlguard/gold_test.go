package sqlguard

import (
	"bufio"
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/dbtest"
)

// sharedPath is ../shared relative to the repository root.
var sharedPath = filepath.Join("..", "..", "..", "shared")

// sharedDir returns sharedPath, skipping the test when it is absent.
func sharedDir(t testing.TB) string {
	t.Helper()
	// dbtest.Dataset skips on a laptop without ../shared and fails under CI=true.
	return filepath.Dir(dbtest.Dataset(t, "."))
}

type goldQuery struct {
	sql, db string
	line    int
}

func loadBirdGold(t *testing.T, file string) []goldQuery {
	t.Helper()
	data := dbtest.DatasetFile(t, "bird-minidev", file) // an empty file fails
	var out []goldQuery
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" {
			continue
		}
		sql, db, _ := strings.Cut(line, "\t")
		out = append(out, goldQuery{sql: sql, db: db, line: n})
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read %q: %v", file, err)
	}
	if len(out) == 0 {
		t.Fatalf("%q holds no gold queries", file)
	}
	return out
}

// goldExceptions lists gold queries the guard refuses on purpose, with why.
// Keyed by dataset and line. Empty: every gold query must be accepted.
var goldExceptions = map[string]string{}

func checkGold(t *testing.T, name string, d catalog.Dialect, qs []goldQuery) {
	t.Helper()
	accepted, limited := 0, 0
	for _, q := range qs {
		v := Check(q.sql, Options{Dialect: d, MaxRows: 1000})
		key := name + ":" + itoa(q.line)
		if !v.Accepted {
			if why, ok := goldExceptions[key]; ok {
				t.Logf("%s: refused as documented (%s)", key, why)
				continue
			}
			t.Errorf("%s (%s) false rejection: %s %q: %s\n  SQL: %s", key, q.db, v.Rule, v.Construct, v.Message, q.sql)
			continue
		}
		accepted++
		if v.Limited {
			limited++
			capWitness(t, d, q.sql, v.SQL, 1000)
		}
		assertIdempotent(t, d, v)
	}
	t.Logf("%s: %d/%d gold queries accepted (%d got a LIMIT added or tightened)", name, accepted, len(qs), limited)
}

// assertIdempotent re-checks an accepted verdict's SQL: it must be accepted
// again, unchanged, with the same tables.
func assertIdempotent(t *testing.T, d catalog.Dialect, v Verdict) {
	t.Helper()
	again := Check(v.SQL, Options{Dialect: d, MaxRows: 1000})
	if !again.Accepted {
		t.Errorf("rewritten SQL refused on re-check: %s: %s\n  SQL: %s", again.Rule, again.Message, v.SQL)
		return
	}
	if again.Limited || again.SQL != trimSQL(v.SQL) {
		t.Errorf("re-check is not idempotent:\n  first:  %s\n  second: %s", v.SQL, again.SQL)
	}
	if strings.Join(again.Tables, ",") != strings.Join(v.Tables, ",") {
		t.Errorf("re-check changed tables %v -> %v for %s", v.Tables, again.Tables, v.SQL)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestGoldSpiderDev(t *testing.T) {
	data := dbtest.DatasetFile(t, "spider-dev", "dev.json")
	var rows []struct {
		DBID  string `json:"db_id"`
		Query string `json:"query"`
	}
	if err := json.Unmarshal(data, &rows); err != nil {
		t.Fatalf("decode spider dev: %v", err)
	}
	qs := make([]goldQuery, len(rows))
	for i, r := range rows {
		qs[i] = goldQuery{sql: r.Query, db: r.DBID, line: i}
	}
	checkGold(t, "spider-dev", catalog.SQLite, qs)
}

func TestGoldBirdMiniDev(t *testing.T) {
	for _, tc := range []struct {
		file string
		d    catalog.Dialect
	}{
		{"mini_dev_sqlite_gold.sql", catalog.SQLite},
		{"mini_dev_mysql_gold.sql", catalog.MySQL},
		{"mini_dev_postgresql_gold.sql", catalog.Postgres},
	} {
		t.Run(string(tc.d), func(t *testing.T) {
			checkGold(t, tc.file, tc.d, loadBirdGold(t, tc.file))
		})
	}
}
