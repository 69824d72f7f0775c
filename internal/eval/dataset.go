package eval

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/retrieve"
	"github.com/askdb/askdb/internal/schema"
)

// Question is one dataset item: a question about database DB with its gold
// SQL. Evidence is BIRD's hint, empty for Spider.
type Question struct {
	ID       int    `json:"id"`
	DB       string `json:"db_id"`
	Question string `json:"question"`
	Evidence string `json:"evidence,omitempty"`
	SQL      string `json:"sql"`
}

// LinkerInput is the text a schema linker sees: the question, followed by
// the evidence when there is one, as BIRD's protocol gives both.
func (q Question) LinkerInput() string {
	if q.Evidence == "" {
		return q.Question
	}
	return q.Question + " " + q.Evidence
}

// Database is one dataset database as askdb sees it.
type Database struct {
	Catalog *catalog.Catalog
	// Extra carries dataset knowledge that is not in the catalog, such as
	// the natural-language column names of the Spider format.
	Extra retrieve.Extra
	// Values, when set, is the values index read from the database's
	// data; else the prompt matches questions against the samples only.
	Values *schema.Values
}

// Dataset is a set of questions over a set of databases.
type Dataset struct {
	Name      string
	Databases map[string]*Database
	Questions []Question
}

// Spider splits for LoadSpiderSplit: the questions file each names.
const (
	SplitDev   = "dev"
	SplitTrain = "train"
)

// LoadSpider reads a Spider-layout folder: tables.json and the questions
// of whichever split is there (dev.json, else train.json).
func LoadSpider(dir string) (*Dataset, error) { return LoadSpiderSplit(dir, "") }

// LoadSpiderSplit reads a Spider-layout folder: tables.json and
// <split>.json. An empty split reads dev.json, or train.json when the
// folder has no dev.json (the spider-train folder holds only train.json).
func LoadSpiderSplit(dir, split string) (*Dataset, error) {
	file, err := splitFile(dir, split)
	if err != nil {
		return nil, err
	}
	dbs, err := loadSchemas(filepath.Join(dir, "tables.json"))
	if err != nil {
		return nil, err
	}
	var raw []struct {
		DB       string `json:"db_id"`
		Question string `json:"question"`
		Query    string `json:"query"`
	}
	if err := readJSON(file, &raw); err != nil {
		return nil, err
	}
	ds := &Dataset{Name: "spider", Databases: dbs}
	for i, r := range raw {
		ds.Questions = append(ds.Questions, Question{ID: i, DB: r.DB, Question: r.Question, SQL: r.Query})
	}
	return ds, nil
}

// LoadBIRD reads a BIRD mini-dev folder: mini_dev_sqlite.json,
// dev_tables.json and the annotated DDL in ddl/<db>.sql, whose comments
// become table and column comments and whose quoted examples become
// column samples.
func LoadBIRD(dir string) (*Dataset, error) {
	dbs, err := loadSchemas(filepath.Join(dir, "dev_tables.json"))
	if err != nil {
		return nil, err
	}
	for name, db := range dbs {
		path := filepath.Join(dir, "ddl", name+".sql")
		text, err := os.ReadFile(path)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("bird ddl %q: %w", path, err)
		}
		annotate(db.Catalog, parseAnnotatedDDL(string(text)))
	}
	var raw []struct {
		ID       int    `json:"question_id"`
		DB       string `json:"db_id"`
		Question string `json:"question"`
		Evidence string `json:"evidence"`
		SQL      string `json:"SQL"`
	}
	if err := readJSON(filepath.Join(dir, "mini_dev_sqlite.json"), &raw); err != nil {
		return nil, err
	}
	ds := &Dataset{Name: "bird", Databases: dbs}
	for _, r := range raw {
		ds.Questions = append(ds.Questions, Question{ID: r.ID, DB: r.DB, Question: r.Question, Evidence: r.Evidence, SQL: r.SQL})
	}
	return ds, nil
}

// splitFile is the questions file of split in dir.
func splitFile(dir, split string) (string, error) {
	switch split {
	case SplitDev, SplitTrain:
		return filepath.Join(dir, split+".json"), nil
	case "":
	default:
		return "", fmt.Errorf("split %q: must be %s or %s", split, SplitTrain, SplitDev)
	}
	for _, s := range []string{SplitDev, SplitTrain} {
		path := filepath.Join(dir, s+".json")
		if _, err := os.Stat(path); err == nil {
			return path, nil
		}
	}
	return "", fmt.Errorf("spider folder %q: no %s.json or %s.json: %w", dir, SplitDev, SplitTrain, os.ErrNotExist)
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read %q: %w", path, err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("decode %q: %w", path, err)
	}
	return nil
}

