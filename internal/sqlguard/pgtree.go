package sqlguard

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"
)

// libpg_query hands its parse tree to Go either as protobuf or as JSON. The
// C side of the protobuf path (protobuf-c sizing every member of the
// 270-member Node oneof, at every level) costs about six times the parse
// itself (BenchmarkPostgresParser), so the PostgreSQL checker reads the
// JSON, with encoding/json's tokenizer, into the small ordered tree below,
// and walks it with the protobuf descriptors (see pgtypes.go), which say
// what every key holds. The deparser, which needs a protobuf tree, is used
// only on the rare row-cap shapes that need it.
//
// A hand-written 408-line tape reader (pgjson.go, until issue 16) was about
// 4× faster than this tree on BenchmarkCheck/postgres (p50 42 µs against
// 213 µs, machine loaded), but that is not material to an answer: on
// BenchmarkAskPostgres the guard step's p50 went from 44 to 64 µs (count)
// and from 123 to 209 µs (join-aggregate) of answers of 1.7 and 5.5 ms,
// about 1.5%, and the answers' own times did not change measurably
// (p=0.96, p=0.57, n=8). See docs/architecture.md.

// jsonKind is the type of a JSON value.
type jsonKind uint8

const (
	jsonNull jsonKind = iota
	jsonBool
	jsonNumber
	jsonString
	jsonArray
	jsonObject
)

// jsonNode is one decoded value: a scalar's text (a string's value, a
// number's literal, true or false), or a container's members in order.
type jsonNode struct {
	kind jsonKind
	text string
	keys []string // an object's member names, parallel to vals
	vals []jsonValue
}

// jsonValue is a handle to one value of a document. The zero jsonValue is
// null.
type jsonValue struct{ n *jsonNode }

func (v jsonValue) kind() jsonKind {
	if v.n == nil {
		return jsonNull
	}
	return v.n.kind
}

// members yields an object's member names and values, in order.
func (v jsonValue) members() iter.Seq2[string, jsonValue] {
	return func(yield func(string, jsonValue) bool) {
		if v.kind() != jsonObject {
			return
		}
		for i, k := range v.n.keys {
			if !yield(k, v.n.vals[i]) {
				return
			}
		}
	}
}

// items yields an array's items, in order.
func (v jsonValue) items() iter.Seq[jsonValue] {
	return func(yield func(jsonValue) bool) {
		if v.kind() != jsonArray {
			return
		}
		for _, item := range v.n.vals {
			if !yield(item) {
				return
			}
		}
	}
}

// len returns the number of an object's members or an array's items.
func (v jsonValue) len() int {
	if k := v.kind(); k == jsonObject || k == jsonArray {
		return len(v.n.vals)
	}
	return 0
}

// get returns the member named key, or null.
func (v jsonValue) get(key string) jsonValue {
	for k, m := range v.members() {
		if k == key {
			return m
		}
	}
	return jsonValue{}
}

func (v jsonValue) has(key string) bool { return v.get(key).kind() != jsonNull }

// text returns a string's decoded value or a scalar's literal.
func (v jsonValue) text() string {
	switch v.kind() {
	case jsonString, jsonNumber, jsonBool:
		return v.n.text
	}
	return ""
}

// str returns the string member key, or "".
func (v jsonValue) str(key string) string {
	if m := v.get(key); m.kind() == jsonString {
		return m.text()
	}
	return ""
}

// int returns the integer member key; an absent member is 0, as libpg_query
// leaves out zero values.
func (v jsonValue) int(key string) int {
	if m := v.get(key); m.kind() == jsonNumber {
		if n, err := strconv.Atoi(m.text()); err == nil {
			return n
		}
	}
	return 0
}

func (v jsonValue) bool(key string) bool {
	m := v.get(key)
	return m.kind() == jsonBool && m.text() == "true"
}

// node unwraps a parse-tree Node, written as {"TypeName": {...}}.
func (v jsonValue) node() (string, jsonValue) {
	if v.kind() != jsonObject || len(v.n.keys) != 1 {
		return "", jsonValue{}
	}
	return v.n.keys[0], v.n.vals[0]
}

// maxJSONDepth bounds nesting. The complexity pre-scan keeps real queries far
// below it; this only keeps the reader's own recursion bounded.
const maxJSONDepth = 10000

var errJSONDepth = errors.New("JSON nested too deeply")

// parseJSON reads and validates one JSON document with encoding/json's
// tokenizer, keeping members in order.
func parseJSON(s string) (jsonValue, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	v, err := readJSON(dec, 0)
	if err != nil {
		return jsonValue{}, fmt.Errorf("parse tree JSON: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return jsonValue{}, errors.New("parse tree JSON: unexpected text after the document")
	}
	return v, nil
}

func readJSON(dec *json.Decoder, depth int) (jsonValue, error) {
	if depth > maxJSONDepth {
		return jsonValue{}, errJSONDepth
	}
	tok, err := dec.Token()
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return jsonValue{}, err
	}
	switch t := tok.(type) {
	case nil:
		return jsonValue{}, nil
	case bool:
		return jsonValue{&jsonNode{kind: jsonBool, text: strconv.FormatBool(t)}}, nil
	case json.Number:
		return jsonValue{&jsonNode{kind: jsonNumber, text: string(t)}}, nil
	case string:
		return jsonValue{&jsonNode{kind: jsonString, text: t}}, nil
	case json.Delim:
		n := &jsonNode{kind: jsonArray}
		if t == '{' {
			n.kind = jsonObject
		}
		for dec.More() {
			if n.kind == jsonObject {
				k, err := dec.Token()
				if err != nil {
					return jsonValue{}, err
				}
				n.keys = append(n.keys, k.(string))
			}
			item, err := readJSON(dec, depth+1)
			if err != nil {
				return jsonValue{}, err
			}
			n.vals = append(n.vals, item)
		}
		if _, err := dec.Token(); err != nil { // the closing delimiter
			return jsonValue{}, err
		}
		return jsonValue{n}, nil
	}
	return jsonValue{}, fmt.Errorf("unexpected token %v", tok)
}
