package config

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// decode reads the document into cfg in one pass over its yaml.Node tree.
// The tree is first walked against the shape of Config, so that a mistake
// is told in the user's terms: the key, its real line, where it belongs,
// the known key it is closest to, and what a value should have been.
// yaml.v3's own messages name Go types ("cannot unmarshal !!int into
// config.Source", "field paht not found in type config.Source") and give
// no suggestions. The walk also records each source entry's lines.
func decode(doc *yaml.Node, cfg *Config) error {
	root := doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind == 0 || root.Kind == yaml.DocumentNode || root.Tag == "!!null" {
		return nil // an empty file, or only comments
	}
	w := walker{lines: map[string]map[string]int{}}
	w.walk(root, reflect.TypeOf(Config{}), "")
	if len(w.errs) > 0 {
		return fmt.Errorf("%s", joinLines(w.errs))
	}
	if err := root.Decode(cfg); err != nil {
		var te *yaml.TypeError
		if errors.As(err, &te) {
			// The walk checks every value's shape and type, so this is a
			// fallback: yaml.v3's messages already carry the line.
			return fmt.Errorf("%s", joinLines(te.Errors))
		}
		return err
	}
	for name, s := range cfg.Sources {
		s.Lines = w.lines["sources."+name]
		cfg.Sources[name] = s
	}
	return nil
}

// walker collects the errors of one walk, and the lines of the keys of
// every named entry (sources.<name>, models.<name>) under "" for the
// entry's own name.
type walker struct {
	errs  []string
	lines map[string]map[string]int
}

func (w *walker) errorf(format string, args ...any) {
	w.errs = append(w.errs, fmt.Sprintf(format, args...))
}

var unmarshalerType = reflect.TypeFor[yaml.Unmarshaler]()

// walk checks n against type t, found at where ("sources.hr.policy").
func (w *walker) walk(n *yaml.Node, t reflect.Type, where string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n.Tag == "!!null" || reflect.PointerTo(t).Implements(unmarshalerType) {
		return // empty means the default; Duration checks itself, with the line
	}
	switch t.Kind() {
	case reflect.Struct:
		if w.shape(n, yaml.MappingNode, where, "a mapping of settings (key: value)") {
			w.fields(n, t, where)
		}
	case reflect.Map:
		if w.shape(n, yaml.MappingNode, where, "a mapping (name: value)") {
			w.entries(n, t.Elem(), where)
		}
	case reflect.Slice:
		if w.shape(n, yaml.SequenceNode, where, "a list ([a, b] or lines starting with -)") {
			for _, item := range n.Content {
				w.walk(item, t.Elem(), where)
			}
		}
	default:
		if w.shape(n, yaml.ScalarNode, where, "a single value") {
			w.scalar(n, t, where)
		}
	}
}

// shape reports whether n is of kind want, and says what it should be
// when it is not.
func (w *walker) shape(n *yaml.Node, want yaml.Kind, where, what string) bool {
	if n.Kind == want {
		return true
	}
	if where == "" {
		where = "the file"
	}
	w.errorf("line %d: %s must be %s", n.Line, where, what)
	return false
}

// fields checks the keys of a struct's mapping, and their values.
func (w *walker) fields(n *yaml.Node, t reflect.Type, where string) {
	fields := structKeys(t)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		ft, ok := fields[k.Value]
		if !ok {
			w.errs = append(w.errs, unknownKey(k, where, fields))
			continue
		}
		w.walk(v, ft, strings.TrimPrefix(where+"."+k.Value, "."))
	}
}

