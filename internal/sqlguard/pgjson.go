package sqlguard

import (
	"errors"
	"fmt"
	"iter"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// libpg_query hands its parse tree to Go either as protobuf or as JSON. The
// C side of the protobuf path (protobuf-c sizing every member of the
// 270-member Node oneof, at every level) costs about six times the parse
// itself, and decoding it in Go costs as much again; the JSON path costs
// about as much as the parse. So the PostgreSQL checker reads the JSON with
// the small reader below, and walks it with the protobuf descriptors (see
// pgtypes.go), which say what every key holds. The deparser, which needs a
// protobuf tree, is used only on the rare row-cap shapes that need it.
//
// The reader validates the whole document into a flat tape of tokens, one
// allocation with no pointers, and values are handles into it. Strings are
// decoded only when read.

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

// jsonTok is one value, or one member name, on the tape.
type jsonTok struct {
	kind jsonKind
	// escaped: the string holds backslash escapes.
	escaped bool
	// start and end span a scalar's text in the document: a string's
	// contents without the quotes, a number's literal, true or false.
	start, end uint32
	// next is the index of the token after this value and everything in it.
	next uint32
}

type jsonDoc struct {
	s    string
	tape []jsonTok
}

// jsonValue is a handle to one value of a document. The zero jsonValue is
// null.
type jsonValue struct {
	doc *jsonDoc
	i   uint32
}

func (v jsonValue) kind() jsonKind {
	if v.doc == nil {
		return jsonNull
	}
	return v.doc.tape[v.i].kind
}

// members yields an object's member names and values, in order.
func (v jsonValue) members() iter.Seq2[string, jsonValue] {
	return func(yield func(string, jsonValue) bool) {
		if v.kind() != jsonObject {
			return
		}
		t := v.doc.tape
		for j := v.i + 1; j < t[v.i].next; j = t[j+1].next {
			if !yield(v.doc.text(j), jsonValue{v.doc, j + 1}) {
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
		t := v.doc.tape
		for j := v.i + 1; j < t[v.i].next; j = t[j].next {
			if !yield(jsonValue{v.doc, j}) {
				return
			}
		}
	}
}

// len returns the number of an object's members or an array's items.
func (v jsonValue) len() int {
	n := 0
	switch v.kind() {
	case jsonObject:
		for range v.members() {
			n++
		}
	case jsonArray:
		for range v.items() {
			n++
		}
	}
	return n
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
		return v.doc.text(v.i)
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
	if v.kind() != jsonObject {
		return "", jsonValue{}
	}
	t := v.doc.tape
	if first := v.i + 1; first < t[v.i].next && t[first+1].next == t[v.i].next {
		return v.doc.text(first), jsonValue{v.doc, first + 1}
	}
	return "", jsonValue{}
}

// text decodes the string or scalar at tape index i. Escapes were checked
// when the tape was built.
func (d *jsonDoc) text(i uint32) string {
	tok := d.tape[i]
	raw := d.s[tok.start:tok.end]
	if !tok.escaped {
		return raw
	}
	s, _ := unescapeJSON(raw)
	return s
}

// maxJSONDepth bounds nesting. The complexity pre-scan keeps real queries far
// below it; this only keeps the reader's own recursion bounded.
const maxJSONDepth = 10000

var errJSONDepth = errors.New("JSON nested too deeply")

// parseJSON reads and validates one JSON document.
func parseJSON(s string) (jsonValue, error) {
	if uint64(len(s)) >= 1<<32 {
		return jsonValue{}, errors.New("parse tree JSON too large")
	}
	// Every token is a member name, a member's value, an array item or the
	// root, so this bounds the tape and it is allocated once.
	size := 2*strings.Count(s, ":") + strings.Count(s, ",") + strings.Count(s, "[") + 1
	r := jsonReader{s: s, tape: make([]jsonTok, 0, size)}
	if err := r.value(0); err != nil {
		return jsonValue{}, err
	}
	r.space()
	if r.i != len(r.s) {
		return jsonValue{}, r.errorf("unexpected text after the document")
	}
	return jsonValue{doc: &jsonDoc{s: s, tape: r.tape}}, nil
}

type jsonReader struct {
	s    string
	i    int
	tape []jsonTok
}

func (r *jsonReader) errorf(format string, args ...any) error {
	return fmt.Errorf("parse tree JSON at byte %d: %s", r.i, fmt.Sprintf(format, args...))
}

func (r *jsonReader) space() {
	for r.i < len(r.s) {
		switch r.s[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

// scalar appends a scalar token spanning s[start:end].
func (r *jsonReader) scalar(kind jsonKind, start, end int, escaped bool) {
	n := uint32(len(r.tape))
	r.tape = append(r.tape, jsonTok{kind: kind, escaped: escaped, start: uint32(start), end: uint32(end), next: n + 1})
}

func (r *jsonReader) value(depth int) error {
	if depth > maxJSONDepth {
		return errJSONDepth
	}
	r.space()
	if r.i >= len(r.s) {
		return r.errorf("unexpected end")
	}
	switch c := r.s[r.i]; {
	case c == '{':
		return r.container(jsonObject, '}', depth)
	case c == '[':
		return r.container(jsonArray, ']', depth)
	case c == '"':
		return r.string()
	case c == '-' || c >= '0' && c <= '9':
		start := r.i
		r.i++
		for r.i < len(r.s) && strings.IndexByte("0123456789.eE+-", r.s[r.i]) >= 0 {
			r.i++
		}
		r.scalar(jsonNumber, start, r.i, false)
		return nil
	}
	for _, lit := range [...]struct {
		word string
		kind jsonKind
	}{{"true", jsonBool}, {"false", jsonBool}, {"null", jsonNull}} {
		if strings.HasPrefix(r.s[r.i:], lit.word) {
			r.scalar(lit.kind, r.i, r.i+len(lit.word), false)
			r.i += len(lit.word)
			return nil
		}
	}
	return r.errorf("unexpected %q", r.s[r.i])
}

// container reads an object or an array: its token, then its kids (for an
// object, each member's name token followed by its value).
func (r *jsonReader) container(kind jsonKind, closing byte, depth int) error {
	at := len(r.tape)
	r.tape = append(r.tape, jsonTok{kind: kind})
	r.i++
	r.space()
	if r.i < len(r.s) && r.s[r.i] == closing {
		r.i++
		r.tape[at].next = uint32(len(r.tape))
		return nil
	}
	for {
		if kind == jsonObject {
			r.space()
			if r.i >= len(r.s) || r.s[r.i] != '"' {
				return r.errorf("expected a member name")
			}
			if err := r.string(); err != nil {
				return err
			}
			r.space()
			if r.i >= len(r.s) || r.s[r.i] != ':' {
				return r.errorf("expected ':'")
			}
			r.i++
		}
		if err := r.value(depth + 1); err != nil {
			return err
		}
		r.space()
		if r.i < len(r.s) && r.s[r.i] == ',' {
			r.i++
			continue
		}
		if r.i < len(r.s) && r.s[r.i] == closing {
			r.i++
			r.tape[at].next = uint32(len(r.tape))
			return nil
		}
		return r.errorf("expected ',' or %q", closing)
	}
}

// string reads a quoted string into a token, checking any escapes.
func (r *jsonReader) string() error {
	r.i++ // opening quote
	start := r.i
	end := strings.IndexByte(r.s[start:], '"')
	if end < 0 {
		return r.errorf("unterminated string")
	}
	if strings.IndexByte(r.s[start:start+end], '\\') < 0 {
		r.i = start + end
		r.scalar(jsonString, start, r.i, false)
		r.i++
		return nil
	}
	for r.i < len(r.s) {
		switch r.s[r.i] {
		case '"':
			if _, err := unescapeJSON(r.s[start:r.i]); err != nil {
				return r.errorf("%v", err)
			}
			r.scalar(jsonString, start, r.i, true)
			r.i++
			return nil
		case '\\':
			r.i += 2
		default:
			r.i++
		}
	}
	return r.errorf("unterminated string")
}

// unescapeJSON decodes the contents of a JSON string that holds escapes.
func unescapeJSON(raw string) (string, error) {
	var b strings.Builder
	b.Grow(len(raw))
	for i := 0; i < len(raw); {
		c := raw[i]
		if c != '\\' {
			b.WriteByte(c)
			i++
			continue
		}
		if i+1 >= len(raw) {
			return "", errors.New("unterminated escape")
		}
		e := raw[i+1]
		i += 2
		switch e {
		case '"', '\\', '/':
			b.WriteByte(e)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			c1, ok := hex4(raw, i)
			if !ok {
				return "", errors.New(`bad \u escape`)
			}
			i += 4
			ch := rune(c1)
			if utf16.IsSurrogate(ch) && strings.HasPrefix(raw[i:], `\u`) {
				if c2, ok := hex4(raw, i+2); ok {
					ch = utf16.DecodeRune(ch, rune(c2))
					i += 6
				}
			}
			if utf16.IsSurrogate(ch) {
				ch = utf8.RuneError
			}
			b.WriteRune(ch)
		default:
			return "", fmt.Errorf(`bad escape \%c`, e)
		}
	}
	return b.String(), nil
}

func hex4(s string, i int) (uint16, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	n, err := strconv.ParseUint(s[i:i+4], 16, 16)
	return uint16(n), err == nil
}
