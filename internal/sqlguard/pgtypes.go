package sqlguard

import (
	"fmt"
	"sync"

	pg "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// pgType describes one parse-tree message for the JSON walk: for every key
// libpg_query can write, whether it holds more of the tree and of what type.
// It is built once from pg_query_go's protobuf descriptors, so the walk
// follows the same schema as the parser and no part of the tree is skipped:
// a key or node type the schema does not know is refused, not ignored.
type pgType struct {
	name string
	// node is pg_query.Node, a oneof over every node type, which libpg_query
	// writes as {"TypeName": {...}}.
	node   bool
	fields map[string]pgField
}

type pgField struct {
	typ  *pgType // nil for scalars and enums
	list bool
}

// pgTypes maps the name of every message a parse tree can hold (SelectStmt,
// Node, ...) to its description.
var pgTypes = sync.OnceValue(func() map[string]*pgType {
	byName := map[protoreflect.FullName]*pgType{}
	describePG((&pg.ParseResult{}).ProtoReflect().Descriptor(), byName)
	types := make(map[string]*pgType, len(byName))
	for full, t := range byName {
		if _, dup := types[t.name]; dup {
			panic(fmt.Sprintf("sqlguard: two parse-tree messages are named %s (%s)", t.name, full))
		}
		types[t.name] = t
	}
	return types
})

// describePG describes md and, through its fields, every message it holds.
func describePG(md protoreflect.MessageDescriptor, byName map[protoreflect.FullName]*pgType) *pgType {
	if t, ok := byName[md.FullName()]; ok {
		return t
	}
	if md.ParentFile() != pg.File_pg_query_proto {
		panic(fmt.Sprintf("sqlguard: %s is outside the parse-tree schema", md.FullName()))
	}
	t := &pgType{name: string(md.Name()), node: md.FullName() == "pg_query.Node", fields: map[string]pgField{}}
	byName[md.FullName()] = t
	fields := md.Fields()
	for j := 0; j < fields.Len(); j++ {
		fd := fields.Get(j)
		if fd.IsMap() {
			panic(fmt.Sprintf("sqlguard: unexpected map field %s in the PostgreSQL parse tree", fd.FullName()))
		}
		f := pgField{list: fd.IsList()}
		if fd.Kind() == protoreflect.MessageKind || fd.Kind() == protoreflect.GroupKind {
			f.typ = describePG(fd.Message(), byName)
		}
		// libpg_query writes the C struct's member name, which is the field's
		// JSON name (targetList) or its protobuf name (agg_distinct, stmt_len).
		for _, key := range []string{fd.JSONName(), string(fd.Name())} {
			if prev, ok := t.fields[key]; ok && prev != f {
				panic(fmt.Sprintf("sqlguard: %s: two fields are written as %q", md.FullName(), key))
			}
			t.fields[key] = f
		}
	}
	return t
}
