//go:build duckdb

package duckdb

import (
	"context"
	"crypto/sha256"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/source"
)

// This file proves the engine layer alone: statements go to Source.run,
// skipping sqlguard and the source's json_serialize_sql check, and none of
// them may write the configured files, the snapshot, or anything else.

// digest is the SHA-256 of a file's bytes.
func digest(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", sha256.Sum256(b))
}

// dataFiles writes orders.csv (3 rows) and items.parquet (4 rows) to a
// fresh folder and returns the files: map for them.
func dataFiles(t *testing.T) map[string]string {
	t.Helper()
	dir := t.TempDir()
	csv := filepath.Join(dir, "orders.csv")
	writeCSV(t, csv, "id,total\n1,10\n2,20\n3,30\n")
	parquet := filepath.Join(dir, "items.parquet")
	db, err := openPlain("")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("COPY (SELECT range AS id FROM range(4)) TO " + quoteString(parquet) + " (FORMAT parquet)"); err != nil {
		t.Fatal(err)
	}
	return map[string]string{"orders": csv, "items": parquet}
}

// bypass is a statement sent straight to the engine. mustFail marks those
// the engine itself must refuse; the others may run, but must write nothing.
type bypass struct {
	name, sql string
	mustFail  bool
}

// runBypass runs each statement through the engine layer only.
func runBypass(t *testing.T, src *Source, stmts []bypass) {
	t.Helper()
	for _, b := range stmts {
		_, err := src.run(context.Background(), "query", b.sql, source.Limits{})
		if b.mustFail && err == nil {
			t.Errorf("%s: run(%q) succeeded; the engine must refuse it", b.name, b.sql)
		}
	}
}

// wantCounts checks row counts through the full Query path, concurrently
// on several pooled connections, so that a connection left with a TEMP
// table or a changed search_path by a bypass statement would show up.
func wantCounts(t *testing.T, src *Source, want map[string]int64) {
	t.Helper()
	src.db.SetMaxOpenConns(4)
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		for table, n := range want {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := src.Query(context.Background(), "SELECT count(*) FROM "+table, source.Limits{})
				if err != nil || len(res.Rows) != 1 || res.Rows[0][0] != n {
					t.Errorf("count of %s: %v, %v; want %d", table, res, err, n)
				}
			}()
		}
	}
	wg.Wait()
}

func emptyDir(t *testing.T, dir string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		t.Errorf("%s: a statement created %s", dir, e.Name())
	}
}

