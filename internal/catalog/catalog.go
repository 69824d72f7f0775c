package catalog

import (
	"sort"
	"strings"
)

// Dialect names an SQL dialect. It is a closed set: every guard rule and
// every source switches over it explicitly.
type Dialect string

// The dialects askdb understands.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
	MySQL    Dialect = "mysql"
	DuckDB   Dialect = "duckdb"
	// Trino is Trino's SQL, which Amazon Athena (engine version 3) speaks too.
	Trino Dialect = "trino"
)

// ProfileRedshift is Catalog.Profile for Amazon Redshift: the PostgreSQL
// dialect and parser, with Redshift's functions and TOP n.
const ProfileRedshift = "redshift"

// Dialects lists every known dialect in a stable order.
func Dialects() []Dialect { return []Dialect{DuckDB, MySQL, Postgres, SQLite, Trino} }

// ParseDialect maps a user-facing name (including common aliases such as
// "postgresql", "redshift", "mariadb" or "athena") onto a Dialect.
func ParseDialect(s string) (Dialect, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "sqlite", "sqlite3":
		return SQLite, true
	case "postgres", "postgresql", "pg", "redshift", "aurora", "aurora-postgresql":
		return Postgres, true
	case "mysql", "mariadb", "aurora-mysql":
		return MySQL, true
	case "duckdb":
		return DuckDB, true
	case "trino", "presto", "athena":
		return Trino, true
	}
	return "", false
}

// Type is a normalised column type, shared by every dialect so that later
// stages (charts, the offline engine, value formatting) need not know the
// engine's spelling.
type Type string

// Normalised column types.
const (
	TypeText      Type = "text"
	TypeInteger   Type = "integer"
	TypeDecimal   Type = "decimal"
	TypeFloat     Type = "float"
	TypeBoolean   Type = "boolean"
	TypeDate      Type = "date"
	TypeTimestamp Type = "timestamp"
	TypeTime      Type = "time"
	TypeBytes     Type = "bytes"
	TypeJSON      Type = "json"
	TypeUUID      Type = "uuid"
	TypeOther     Type = "other"
)

// IsNumeric reports whether values of t are numbers.
func (t Type) IsNumeric() bool {
	return t == TypeInteger || t == TypeDecimal || t == TypeFloat
}

// IsTemporal reports whether values of t are dates or times.
func (t Type) IsTemporal() bool {
	return t == TypeDate || t == TypeTimestamp || t == TypeTime
}

// TableKind tells a base table from a view.
type TableKind string

// Table kinds.
const (
	KindTable TableKind = "table"
	KindView  TableKind = "view"
	// KindForeign is a table whose rows live elsewhere (a PostgreSQL foreign
	// table): reading it opens a connection, a file or a program.
	KindForeign TableKind = "foreign"
)

// Catalog is everything askdb knows about one source's schema.
type Catalog struct {
	Source  string  `json:"source"`
	Dialect Dialect `json:"dialect"`
	// Version is the engine's own version string, e.g. "PostgreSQL 15.4".
	Version string `json:"version,omitempty"`
	// Profile names a variant of Dialect that the guard checks against
	// (ProfileRedshift); empty for the dialect itself.
	Profile string  `json:"profile,omitempty"`
	Tables  []Table `json:"tables"`
}

// Table is a base table or a view.
type Table struct {
	Schema      string       `json:"schema,omitempty"`
	Name        string       `json:"name"`
	Kind        TableKind    `json:"kind"`
	Comment     string       `json:"comment,omitempty"`
	Columns     []Column     `json:"columns"`
	PrimaryKey  []string     `json:"primary_key,omitempty"`
	ForeignKeys []ForeignKey `json:"foreign_keys,omitempty"`
	// RowCount is the engine's estimate; -1 when it has none.
	RowCount int64 `json:"row_count"`
}

// Column is one column of a table or view.
type Column struct {
	Name     string `json:"name"`
	DBType   string `json:"db_type"`
	Type     Type   `json:"type"`
	Nullable bool   `json:"nullable"`
	// Default is the column default as the engine spells it; nil when none.
	Default *string `json:"default,omitempty"`
	Comment string  `json:"comment,omitempty"`
	// Samples are a few example values, filled by enrichment or on demand,
	// that help a model spell filter values the way the data does.
	Samples []string `json:"samples,omitempty"`
}

// ForeignKey links Columns of the owning table to RefColumns of RefTable.
// Composite keys have several columns, paired by position.
type ForeignKey struct {
	Name       string   `json:"name,omitempty"`
	Columns    []string `json:"columns"`
	RefSchema  string   `json:"ref_schema,omitempty"`
	RefTable   string   `json:"ref_table"`
	RefColumns []string `json:"ref_columns"`
}

// QualifiedName is schema.name, or just name when the schema is empty.
func (t *Table) QualifiedName() string {
	if t.Schema == "" {
		return t.Name
	}
	return t.Schema + "." + t.Name
}

// Column returns the column with the given name, compared case-insensitively.
func (t *Table) Column(name string) (*Column, bool) {
	for i := range t.Columns {
		if strings.EqualFold(t.Columns[i].Name, name) {
			return &t.Columns[i], true
		}
	}
	return nil, false
}

// Schemas returns the distinct schema names, sorted.
func (c *Catalog) Schemas() []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range c.Tables {
		if !seen[t.Schema] {
			seen[t.Schema] = true
			out = append(out, t.Schema)
		}
	}
	sort.Strings(out)
	return out
}

// Table finds a table by name. A name may be qualified ("staff.employees");
// an unqualified name matches in any schema when it is unambiguous.
// Names compare case-insensitively, as in every supported engine's default.
func (c *Catalog) Table(name string) (*Table, bool) {
	schema, bare := "", name
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		schema, bare = name[:i], name[i+1:]
	}
	var found *Table
	for i := range c.Tables {
		t := &c.Tables[i]
		if !strings.EqualFold(t.Name, bare) {
			continue
		}
		if schema != "" {
			if strings.EqualFold(t.Schema, schema) {
				return t, true
			}
			continue
		}
		if found != nil {
			return nil, false // ambiguous
		}
		found = t
	}
	return found, found != nil
}

// Sort orders tables by schema and name so that output is stable.
func (c *Catalog) Sort() {
	sort.Slice(c.Tables, func(i, j int) bool {
		a, b := c.Tables[i], c.Tables[j]
		if a.Schema != b.Schema {
			return a.Schema < b.Schema
		}
		return a.Name < b.Name
	})
}

// QuoteIdent quotes an identifier for the dialect, doubling any quote
// character inside it.
func QuoteIdent(d Dialect, name string) string {
	if d == MySQL {
		return "`" + strings.ReplaceAll(name, "`", "``") + "`"
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// QuoteTable quotes a table's schema-qualified name for the dialect.
func QuoteTable(d Dialect, t *Table) string {
	if t.Schema == "" {
		return QuoteIdent(d, t.Name)
	}
	return QuoteIdent(d, t.Schema) + "." + QuoteIdent(d, t.Name)
}