// spiderSchema is one entry of a Spider-format tables.json.
type spiderSchema struct {
	DB          string            `json:"db_id"`
	Tables      []string          `json:"table_names_original"`
	Columns     [][2]any          `json:"column_names_original"`
	NiceColumns [][2]any          `json:"column_names"`
	NiceTables  []string          `json:"table_names"`
	Types       []string          `json:"column_types"`
	PrimaryKeys []json.RawMessage `json:"primary_keys"`
	ForeignKeys [][2]int          `json:"foreign_keys"`
}

func loadSchemas(path string) (map[string]*Database, error) {
	var raw []spiderSchema
	if err := readJSON(path, &raw); err != nil {
		return nil, err
	}
	out := make(map[string]*Database, len(raw))
	for _, s := range raw {
		db, err := s.database()
		if err != nil {
			return nil, fmt.Errorf("schema %q in %q: %w", s.DB, path, err)
		}
		out[s.DB] = db
	}
	return out, nil
}

func (s *spiderSchema) database() (*Database, error) {
	cat := &catalog.Catalog{Source: s.DB, Dialect: catalog.SQLite}
	for _, name := range s.Tables {
		cat.Tables = append(cat.Tables, catalog.Table{Name: name, Kind: catalog.KindTable, RowCount: -1})
	}
	syn := map[string][]string{}
	type colRef struct{ table, col int }
	refs := make([]colRef, len(s.Columns))
	for i, c := range s.Columns {
		ti, name := int(c[0].(float64)), c[1].(string)
		refs[i] = colRef{ti, -1}
		if ti < 0 || ti >= len(cat.Tables) {
			continue
		}
		t := &cat.Tables[ti]
		dbType := "text"
		if i < len(s.Types) {
			dbType = s.Types[i]
		}
		refs[i].col = len(t.Columns)
		t.Columns = append(t.Columns, catalog.Column{Name: name, DBType: dbType, Type: catalog.NormalizeType(dbType), Nullable: true})
		if i < len(s.NiceColumns) {
			if nice, _ := s.NiceColumns[i][1].(string); nice != "" && !sameWords(nice, name) {
				syn[t.Name+"."+name] = []string{nice}
			}
		}
	}
	for i, nice := range s.NiceTables {
		if i < len(s.Tables) && !sameWords(nice, s.Tables[i]) {
			syn[s.Tables[i]] = []string{nice}
		}
	}
	colName := func(i int) (int, string, bool) {
		if i < 0 || i >= len(refs) || refs[i].col < 0 {
			return 0, "", false
		}
		return refs[i].table, cat.Tables[refs[i].table].Columns[refs[i].col].Name, true
	}
	for _, pk := range s.PrimaryKeys {
		var ids []int
		var one int
		if err := json.Unmarshal(pk, &one); err == nil {
			ids = []int{one}
		} else if err := json.Unmarshal(pk, &ids); err != nil {
			return nil, fmt.Errorf("primary key %s: %w", pk, err)
		}
		for _, id := range ids {
			if ti, name, ok := colName(id); ok {
				cat.Tables[ti].PrimaryKey = append(cat.Tables[ti].PrimaryKey, name)
			}
		}
	}
	for _, fk := range s.ForeignKeys {
		ft, fc, ok1 := colName(fk[0])
		rt, rc, ok2 := colName(fk[1])
		if ok1 && ok2 {
			addFK(&cat.Tables[ft], fc, cat.Tables[rt].Name, rc)
		}
	}
	return &Database{Catalog: cat, Extra: retrieve.Extra{Synonyms: syn}}, nil
}

// addFK adds a single-column foreign key unless it is already there.
func addFK(t *catalog.Table, col, refTable, refCol string) {
	for _, fk := range t.ForeignKeys {
		if len(fk.Columns) == 1 && strings.EqualFold(fk.Columns[0], col) &&
			strings.EqualFold(fk.RefTable, refTable) && strings.EqualFold(fk.RefColumns[0], refCol) {
			return
		}
	}
	t.ForeignKeys = append(t.ForeignKeys, catalog.ForeignKey{Columns: []string{col}, RefTable: refTable, RefColumns: []string{refCol}})
}

// sameWords reports whether a natural-language name says nothing beyond
// the identifier ("customer id" for customer_id).
func sameWords(nice, ident string) bool {
	norm := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r == '_' || r == ' ' {
				return -1
			}
			return r
		}, strings.ToLower(s))
	}
	return norm(nice) == norm(ident)
}

// DatabaseNames returns the dataset's database names, sorted.
func (d *Dataset) DatabaseNames() []string {
	out := make([]string, 0, len(d.Databases))
	for n := range d.Databases {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
