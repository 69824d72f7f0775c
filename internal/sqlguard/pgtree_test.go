package sqlguard

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	pg "github.com/pganalyze/pg_query_go/v6"
)

// toAny converts a document to what encoding/json decodes, so the two
// readers can be compared.
func toAny(v jsonValue) any {
	switch v.kind() {
	case jsonBool:
		return v.text() == "true"
	case jsonNumber:
		var f float64
		if err := json.Unmarshal([]byte(v.text()), &f); err != nil {
			panic(err)
		}
		return f
	case jsonString:
		return v.text()
	case jsonArray:
		out := []any{}
		for item := range v.items() {
			out = append(out, toAny(item))
		}
		return out
	case jsonObject:
		out := map[string]any{}
		for k, m := range v.members() {
			out[k] = toAny(m)
		}
		return out
	}
	return nil
}

func assertSameAsStdlib(t *testing.T, doc string) {
	t.Helper()
	var want any
	if err := json.Unmarshal([]byte(doc), &want); err != nil {
		t.Fatalf("encoding/json refuses %q: %v", doc, err)
	}
	v, err := parseJSON(doc)
	if err != nil {
		t.Fatalf("parseJSON(%q): %v", doc, err)
	}
	if got := toAny(v); !reflect.DeepEqual(got, want) {
		t.Fatalf("parseJSON(%q)\n got  %#v\n want %#v", doc, got, want)
	}
}

func TestParseJSONMatchesStdlib(t *testing.T) {
	for _, doc := range []string{
		`{}`, `[]`, `null`, `true`, `false`, `0`, `-12`, `1.5e3`, `""`,
		` { "a" : [ 1 , { "b" : null } , [ ] , { } ] , "c" : "d" } `,
		`"tab\tquote\"slash\\solidus\/nl\n"`,
		`"\u00e9\u0041\b\f\r"`,
		`"\ud83d\ude00 pair"`,
		`{"ü": "ö", "k": "DELETE FROM t; --"}`,
	} {
		assertSameAsStdlib(t, doc)
	}
	// A lone surrogate decodes to U+FFFD, as in encoding/json.
	assertSameAsStdlib(t, `"\ud83d alone"`)
}

// TestParseJSONParseTrees compares the reader with encoding/json on the parse
// trees libpg_query writes for the test cases and the BIRD PostgreSQL gold
// queries.
func TestParseJSONParseTrees(t *testing.T) {
	var sqls []string
	for _, c := range loadCases(t) {
		if c.dialect == "postgres" {
			sqls = append(sqls, c.sql)
		}
	}
	if _, err := os.Stat(filepath.Join(sharedPath, "datasets")); err == nil {
		for _, q := range loadBirdGold(t, "mini_dev_postgresql_gold.sql") {
			sqls = append(sqls, q.sql)
		}
	}
	n := 0
	for _, sql := range sqls {
		doc, err := pg.ParseToJSON(sql)
		if err != nil {
			continue
		}
		assertSameAsStdlib(t, doc)
		n++
	}
	if n < 100 {
		t.Fatalf("compared only %d parse trees", n)
	}
	t.Logf("%d parse trees read the same as encoding/json", n)
}

func TestParseJSONRefusesMalformed(t *testing.T) {
	for _, doc := range []string{
		``, `{`, `[`, `{"a"}`, `{"a":1,}`, `[1 2]`, `[1,]`, `"abc`, `"\x"`, `"\u12"`, `"\`,
		`{} x`, `{a:1}`, `nul`, `{"a":1 "b":2}`, `tru`,
		strings.Repeat("[", maxJSONDepth+2) + strings.Repeat("]", maxJSONDepth+2),
	} {
		if _, err := parseJSON(doc); err == nil {
			t.Errorf("parseJSON(%.40q) = nil error, want one", doc)
		}
	}
}

func TestParseJSONAccessors(t *testing.T) {
	v, err := parseJSON(`{"A_Const":{"ival":{"ival":-7},"isnull":true,"location":12,"s":"x\"y","l":[{"String":{"sval":"a"}},{}]}}`)
	if err != nil {
		t.Fatal(err)
	}
	kind, c := v.node()
	if kind != "A_Const" {
		t.Fatalf("node kind %q", kind)
	}
	if got := c.get("ival").int("ival"); got != -7 {
		t.Errorf("ival = %d", got)
	}
	if !c.bool("isnull") || c.bool("missing") || !c.has("location") || c.has("missing") {
		t.Errorf("bool/has wrong")
	}
	if got := c.int("location"); got != 12 {
		t.Errorf("location = %d", got)
	}
	if got := c.int("missing"); got != 0 {
		t.Errorf("absent int = %d, want 0", got)
	}
	if got := c.str("s"); got != `x"y` {
		t.Errorf("str = %q", got)
	}
	if got := c.get("l").len(); got != 2 {
		t.Errorf("len = %d", got)
	}
	var svals []string
	for item := range c.get("l").items() {
		svals = append(svals, pgString(item))
	}
	if strings.Join(svals, ",") != "a," {
		t.Errorf("items = %q", svals)
	}
	if kind, _ := c.node(); kind != "" {
		t.Errorf("an object with several members is not a node, got %q", kind)
	}
	var null jsonValue
	if null.kind() != jsonNull || null.len() != 0 || null.get("x").kind() != jsonNull {
		t.Errorf("zero value is not null")
	}
}

// TestWalkRefusesUnknownTree proves the walk fails closed when the JSON does
// not match the schema: a subtree under a key or node type it does not know
// is refused, never skipped.
func TestWalkRefusesUnknownTree(t *testing.T) {
	types := pgTypes()
	for _, doc := range []string{
		`{"bogus":{"FuncCall":{"funcname":[{"String":{"sval":"pg_sleep"}}]}}}`,
		`{"targetList":[{"NoSuchNode":{}}]}`,
		`{"targetList":[{"ResTarget":{},"ColumnRef":{}}]}`,
		`{"targetList":{"ResTarget":{}}}`,
		`{"whereClause":[1]}`,
	} {
		v, err := parseJSON(doc)
		if err != nil {
			t.Fatal(err)
		}
		w := &pgWalker{g: newGuard(Options{Dialect: "postgres"}), f: newFacts(), node: types["Node"]}
		r := w.message(types["SelectStmt"], v)
		if r == nil || r.rule != RuleParse {
			t.Errorf("%s: got %v, want a parse refusal", doc, r)
		}
	}
}