// entries checks the values of a map; a map of structs is a set of named
// entries (sources, models), whose lines are recorded.
func (w *walker) entries(n *yaml.Node, elem reflect.Type, where string) {
	for elem.Kind() == reflect.Pointer {
		elem = elem.Elem()
	}
	named := elem.Kind() == reflect.Struct
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		path := where + "." + k.Value
		if !named {
			w.walk(v, elem, path)
			continue
		}
		if v.Kind != yaml.MappingNode {
			w.errs = append(w.errs, notAnEntry(k, where, structKeys(elem)))
			continue
		}
		lines := map[string]int{"": k.Line}
		for j := 0; j+1 < len(v.Content); j += 2 {
			lines[v.Content[j].Value] = v.Content[j].Line
		}
		w.lines[path] = lines
		w.walk(v, elem, path)
	}
}

// notAnEntry explains a named entry that holds a single value, most often
// a setting indented one level too little.
func notAnEntry(k *yaml.Node, where string, fields map[string]reflect.Type) string {
	entry := strings.TrimSuffix(where, "s") // sources → source, models → model
	if _, isField := fields[k.Value]; isField {
		return fmt.Sprintf("line %d: %q is a %s setting but is indented as a %s name under %s: indent it under one %s (%s.<name>.%s)",
			k.Line, k.Value, entry, entry, where, entry, where, k.Value)
	}
	return fmt.Sprintf("line %d: %s %q must be a mapping of settings (kind: …), not a single value", k.Line, entry, k.Value)
}

// scalar checks that a single value decodes as t, in words a user reads.
func (w *walker) scalar(n *yaml.Node, t reflect.Type, where string) {
	if err := n.Decode(reflect.New(t).Interface()); err == nil {
		return
	}
	want := "a string"
	switch t.Kind() {
	case reflect.Bool:
		want = "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		want = "a whole number"
	case reflect.Float32, reflect.Float64:
		want = "a number"
	}
	w.errorf("line %d: %s must be %s, not %q", n.Line, where, want, n.Value)
}

// unknownKey says which key is unknown, where, the known key it is closest
// to, and where it belongs when it is a key of another part of the file.
func unknownKey(k *yaml.Node, where string, fields map[string]reflect.Type) string {
	msg := fmt.Sprintf("line %d: unknown key %q", k.Line, k.Value)
	if where != "" {
		msg += " in " + where
	}
	known := make([]string, 0, len(fields))
	for name := range fields {
		known = append(known, name)
	}
	if s := Closest(k.Value, known); s != "" {
		return msg + fmt.Sprintf(`; did you mean %q?`, s)
	}
	if home := homeOf(k.Value); home != "" && home != where {
		return msg + fmt.Sprintf("; %q belongs under %s", k.Value, home)
	}
	sort.Strings(known)
	return msg + " (known: " + joinComma(known) + ")"
}

// structKeys maps a struct's yaml keys to their types.
func structKeys(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out[name] = f.Type
	}
	return out
}

// homeOf returns where in the file key is a known key ("sources.<name>"),
// or "".
func homeOf(key string) string {
	var find func(t reflect.Type, where string, depth int) string
	find = func(t reflect.Type, where string, depth int) string {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if depth > 3 {
			return ""
		}
		switch t.Kind() {
		case reflect.Map:
			return find(t.Elem(), where+".<name>", depth+1)
		case reflect.Slice:
			return find(t.Elem(), where, depth+1)
		case reflect.Struct:
			fields := structKeys(t)
			if _, ok := fields[key]; ok && where != "" {
				return where
			}
			names := make([]string, 0, len(fields))
			for n := range fields {
				names = append(names, n)
			}
			sort.Strings(names)
			for _, n := range names {
				if h := find(fields[n], strings.TrimPrefix(where+"."+n, "."), depth+1); h != "" {
					return h
				}
			}
		}
		return ""
	}
	return find(reflect.TypeOf(Config{}), "", 0)
}

// Closest returns the known word within a small edit distance of key, or
// "": the "did you mean" of every config error, source kinds' included.
func Closest(key string, known []string) string {
	best, bestD := "", len(key)/3+2
	sort.Strings(known)
	for _, k := range known {
		if d := editDistance(key, k); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

// editDistance is the Damerau–Levenshtein distance (optimal string
// alignment): "dns" is one transposition from "dsn".
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
