package knowledge

import (
	"sort"

	"gopkg.in/yaml.v3"
)

// filePos remembers where each entry of one file was written, and the
// order of map keys, which decoding into Go maps loses.
type filePos struct {
	name     string
	tables   map[string]int
	tableSeq []string
	columns  map[string]map[string]int
	colSeq   map[string][]string
	items    map[string][]int // "domains", "metrics", "examples" → line of each item
}

func positions(name string, root *yaml.Node) *filePos {
	p := &filePos{name: name, tables: map[string]int{}, columns: map[string]map[string]int{},
		colSeq: map[string][]string{}, items: map[string][]int{}}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return p
	}
	doc := root.Content[0]
	for i := 0; i+1 < len(doc.Content); i += 2 {
		key, val := doc.Content[i].Value, doc.Content[i+1]
		switch key {
		case "tables":
			p.walkTables(val)
		case "domains", "metrics", "examples":
			if val.Kind == yaml.SequenceNode {
				for _, item := range val.Content {
					p.items[key] = append(p.items[key], item.Line)
				}
			}
		}
	}
	return p
}

func (p *filePos) walkTables(n *yaml.Node) {
	if n.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		tname, tval := n.Content[i].Value, n.Content[i+1]
		p.tables[tname] = n.Content[i].Line
		p.tableSeq = append(p.tableSeq, tname)
		p.columns[tname] = map[string]int{}
		if tval.Kind != yaml.MappingNode {
			continue
		}
		for j := 0; j+1 < len(tval.Content); j += 2 {
			if tval.Content[j].Value != "columns" || tval.Content[j+1].Kind != yaml.MappingNode {
				continue
			}
			cols := tval.Content[j+1]
			for c := 0; c+1 < len(cols.Content); c += 2 {
				p.columns[tname][cols.Content[c].Value] = cols.Content[c].Line
				p.colSeq[tname] = append(p.colSeq[tname], cols.Content[c].Value)
			}
		}
	}
}

func (p *filePos) table(name string) Pos { return Pos{File: p.name, Line: p.tables[name]} }

func (p *filePos) column(table, name string) Pos {
	return Pos{File: p.name, Line: p.columns[table][name]}
}

func (p *filePos) item(kind string, i int) Pos {
	if i < len(p.items[kind]) {
		return Pos{File: p.name, Line: p.items[kind][i]}
	}
	return Pos{File: p.name}
}

// tableOrder lists m's keys in file order (sorted for any not seen).
func (p *filePos) tableOrder(m map[string]fileTable) []string {
	return ordered(p.tableSeq, m)
}

func (p *filePos) columnOrder(table string, m map[string]fileColumn) []string {
	return ordered(p.colSeq[table], m)
}

func ordered[V any](seq []string, m map[string]V) []string {
	out := make([]string, 0, len(m))
	seen := map[string]bool{}
	for _, k := range seq {
		if _, ok := m[k]; ok && !seen[k] {
			out = append(out, k)
			seen[k] = true
		}
	}
	var rest []string
	for k := range m {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}