func TestEngineCannotWriteFiles(t *testing.T) {
	files := dataFiles(t)
	csv, parquet := files["orders"], files["items"]
	src := openSource(t, config.Source{Files: files})
	snap := filepath.Join(src.snapshotDir, snapshotFile)
	target := t.TempDir() // where writes would land
	before := map[string]string{csv: digest(t, csv), parquet: digest(t, parquet), snap: digest(t, snap)}
	out := func(name string) string { return quoteString(filepath.Join(target, name)) }
	want := map[string]int64{"orders": 3, "items": 4}
	// Session state first, checked at once: a later failing statement
	// would discard the connection and hide a leak.
	runBypass(t, src, []bypass{
		{"temp table shadowing a table", "COMMIT; CREATE TEMP TABLE orders AS SELECT 99 AS id, 0 AS total FROM range(50); BEGIN TRANSACTION READ ONLY", false},
		{"temp table in the transaction", "CREATE TEMP TABLE items AS SELECT 1 AS id", false},
		{"search path", "COMMIT; CREATE TEMP TABLE items AS SELECT 1 AS id; SET search_path = 'temp'; BEGIN TRANSACTION READ ONLY", false},
	})
	wantCounts(t, src, want)
	runBypass(t, src, []bypass{
		{"copy over the configured CSV", "COPY (SELECT 42 AS x) TO " + quoteString(csv) + " (USE_TMP_FILE false)", true},
		{"copy over the configured CSV after COMMIT", "COMMIT; COPY (SELECT 42 AS x) TO " + quoteString(csv) + " (USE_TMP_FILE false)", true},
		{"copy over the configured Parquet", "COPY (SELECT 42 AS x) TO " + quoteString(parquet) + " (FORMAT parquet, USE_TMP_FILE false)", true},
		{"copy over the snapshot", "COPY (SELECT 42 AS x) TO " + quoteString(snap) + " (USE_TMP_FILE false)", true},
		{"copy to the snapshot's WAL", "COPY (SELECT 42 AS x) TO " + quoteString(snap+".wal") + " (USE_TMP_FILE false)", true},
		{"copy elsewhere after COMMIT", "COMMIT; COPY (SELECT 1) TO " + out("x.csv"), true},
		{"copy into a table", "COPY orders FROM " + quoteString(csv), true},
		{"create table after COMMIT", "COMMIT; CREATE TABLE x AS SELECT 1 AS a", true},
		{"insert after COMMIT", "COMMIT; INSERT INTO orders VALUES (9, 9)", true},
		{"delete after COMMIT", "COMMIT; DELETE FROM orders", true},
		{"drop after COMMIT", "COMMIT; DROP TABLE orders", true},
		{"rename after COMMIT", "COMMIT; ALTER TABLE orders RENAME TO gone", true},
		{"attach a new file", "ATTACH " + out("x.db") + " AS x; CREATE TABLE x.t(a INT)", true},
		{"attach in memory", "COMMIT; ATTACH ':memory:' AS m; CREATE TABLE m.t AS SELECT 1", true},
		{"export", "COMMIT; EXPORT DATABASE " + out("exp"), true},
		{"enable access", "SET enable_external_access = true", true},
		{"re-enable the file system", "COMMIT; SET disabled_filesystems = ''", true},
		{"reset the file system", "COMMIT; RESET disabled_filesystems", true},
		{"unlock", "COMMIT; SET lock_configuration = false", true},
		{"reset all", "COMMIT; RESET ALL", true},
		{"allowed paths", "COMMIT; SET allowed_paths = [" + quoteString(csv) + "]", true},
		{"install", "COMMIT; INSTALL httpfs", true},
		{"load", "COMMIT; LOAD httpfs", true},
		{"load a file", "LOAD " + out("x.duckdb_extension"), true},
		{"read_csv elsewhere", "SELECT * FROM read_csv('/etc/passwd')", true},
		{"read_text of a configured file", "SELECT * FROM read_text(" + quoteString(csv) + ")", true},
		{"read_blob of the snapshot", "SELECT * FROM read_blob(" + quoteString(snap) + ")", true},
		{"glob", "SELECT * FROM glob('/*')", true},
		{"replacement scan", "SELECT * FROM " + quoteString(csv), true},
		{"detach via temp", "COMMIT; USE temp; DETACH snapshot", true},
		{"detach via system", "COMMIT; USE system; DETACH snapshot", true},
		{"detach the default", "COMMIT; DETACH snapshot", true},
		{"profiling output", "COMMIT; PRAGMA enable_profiling = 'json'; PRAGMA profiling_output = " + out("prof.json") + "; SELECT 1", false},
		{"pragma", "PRAGMA database_size", false},
		{"call pragma", "CALL pragma_version()", false},
		{"checkpoint", "COMMIT; CHECKPOINT", false},
		{"force checkpoint", "COMMIT; FORCE CHECKPOINT", false},
	})
	for path, sum := range before {
		if got := digest(t, path); got != sum {
			t.Errorf("%s changed", path)
		}
	}
	emptyDir(t, target)
	if ents, err := os.ReadDir(src.snapshotDir); err != nil || len(ents) != 1 {
		t.Errorf("snapshot folder holds %v (%v); want only %s", ents, err, snapshotFile)
	}
	wantCounts(t, src, want)
	if _, err := src.Query(context.Background(), "SELECT * FROM x", source.Limits{}); err == nil {
		t.Error("table x is visible")
	}
	src.Close()
	wantCounts(t, openSource(t, config.Source{Files: files}), want)
}

func TestEngineCannotWriteDatabase(t *testing.T) {
	sample, _ := sampleFiles(t)
	b, err := os.ReadFile(sample)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "shop.duckdb")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	src := openSource(t, config.Source{Path: path})
	before := digest(t, path)
	runBypass(t, src, []bypass{
		{"copy over the database", "COPY (SELECT 42 AS x) TO " + quoteString(path) + " (USE_TMP_FILE false)", true},
		{"copy to its WAL", "COPY (SELECT 42 AS x) TO " + quoteString(path+".wal") + " (USE_TMP_FILE false)", true},
		{"delete", "DELETE FROM order_items", true},
		{"update after COMMIT", "COMMIT; UPDATE customers SET name = 'x'", true},
		{"drop", "DROP TABLE timesheets", true},
		{"create after COMMIT", "COMMIT; CREATE TABLE intruders (id INTEGER)", true},
		{"checkpoint", "COMMIT; FORCE CHECKPOINT", false},
	})
	if got := digest(t, path); got != before {
		t.Errorf("%s changed", path)
	}
	if ents, err := os.ReadDir(dir); err != nil || len(ents) != 1 {
		t.Errorf("%s holds %v (%v); want only shop.duckdb", dir, ents, err)
	}
	wantCounts(t, src, map[string]int64{"timesheets": countIn(t, sample, "timesheets")})
}

