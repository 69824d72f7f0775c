package trinofake

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
)

// Rules is the subset of Trino's file-based system access control
// (access-control.name=file, rules.json) that the fake enforces: catalog
// rules (allow all, read-only or none) and table rules (privileges). The
// first matching rule wins, as in Trino; no matching rule denies.
type Rules struct {
	Catalogs []CatalogRule `json:"catalogs"`
	Tables   []TableRule   `json:"tables"`
}

// CatalogRule is one entry of rules.json "catalogs".
type CatalogRule struct {
	User    string `json:"user"`
	Catalog string `json:"catalog"`
	Allow   string `json:"allow"` // all, read-only, none
}

// TableRule is one entry of rules.json "tables".
type TableRule struct {
	User       string   `json:"user"`
	Catalog    string   `json:"catalog"`
	Schema     string   `json:"schema"`
	Table      string   `json:"table"`
	Privileges []string `json:"privileges"` // SELECT, INSERT, DELETE, UPDATE, OWNERSHIP
}

// LoadRules reads a rules.json.
func LoadRules(path string) (*Rules, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r Rules
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("rules %q: %w", path, err)
	}
	return &r, nil
}

// matches reports whether pattern (a Java regex in Trino; RE2 here, the
// same for the patterns tests use) matches all of s. Empty matches all.
func matches(pattern, s string) bool {
	if pattern == "" {
		return true
	}
	re, err := regexp.Compile("^(?:" + pattern + ")$")
	return err == nil && re.MatchString(s)
}

// Check returns Trino's "Access Denied" message for user running sql on
// catalog with the session schema, or "" when the rules allow it.
func (r *Rules) Check(user, catalog, schema, sql string) string {
	a, _ := classify(explained(sql), schema)
	return r.check(user, catalog, a)
}

// access is what a statement needs: a privilege on a table of a catalog.
type access struct {
	privilege string // SELECT, INSERT, DELETE, UPDATE, OWNERSHIP
	verb      string // Trino's wording: "insert into table", "create table"
	schema    string
	table     string
}

// check returns Trino's "Access Denied" message, or "" when allowed.
func (r *Rules) check(user, catalog string, a access) string {
	if r == nil {
		return ""
	}
	allow := "none"
	for _, c := range r.Catalogs {
		if matches(c.User, user) && matches(c.Catalog, catalog) {
			allow = c.Allow
			break
		}
	}
	name := strings.Join([]string{catalog, a.schema, a.table}, ".")
	switch {
	case allow == "none":
		return fmt.Sprintf("Access Denied: Cannot access catalog %s", catalog)
	case allow == "read-only" && a.privilege != "SELECT":
		return fmt.Sprintf("Access Denied: Cannot %s %s", a.verb, name)
	case a.table == "":
		return ""
	}
	for _, t := range r.Tables {
		if matches(t.User, user) && matches(t.Catalog, catalog) && matches(t.Schema, a.schema) && matches(t.Table, a.table) {
			if slices.Contains(t.Privileges, a.privilege) || slices.Contains(t.Privileges, "OWNERSHIP") {
				return ""
			}
			break
		}
	}
	if a.privilege == "SELECT" {
		return fmt.Sprintf("Access Denied: Cannot select from table %s", name)
	}
	return fmt.Sprintf("Access Denied: Cannot %s %s", a.verb, name)
}

// wordRE finds the words of a statement, for the fake's classification of
// what a statement needs. A real coordinator knows from its analyzer; the
// fake reads the leading keywords and the table after them.
var wordRE = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_."]*`)

// classify returns what sql needs, and whether it writes.
func classify(sql, schema string) (access, bool) {
	words := wordRE.FindAllString(sql, 8)
	if len(words) == 0 {
		return access{privilege: "SELECT"}, false
	}
	up := func(i int) string {
		if i < len(words) {
			return strings.ToUpper(words[i])
		}
		return ""
	}
	target := func(i int) (string, string) {
		if i >= len(words) {
			return schema, ""
		}
		parts := strings.Split(strings.ReplaceAll(words[i], `"`, ""), ".")
		if len(parts) >= 2 {
			return parts[len(parts)-2], parts[len(parts)-1]
		}
		return schema, parts[0]
	}
	var a access
	var at int
	switch up(0) {
	case "INSERT":
		a, at = access{privilege: "INSERT", verb: "insert into table"}, 2
	case "DELETE":
		a, at = access{privilege: "DELETE", verb: "delete from table"}, 2
	case "UPDATE":
		a, at = access{privilege: "UPDATE", verb: "update columns in table"}, 1
	case "MERGE":
		a, at = access{privilege: "UPDATE", verb: "merge into table"}, 2
	case "TRUNCATE":
		a, at = access{privilege: "DELETE", verb: "truncate table"}, 2
	case "CREATE", "DROP", "ALTER", "COMMENT":
		verb := map[string]string{"CREATE": "create", "DROP": "drop", "ALTER": "alter", "COMMENT": "comment on"}[up(0)]
		a, at = access{privilege: "OWNERSHIP", verb: verb + " " + strings.ToLower(up(1))}, 2
		if up(0) == "ALTER" && up(3) == "ADD" {
			a.verb = "add a column to table"
		}
	case "CALL":
		return access{privilege: "OWNERSHIP", verb: "execute procedure"}, true
	default:
		return access{privilege: "SELECT"}, false
	}
	a.schema, a.table = target(at)
	return a, true
}
