package knowledge

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// file is the YAML layout of one knowledge file.
type file struct {
	Tables   map[string]fileTable `yaml:"tables"`
	Domains  []fileDomain         `yaml:"domains"`
	Metrics  []fileMetric         `yaml:"metrics"`
	Examples []fileExample        `yaml:"examples"`
}

type fileTable struct {
	Description string                `yaml:"description"`
	Synonyms    []string              `yaml:"synonyms"`
	Columns     map[string]fileColumn `yaml:"columns"`
}

type fileColumn struct {
	Description string   `yaml:"description"`
	Synonyms    []string `yaml:"synonyms"`
}

type fileDomain struct {
	Name        string   `yaml:"name"`
	Aliases     []string `yaml:"aliases"`
	Description string   `yaml:"description"`
	Tables      []string `yaml:"tables"`
}

type fileMetric struct {
	Name        string   `yaml:"name"`
	Synonyms    []string `yaml:"synonyms"`
	Domain      string   `yaml:"domain"`
	Definition  string   `yaml:"definition"`
	SQL         string   `yaml:"sql"`
	Tables      []string `yaml:"tables"`
	From        string   `yaml:"from"`
	Filters     []string `yaml:"filters"`
	TimeColumn  string   `yaml:"time_column"`
	Granularity string   `yaml:"granularity"`
}

type fileExample struct {
	Question string `yaml:"question"`
	SQL      string `yaml:"sql"`
	Domain   string `yaml:"domain"`
}

// Load reads and merges knowledge files. Every error names the file and,
// where it can, the line. With no paths it returns empty knowledge.
func Load(paths ...string) (*Knowledge, error) {
	k := &Knowledge{tables: map[string]*Table{}}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("knowledge file %q: %w", p, err)
		}
		if err := k.add(p, data); err != nil {
			return nil, err
		}
	}
	if err := k.validate(); err != nil {
		return nil, err
	}
	k.index()
	return k, nil
}

// Parse is Load for one file already in memory; name is used in errors.
func Parse(name string, data []byte) (*Knowledge, error) {
	k := &Knowledge{tables: map[string]*Table{}}
	if err := k.add(name, data); err != nil {
		return nil, err
	}
	if err := k.validate(); err != nil {
		return nil, err
	}
	k.index()
	return k, nil
}

var (
	yamlLineRE     = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
	unknownFieldRE = regexp.MustCompile(`field (\S+) not found in type \S+`)
	typeNameRE     = regexp.MustCompile(` into knowledge\.\w+| into \[\]knowledge\.\w+| into map\[string\]knowledge\.\w+`)
)

// decodeError rewrites yaml.v3 errors as "file:line: message" lines.
func decodeError(name string, err error) error {
	var msgs []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	} else {
		msgs = []string{err.Error()}
	}
	out := make([]string, len(msgs))
	for i, m := range msgs {
		m = unknownFieldRE.ReplaceAllString(m, `unknown key "$1"`)
		m = typeNameRE.ReplaceAllString(m, "")
		if sm := yamlLineRE.FindStringSubmatch(m); sm != nil {
			out[i] = name + ":" + sm[1] + ": " + sm[2]
		} else {
			out[i] = name + ": " + strings.TrimPrefix(m, "yaml: ")
		}
	}
	return fmt.Errorf("knowledge %s", strings.Join(out, "\n"))
}

func (k *Knowledge) add(name string, data []byte) error {
	var f file
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil // an empty file
		}
		return decodeError(name, err)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return decodeError(name, err)
	}
	pos := positions(name, &root)
	if err := k.addTables(name, f.Tables, pos); err != nil {
		return err
	}
	for i, d := range f.Domains {
		k.domains = append(k.domains, Domain{Name: strings.TrimSpace(d.Name), Aliases: d.Aliases,
			Description: d.Description, Tables: d.Tables, Pos: pos.item("domains", i)})
	}
	for i, m := range f.Metrics {
		k.metrics = append(k.metrics, Metric{Name: strings.TrimSpace(m.Name), Synonyms: m.Synonyms, Domain: m.Domain,
			Definition: m.Definition, SQL: strings.TrimSpace(m.SQL), Tables: m.Tables, From: strings.TrimSpace(m.From),
			Filters: m.Filters, TimeColumn: m.TimeColumn, Granularity: m.Granularity, Pos: pos.item("metrics", i)})
	}
	for i, e := range f.Examples {
		k.exams = append(k.exams, Example{Question: strings.TrimSpace(e.Question), SQL: strings.TrimSpace(e.SQL),
			Domain: e.Domain, Pos: pos.item("examples", i)})
	}
	return nil
}

func (k *Knowledge) addTables(name string, tables map[string]fileTable, pos *filePos) error {
	for _, tname := range pos.tableOrder(tables) {
		ft := tables[tname]
		key := strings.ToLower(tname)
		t, ok := k.tables[key]
		if !ok {
			t = &Table{Name: tname, Pos: pos.table(tname)}
			k.tables[key] = t
			k.order = append(k.order, key)
		}
		if ft.Description != "" {
			if t.Description != "" && t.Description != ft.Description {
				return fmt.Errorf("knowledge %s: table %q has a second description (the first is at %s)", pos.table(tname), tname, t.Pos)
			}
			t.Description = ft.Description
		}
		t.Synonyms = append(t.Synonyms, ft.Synonyms...)
		for _, cname := range pos.columnOrder(tname, ft.Columns) {
			fc := ft.Columns[cname]
			c := findColumn(t, cname)
			if c == nil {
				t.Columns = append(t.Columns, Column{Name: cname, Pos: pos.column(tname, cname)})
				c = &t.Columns[len(t.Columns)-1]
			}
			if fc.Description != "" {
				if c.Description != "" && c.Description != fc.Description {
					return fmt.Errorf("knowledge %s: column %q has a second description (the first is at %s)", pos.column(tname, cname), tname+"."+cname, c.Pos)
				}
				c.Description = fc.Description
			}
			c.Synonyms = append(c.Synonyms, fc.Synonyms...)
		}
	}
	return nil
}

func findColumn(t *Table, name string) *Column {
	for i := range t.Columns {
		if strings.EqualFold(t.Columns[i].Name, name) {
			return &t.Columns[i]
		}
	}
	return nil
}

func itoa(n int) string { return strconv.Itoa(n) }
