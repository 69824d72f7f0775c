package config

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// checkKeys walks the document against the shape of Config before it is
// decoded, so that a mistake is told in the user's terms: the key, its
// real line, where it belongs, and the known key it is closest to.
// yaml.v3's own messages name Go types ("cannot unmarshal !!int into
// config.Source") and give no suggestions.
func checkKeys(doc *yaml.Node) error {
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		doc = doc.Content[0]
	}
	var errs []string
	walkKeys(doc, reflect.TypeOf(Config{}), "", &errs)
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("%s", joinLines(errs))
}

func walkKeys(n *yaml.Node, t reflect.Type, where string, errs *[]string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n.Kind != yaml.MappingNode {
		return // scalars and sequences: the decoder's type checks apply
	}
	switch t.Kind() {
	case reflect.Struct:
		fields := structKeys(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			ft, ok := fields[k.Value]
			if !ok {
				*errs = append(*errs, unknownKey(k, where, fields))
				continue
			}
			walkKeys(v, ft, strings.TrimPrefix(where+"."+k.Value, "."), errs)
		}
	case reflect.Map:
		elem := t.Elem()
		for elem.Kind() == reflect.Pointer {
			elem = elem.Elem()
		}
		if elem.Kind() != reflect.Struct {
			return
		}
		fields := structKeys(elem)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if v.Kind == yaml.MappingNode {
				walkKeys(v, elem, where+"."+k.Value, errs)
				continue
			}
			entry := strings.TrimSuffix(where, "s") // sources → source, models → model
			if _, isField := fields[k.Value]; isField {
				*errs = append(*errs, fmt.Sprintf("line %d: %q is a %s setting but is indented as a %s name under %s: indent it under one %s (%s.<name>.%s)",
					k.Line, k.Value, entry, entry, where, entry, where, k.Value))
				continue
			}
			*errs = append(*errs, fmt.Sprintf("line %d: %s %q must be a mapping of settings (kind: …), not a single value", k.Line, entry, k.Value))
		}
	}
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