// countIn counts a table's rows in the sample through the test's own view.
func countIn(t *testing.T, path, table string) int64 {
	t.Helper()
	db, err := openPlain(dsn(path)) // the instance already open, read-only
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int64
	if err := db.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestEveryConnectionLocked holds four pool connections at once and checks
// the lockdown on each, not only on the one that set it.
func TestEveryConnectionLocked(t *testing.T) {
	files := dataFiles(t)
	src := openSource(t, config.Source{Files: files})
	src.db.SetMaxOpenConns(4)
	ctx := context.Background()
	for i := 0; i < 4; i++ {
		conn, err := src.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if err := conn.Raw(func(c any) error { return src.verify(c.(driver.QueryerContext)) }); err != nil {
			t.Errorf("connection %d: %v", i, err)
		}
		_, err = conn.ExecContext(ctx, "COPY (SELECT 42) TO "+quoteString(files["orders"])+" (USE_TMP_FILE false)")
		if err == nil {
			t.Errorf("connection %d: COPY over the configured file succeeded", i)
		}
	}
	if n := src.db.Stats().OpenConnections; n != 4 {
		t.Errorf("%d open connections; want 4 distinct ones", n)
	}
}

// TestVerifyRefusesUnlockedEngine: verify must fail on an engine that was
// not locked down, or TestEveryConnectionLocked proves nothing.
func TestVerifyRefusesUnlockedEngine(t *testing.T) {
	files := dataFiles(t)
	db, err := openPlain("")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := &Source{dbPath: files["orders"], dbName: "memory"}
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.Raw(func(c any) error { return s.verify(c.(driver.QueryerContext)) }); err == nil {
		t.Error("verify accepted an engine with file access")
	}
}

// TestSnapshotFolder: the snapshot lives in a private askdb-duckdb-*
// folder of the OS temporary directory, and Close removes it.
func TestSnapshotFolder(t *testing.T) {
	src := openSource(t, config.Source{Files: dataFiles(t)})
	dir := src.snapshotDir
	info, err := os.Stat(dir)
	if err != nil || filepath.Dir(dir) != filepath.Clean(os.TempDir()) || !strings.HasPrefix(filepath.Base(dir), snapshotPrefix) || info.Mode().Perm() != 0o700 {
		t.Fatalf("snapshot folder %q: %v, %v; want a 0700 %s* folder in %s", dir, info, err, snapshotPrefix, os.TempDir())
	}
	if err := src.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s is still there after Close (stat: %v)", dir, err)
	}
}

// TestGuardFunctions: a function added with guard.functions.duckdb passes
// the source's own check, as it passes sqlguard.
func TestGuardFunctions(t *testing.T) {
	const q = "SELECT jaro_similarity('duck', 'duke')"
	src := openSource(t, config.Source{Files: dataFiles(t)})
	if _, err := src.Query(context.Background(), q, source.Limits{}); !errors.Is(err, source.ErrNotAllowed) {
		t.Fatalf("without guard.functions: %v; want ErrNotAllowed (pick a function off the allowlist)", err)
	}
	extended, err := source.Open(context.Background(), "files", config.Source{Kind: Kind, Files: dataFiles(t)},
		source.Options{Functions: map[string][]string{"duckdb": {"Jaro_Similarity"}, "postgres": {"getenv"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer extended.Close()
	if _, err := extended.Query(context.Background(), q, source.Limits{}); err != nil {
		t.Errorf("with guard.functions.duckdb: %v", err)
	}
	if _, err := extended.Query(context.Background(), "SELECT getenv('HOME')", source.Limits{}); !errors.Is(err, source.ErrNotAllowed) {
		t.Errorf("another dialect's extension applied to duckdb: %v", err)
	}
}
